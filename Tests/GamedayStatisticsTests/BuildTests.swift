import Testing
@testable import GamedayStatistics
@Test func builds() {}
