import Testing
@testable import GamedayRandom
@Test func builds() {}
