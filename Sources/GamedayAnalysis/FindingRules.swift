import GamedayModel

/// The rules that turn one injection's numbers into findings (docs/analyze.md lists them).
enum FindingRules {
    static func findings(for a: InjectionAnalysis) -> [Finding] {
        var findings: [Finding] = []
        let subject = "injections.\(a.id)"
        let p = AnalysisFormat.probability
        let affected = a.blastRadius.map(\.id)
        let dormantNote = a.occurrence.kind == .dormant ? " (It is dormant: this matters when a drill adds it; severity lowered one level.)" : ""

        // Detection.
        let detect = a.detection.barriers
        let effective = detect.filter(\.isEffective)
        if detect.isEmpty {
            let automatic = a.mitigation.removers.filter(\.automatic).map(\.id)
            let ending = automatic.isEmpty
                ? "no responder ever works on it, and it \(AnalysisFormat.healing(a.lasts))"
                : "only automatic mitigation \(AnalysisFormat.list(automatic)) can end it before it heals by itself"
            findings.append(Finding(.high, .noDetection, subject: subject,
                "No detect barrier watches \(AnalysisFormat.list(affected)), the services \(a.id) affects: nobody is paged about it, so \(ending).\(dormantNote)"))
        } else if effective.isEmpty {
            let reasons = detect.map { reason(why: $0, in: a) }
            findings.append(Finding(.high, .detectionCannotFire, subject: subject, barriers: detect.map(\.id),
                "\(detect.count == 1 ? "One detect barrier watches" : "\(detect.count) detect barriers watch") the blast radius of \(a.id), but none can page anyone about it on its own: \(reasons.joined(separator: "; ")).\(dormantNote)"))
        } else {
            if effective.count == 1 {
                let only = effective[0]
                // A perfectly reliable alert is still one alert: say so without a "0% of trials"
                // that reads as if there were nothing to worry about.
                let failure = 1 - only.effectiveReliability
                var message = failure > 0
                    ? "Detection of \(a.id) rests on \(only.id) alone: if it fails (\(p(failure)) of trials), nobody is paged."
                    : "Detection of \(a.id) rests on one alert, \(only.id); it is modelled as never failing, which real alerts rarely deserve: silenced, misrouted or too slow, it leaves nobody paged."
                if detect.count > 1 {
                    message += " The others cannot act on it alone: " + detect.filter { !$0.isEffective }.map { reason(why: $0, in: a) }.joined(separator: "; ") + "."
                }
                findings.append(Finding(.medium, .singleDetectBarrier, subject: subject, barriers: [only.id], message + dormantNote))
            }
            for barrier in detect where !barrier.thresholdReachable {
                findings.append(Finding(.low, .thresholdUnreachable, subject: subject, barriers: [barrier.id],
                    "\(reason(why: barrier, in: a)): it fires on \(a.id) only when another injection adds to it."))
            }
        }
        for group in a.detection.commonCause where group.barriers.count > 1 {
            findings.append(Finding(.medium, .sharedCommonCause, subject: subject, barriers: group.barriers,
                "Detect barriers \(AnalysisFormat.list(group.barriers)) share common-cause group \(group.group) (beta \(Scalars.formatPercent(group.beta))): they all fail together in at least \(Scalars.formatPercent(group.beta)) of trials, so together they cut the chance of missing \(a.id) at most \(AnalysisFormat.factor(group.maxRiskReductionFactor))-fold."))
        }

        // Prevention.
        let prevent = a.prevention.barriers
        if prevent.isEmpty {
            if a.occurrence.kind != .dormant {
                findings.append(Finding(.low, .noPrevention, subject: subject,
                    "Nothing prevents \(a.id): every occurrence takes effect, and only detection and mitigation limit it."))
            }
        } else if prevent.count == 1 {
            let only = prevent[0]
            findings.append(Finding(.medium, .singlePreventBarrier, subject: subject, barriers: [only.id],
                "Prevention of \(a.id) rests on \(only.id) alone: a single point of failure that lets \(p(a.prevention.passes)) of occurrences through (risk reduction \(AnalysisFormat.factor(a.prevention.riskReductionFactor))×).\(dormantNote)"))
        }
        for group in a.prevention.commonCause where group.barriers.count > 1 {
            findings.append(Finding(.medium, .sharedCommonCause, subject: subject, barriers: group.barriers,
                "Prevent barriers \(AnalysisFormat.list(group.barriers)) stand against \(a.id) but share common-cause group \(group.group) (beta \(Scalars.formatPercent(group.beta))): they all fail together in at least \(Scalars.formatPercent(group.beta)) of occurrences, so together they cut the pass chance at most \(AnalysisFormat.factor(group.maxRiskReductionFactor))-fold. Together they let \(p(group.allFail)) through, where multiplying their effectiveness would claim \(p(group.barriers.compactMap { id in prevent.first { $0.id == id }?.pfd }.reduce(1, *)))."))
        }
        for barrier in prevent where barrier.stopChance == 0 {
            findings.append(Finding(.low, .ineffectiveBarrier, subject: subject, barriers: [barrier.id],
                "Prevent barrier \(barrier.id) stops \(a.id) with chance 0 (reliability × effectiveness): it never helps on this path."))
        }
        for barrier in detect where barrier.reliability == 0 {
            findings.append(Finding(.low, .ineffectiveBarrier, subject: subject, barriers: [barrier.id],
                "Detect barrier \(barrier.id) has reliability 0: it never fires."))
        }

        // Common cause across the knot of the bow-tie.
        for group in a.prevention.commonCause {
            guard let other = a.detection.commonCause.first(where: { $0.group == group.group }) else { continue }
            findings.append(Finding(.low, .commonCauseAcrossSides, subject: subject, barriers: group.barriers + other.barriers,
                "Common-cause group \(group.group) holds prevent barrier\(group.barriers.count > 1 ? "s" : "") \(AnalysisFormat.list(group.barriers)) and detect barrier\(other.barriers.count > 1 ? "s" : "") \(AnalysisFormat.list(other.barriers)): when it fails, \(a.id) passes prevention and goes unseen at once. Each side's number here is exact, but the two sides are not independent."))
        }

        // Mitigation.
        let removers = a.mitigation.removers
        if !a.mitigation.canBeRemoved {
            var message = removers.isEmpty
                ? "No mitigation removes \(a.id)"
                : "Mitigation\(removers.count > 1 ? "s" : "") \(AnalysisFormat.list(removers.map(\.id))) remove\(removers.count > 1 ? "" : "s") \(a.id), but no responder uses \(removers.count > 1 ? "them" : "it") and none is automatic"
            let severity: Finding.Severity
            switch a.lasts {
            case .untilMitigated:
                severity = .high
                message += ": it lasts until mitigated, so once it passes prevention it never ends before the horizon."
            case .whileTriggered:
                severity = .medium
                message += ": it ends only when its trigger condition stops holding."
            case .duration(let d):
                severity = .medium
                message += ": it ends only when it heals by itself, after \(d.yamlText)."
            }
            if !a.caps.isEmpty { message += " Caps (\(AnalysisFormat.list(a.caps.map(\.barrier)))) can limit its spread but do not remove it." }
            findings.append(Finding(severity, .noMitigation, subject: subject, barriers: removers.map(\.id), message + dormantNote))
        } else if !detect.isEmpty, !removers.contains(where: { $0.automatic }), !removers.contains(where: { !$0.pagedUsers.isEmpty }) {
            let users = removers.flatMap(\.usedBy).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            let paged = a.detection.pagedResponders
            findings.append(Finding(.medium, .pagesReachNoFixer, subject: subject, barriers: removers.map(\.id),
                "Pages about \(a.id) reach \(paged.isEmpty ? "nobody" : AnalysisFormat.list(paged)), but none of them uses a mitigation that removes it (\(AnalysisFormat.list(removers.map(\.id))), used by \(AnalysisFormat.list(users))): detection cannot lead to a fix."))
        }
        for remover in removers where remover.automatic && remover.conditionReachable == false {
            let condition = remover.condition.map(AnalysisFormat.condition) ?? "its condition"
            findings.append(Finding(.low, .automaticConditionUnreachable, subject: subject, barriers: [remover.id],
                "Automatic mitigation \(remover.id) starts when \(condition), which \(a.id) alone never causes: it removes \(a.id) only when another injection adds to it."))
        }

        // Triggers.
        if a.occurrence.kind == .triggered, a.occurrence.reachableBy.isEmpty, let condition = a.occurrence.condition {
            findings.append(Finding(.low, .triggerUnreachable, subject: subject,
                "The trigger of \(a.id) (\(AnalysisFormat.condition(condition))) is not reached by any single injection at full effect: it occurs only when several combine, or never."))
        }
        // A dormant injection occurs only in drills, where people see injects the model does not:
        // its findings say what protects it then, one severity lower.
        if a.occurrence.kind == .dormant {
            findings = findings.map { finding in
                var lowered = finding
                lowered.severity = finding.severity == .high ? .medium : .low
                return lowered
            }
        }
        return findings
    }

    /// Why a detect barrier cannot act on an injection by itself.
    static func reason(why barrier: DetectBarrierValue, in a: InjectionAnalysis) -> String {
        var parts: [String] = []
        if !barrier.thresholdReachable {
            parts.append("\(barrier.id) fires on \(barrier.watches) \(barrier.condition), but \(a.id) alone raises \(barrier.watches) to \(AnalysisFormat.probability(barrier.peakErrorRate)) errors")
        }
        if barrier.notifies == nil {
            parts.append("\(barrier.id) notifies nobody")
        }
        return parts.joined(separator: "; ")
    }
}
