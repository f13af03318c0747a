import Testing
@testable import GamedayModel
@Test func builds() {}
