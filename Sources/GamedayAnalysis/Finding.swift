/// Something about the barrier model a reviewer can act on.
public struct Finding: Hashable, Sendable {
    /// How much it matters.
    public enum Severity: String, Hashable, Sendable, CaseIterable, Comparable {
        /// Impact nothing stops: no detection, or nothing that ends it.
        case high
        /// Protection that rests on one barrier or one shared cause.
        case medium
        /// Worth a look; the numbers may be fine.
        case low

        /// Higher severities sort first.
        var rank: Int {
            switch self {
            case .high: return 0
            case .medium: return 1
            case .low: return 2
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank > rhs.rank }
    }

    /// The kinds of finding, with stable codes for JSON consumers.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        /// No detect barrier watches any service the injection affects.
        case noDetection = "no-detection"
        /// Detect barriers watch the blast radius, but none can fire on this injection alone.
        case detectionCannotFire = "detection-cannot-fire"
        /// Detection rests on one barrier.
        case singleDetectBarrier = "single-detect-barrier"
        /// A detect barrier's threshold is above what this injection alone causes.
        case thresholdUnreachable = "threshold-unreachable"
        /// Nothing prevents the injection.
        case noPrevention = "no-prevention"
        /// Prevention rests on one barrier.
        case singlePreventBarrier = "single-prevent-barrier"
        /// Barriers on the same side of one path share a common-cause group.
        case sharedCommonCause = "shared-common-cause"
        /// A common-cause group has barriers on both sides of one bow-tie.
        case commonCauseAcrossSides = "common-cause-across-sides"
        /// No mitigation can remove the injection.
        case noMitigation = "no-mitigation"
        /// Pages about the injection reach no responder who can remove it.
        case pagesReachNoFixer = "pages-reach-no-fixer"
        /// An automatic mitigation's condition is never met by the injection alone.
        case automaticConditionUnreachable = "automatic-condition-unreachable"
        /// A barrier that can never do its job (chance 0).
        case ineffectiveBarrier = "ineffective-barrier"
        /// A detect barrier notifies nobody.
        case notifiesNobody = "notifies-nobody"
        /// A manual mitigation no responder uses.
        case unusedMitigation = "unused-mitigation"
        /// A triggered injection whose condition no single injection can reach.
        case triggerUnreachable = "trigger-unreachable"
    }

    /// How much it matters.
    public var severity: Severity
    /// What kind it is.
    public var code: Code
    /// What it is about, as a draw-address-style path: `injections.ID` or `barriers.ID`.
    public var subject: String
    /// The barriers involved, in file order.
    public var barriers: [String]
    /// What is wrong and why it matters, in plain words.
    public var message: String

    /// Creates a finding.
    public init(_ severity: Severity, _ code: Code, subject: String, barriers: [String] = [], _ message: String) {
        self.severity = severity
        self.code = code
        self.subject = subject
        self.barriers = barriers
        self.message = message
    }

    /// Findings by severity, keeping their order within a severity.
    static func sorted(_ findings: [Finding]) -> [Finding] {
        findings.enumerated().sorted { a, b in
            a.element.severity.rank != b.element.severity.rank ? a.element.severity.rank < b.element.severity.rank : a.offset < b.offset
        }.map(\.element)
    }
}
