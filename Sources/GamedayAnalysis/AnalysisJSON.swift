import Foundation
import GamedayModel

extension JSONValue {
    /// A number rounded to 12 significant digits, so that binary floating-point noise
    /// (0.19999999999999996 for 1 - 0.8) does not hide the decimal a reviewer computes by hand.
    /// The library's `Double` properties keep full precision; infinities and NaN become null.
    static func rounded(_ value: Double) -> JSONValue {
        guard value.isFinite else { return .null }
        if value == 0 { return .number(0) }
        return .number(Double(String(format: "%.12g", value)) ?? value)
    }
}

extension ScenarioAnalysis {
    /// The `gameday analyze --format json` document (spec: output.md): the fixed keys
    /// `scenario`, `injections.ID.{occurs, passes_prevention, prevent, detect_coverage, mitigations}`
    /// and extra keys documented in docs/analyze.md. Deterministic: same scenario, same bytes.
    public var json: JSONValue {
        var root = JSONObject()
        root["scenario"] = ["id": .string(scenarioID), "path": .string(path), "sha256": .string(sha256), "title": .string(title)]
        root["controls"] = .array(controls.map { .string($0) })
        var injectionsObject = JSONObject()
        for injection in injections { injectionsObject[injection.id] = injection.json }
        root["injections"] = .object(injectionsObject)
        root["findings"] = .array(findings.map(\.json))
        root["notes"] = .array(Self.notes.map { .string($0) })
        return .object(root)
    }

    /// What every number means, printed with the JSON so that a reader of the file alone knows.
    static let notes = [
        "passes_prevention and detect_coverage are exact: common-cause groups fail together with probability beta, one draw per group per trial; otherwise each barrier works independently",
        "uncertain probabilities enter by their mean, which is exact for these marginal chances because each is drawn once per trial, independently",
        "effectiveness is after common cause: (1 - beta) x reliability x effectiveness; risk_reduction_factor = 1 / (1 - effectiveness), null when infinite (the barrier never fails)",
        "detect_coverage ignores timing: it is the chance that at least one detect barrier watching an affected service works; detect_coverage_effective counts only barriers that can fire on the injection alone and page someone",
        "occurs of a triggered injection is conditional on its trigger condition holding; a dormant injection occurs only when a drill adds it (occurs 0)",
    ]
}

extension InjectionAnalysis {
    /// This injection's entry under `injections` in the JSON document.
    public var json: JSONValue {
        var o = JSONObject()
        o["target"] = .string(target)
        o["error_rate"] = .rounded(errorRate)
        o["occurs"] = .rounded(occurrence.probability)
        o["occurrence"] = occurrence.json
        o["passes_prevention"] = .rounded(prevention.passes)
        o["prevent"] = .array(prevention.barriers.map(\.json))
        var preventionObject = JSONObject()
        preventionObject["risk_reduction_factor"] = .rounded(prevention.riskReductionFactor)
        if prevention.riskReductionFactor.isInfinite { preventionObject["risk_reduction_factor_note"] = "infinite: nothing passes" }
        preventionObject["lopa_product"] = .rounded(prevention.lopaProduct)
        preventionObject["common_cause"] = .array(prevention.commonCause.map(\.json))
        o["prevention"] = .object(preventionObject)
        o["blast_radius"] = .array(blastRadius.map(\.json))
        o["detect_coverage"] = .rounded(detection.coverage)
        o["detect_coverage_effective"] = .rounded(detection.effectiveCoverage)
        o["detect"] = .array(detection.barriers.map(\.json))
        o["detect_common_cause"] = .array(detection.commonCause.map(\.json))
        o["paged_responders"] = .array(detection.pagedResponders.map { .string($0) })
        o["mitigations"] = .array(mitigation.removers.map { .string($0.id) })
        o["mitigation_details"] = .array(mitigation.removers.map(\.json))
        o["heals"] = Self.healsJSON(lasts)
        o["caps"] = .array(caps.map(\.json))
        o["findings"] = .array(findings.map(\.json))
        return .object(o)
    }

    static func healsJSON(_ lasts: Lasts) -> JSONValue {
        switch lasts {
        case .untilMitigated: return ["kind": "never"]
        case .whileTriggered: return ["kind": "while_triggered"]
        case .duration(let d): return ["kind": "after", "mean": .rounded(d.mean), "distribution": .string(d.yamlText)]
        }
    }
}

