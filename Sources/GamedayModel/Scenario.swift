import Yams
public enum GamedayModelPlaceholder {}
