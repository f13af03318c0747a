public enum GamedayStatisticsPlaceholder {}