extension Occurrence {
    var json: JSONValue {
        var o = JSONObject()
        o["kind"] = .string(kind.rawValue)
        o["uncertain"] = .bool(probabilityIsUncertain)
        if kind == .scheduled { o["before_horizon"] = .rounded(beforeHorizon) }
        if let condition {
            o["conditional_on"] = condition.json
            o["reachable_by"] = .array(reachableBy.map { .string($0) })
        }
        o["note"] = .string(note)
        return .object(o)
    }
}

extension ServiceCondition {
    var json: JSONValue {
        ["service": .string(service.id), "error_rate_above": .rounded(errorRateAbove), "for": .rounded(holdFor)]
    }
}

extension CommonCause {
    var json: JSONValue { ["group": .string(group), "beta": .rounded(beta)] }
}

extension PreventBarrierValue {
    var json: JSONValue {
        var o = JSONObject()
        o["barrier"] = .string(id)
        o["effectiveness"] = .rounded(effectiveness)
        o["risk_reduction_factor"] = .rounded(riskReductionFactor)
        if riskReductionFactor.isInfinite { o["risk_reduction_factor_note"] = "infinite: this barrier never fails (PFD 0)" }
        o["stop_chance"] = .rounded(stopChance)
        o["uncertain"] = .bool(uncertain)
        o["common_cause"] = commonCause?.json ?? .null
        o["pfd"] = .rounded(pfd)
        o["marginal_value"] = .rounded(marginalValue)
        o["passes_without"] = .rounded(passesWithout)
        o["exposure"] = .rounded(exposure)
        o["takes_mean"] = .rounded(takes.mean)
        o["added_by"] = addedBy.map { .string($0) } ?? .null
        return .object(o)
    }
}

extension CommonCauseOnPath {
    var json: JSONValue {
        var o = JSONObject()
        o["group"] = .string(group)
        o["beta"] = .rounded(beta)
        o["barriers"] = .array(barriers.map { .string($0) })
        o["all_fail"] = .rounded(allFail)
        o["max_risk_reduction_factor"] = .rounded(maxRiskReductionFactor)
        return .object(o)
    }
}

extension AffectedService {
    var json: JSONValue {
        var o = JSONObject()
        o["service"] = .string(id)
        o["depth"] = .int(depth)
        o["peak_error_rate"] = .rounded(peakErrorRate)
        o["traffic"] = traffic.map { .rounded($0) } ?? .null
        return .object(o)
    }
}

extension DetectBarrierValue {
    var json: JSONValue {
        var o = JSONObject()
        o["barrier"] = .string(id)
        o["watches"] = .string(watches)
        o["condition"] = .string(condition)
        o["reliability"] = .rounded(reliability)
        o["uncertain"] = .bool(uncertain)
        o["common_cause"] = commonCause?.json ?? .null
        o["effective_reliability"] = .rounded(effectiveReliability)
        o["marginal_value"] = .rounded(marginalValue)
        o["notifies"] = notifies.map { .string($0) } ?? .null
        o["peak_error_rate"] = .rounded(peakErrorRate)
        o["threshold_reachable"] = .bool(thresholdReachable)
        return .object(o)
    }
}

extension MitigationValue {
    var json: JSONValue {
        var o = JSONObject()
        o["barrier"] = .string(id)
        o["automatic"] = .bool(automatic)
        o["reliability"] = .rounded(reliability)
        o["common_cause"] = commonCause?.json ?? .null
        o["takes_mean"] = .rounded(takes.mean)
        o["used_by"] = .array(usedBy.map { .string($0) })
        o["paged_users"] = .array(pagedUsers.map { .string($0) })
        o["condition"] = condition?.json ?? .null
        o["condition_reachable"] = conditionReachable.map { .bool($0) } ?? .null
        return .object(o)
    }
}

extension SpreadCap {
    var json: JSONValue {
        var o = JSONObject()
        o["barrier"] = .string(barrier)
        o["service"] = .string(service)
        o["dependency"] = .string(dependency)
        o["weight"] = .rounded(weight)
        o["capped_weight"] = .rounded(cappedWeight)
        o["automatic"] = .bool(automatic)
        o["used_by"] = .array(usedBy.map { .string($0) })
        return .object(o)
    }
}

extension Finding {
    /// The finding as JSON: severity, code, subject, barriers, message.
    public var json: JSONValue {
        [
            "severity": .string(severity.rawValue),
            "code": .string(code.rawValue),
            "subject": .string(subject),
            "barriers": .array(barriers.map { .string($0) }),
            "message": .string(message),
        ]
    }
}
