public enum GamedayRandomPlaceholder {}
