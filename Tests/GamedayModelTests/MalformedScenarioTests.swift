import Foundation
import Testing
@testable import GamedayModel

/// A small valid scenario that uses every section, so each malformed case is one patch away.
let minimalScenario = """
    scenario:
      id: minimal
      title: Minimal scenario
      horizon: 8h
    services:
      - id: web
        traffic: 1200/min
        slo: 99.9%
        depends_on: [api]
      - id: api
        depends_on:
          - db
          - {service: cache, weight: 10%}
      - id: db
      - id: cache
    injections:
      - id: bad-push
        target: api
        at: 0m
        effect: {error_rate: 40%}
      - id: db-overload
        target: db
        effect: {error_rate: 60%}
        lasts: while_triggered
        triggered_by:
          when: {service: api, error_rate_above: 30%, for: 3m}
      - id: cold-cache
        target: api
        effect: {error_rate: 15%}
        lasts: 20m
        dormant: true
    barriers:
      - id: validation
        type: prevent
        against: [bad-push]
        effectiveness: 30%
      - id: api-alert
        type: detect
        watches: api
        when: {error_rate_above: 5%, for: 5m}
        delay: {lognormal: {median: 1m, p90: 4m}}
        notifies: oncall
      - id: rollback
        type: mitigate
        removes: [bad-push]
        takes: {triangular: [3m, 5m, 15m]}
        reliability: 90%
      - id: breaker
        type: mitigate
        automatic: true
        when: {service: db, error_rate_above: 50%}
        caps: {service: api, dependency: db, weight: 20%}
    responders:
      - id: oncall
        acknowledge: {uniform: [1m, 5m]}
        escalate_after: 15m
        escalates_to: backup
        diagnose: {lognormal: {median: 12m, p90: 45m}}
        uses: [rollback]
      - id: backup
        acknowledge: 5m
        diagnose: 10m
      - id: desk
        acknowledge: 2m
        forwards_to: oncall
    modifiers:
      - id: night
        probability: 30%
        multiply: {acknowledge: 2.0}
        applies_to: [oncall]
    controls:
      - id: canary
        add:
          barriers:
            - {id: canary, type: prevent, against: [bad-push], effectiveness: 80%}
      - id: tighter-alert
        set:
          barriers.api-alert.when: {error_rate_above: 2%, for: 2m}
      - id: no-night
        remove: [modifiers.night]
    observed:
      pins:
        barriers.validation.works.bad-push: false
        responders.oncall.acknowledge: 4m
      timeline:
        detected: 31m
    drill:
      briefing: You are on call.
      roles: [commander, ops]
      injects:
        - when: barriers.api-alert.paged
          show: PAGE api 5xx
          to: [ops]
      actions:
        - id: ack
          label: Acknowledge
          takes: 30s
          role: commander
        - id: roll
          label: Roll back
          uses: rollback
        - id: restart
          label: Restart
          takes: 8m
          harmful: true
          adds: cold-cache
      rubric:
        - id: acked
          objective: Acknowledge quickly
          action: ack
          within: 5m
          from: start
          points: 10
      penalties:
        - action: restart
          points: -10
          feedback: Check what changed first.
    checks:
      - name: canary works
        with: [canary]
        expect: {incident_probability_below: 25%}

    """

/// One malformed input: the minimal scenario with patches applied (or a whole text), a marker
/// `1️⃣` right before the token the loader must point at, and the exact message expected there.
struct MalformedCase: Sendable, CustomTestStringConvertible {
    let name: String
    let patches: [(old: String, new: String)]
    let text: String?
    let severity: Diagnostic.Severity
    let expected: String
    /// A second, error diagnostic expected at marker `2️⃣` (a warning's consequence).
    let then: String?

    init(_ name: String, _ patches: (String, String)..., severity: Diagnostic.Severity = .error, expect expected: String, then: String? = nil) {
        self.name = name
        self.patches = patches.map { (old: $0.0, new: $0.1) }
        self.text = nil
        self.severity = severity
        self.expected = expected
        self.then = then
    }

    init(_ name: String, text: String, expect expected: String) {
        self.name = name
        self.patches = []
        self.text = text
        self.severity = .error
        self.expected = expected
        self.then = nil
    }

    var testDescription: String { name }

    /// The fixture with markers, after checking that each patch applies to exactly one place.
    func markedSource() throws -> String {
        if let text { return text }
        var source = minimalScenario
        for patch in patches {
            let count = source.components(separatedBy: patch.old).count - 1
            try #require(count == 1, "patch target must occur once, found \(count) times: \(patch.old)")
            source = source.replacingOccurrences(of: patch.old, with: patch.new)
        }
        return source
    }
}

private let topKeys = "scenario, services, injections, barriers, responders, modifiers, controls, observed, drill, checks"
private let injectionKeys = "id, target, at, probability, effect, ramp, lasts, recovers, triggered_by, dormant, description"
private let preventKeys = "id, type, reliability, common_cause, description, against, effectiveness, exposure, takes"
private let detectKeys = "id, type, reliability, common_cause, description, watches, when, every, chance_per_check, delay, notifies"
private let mitigateKeys = "id, type, reliability, common_cause, description, removes, caps, takes, automatic, when"
private let responderKeys = "id, acknowledge, escalate_after, escalates_to, diagnose, accuracy, uses, forwards_to, forward_delay, description"
private let durationHelp = "a duration is a number with a unit s, m, h or d: 90s, 5m, 1h30m, 2d"
private let probabilityHelp = "a probability lies in [0, 1]: write 0.95 or 95%"
private let distributionHelp = "a duration like 5m, or one of {uniform: [2m, 10m]}, {triangular: [2m, 5m, 30m]}, {exponential: {mean: 10m}}, {lognormal: {median: 5m, p90: 20m}}, {empirical: [3m, 5m, 7m]}"
private let listHelp = "write a list, with '- ' items or [a, b]"
private let services = "services: web, api, db, cache"

let malformedCases: [MalformedCase] = [
    // MARK: Unknown keys, with did-you-mean, at every level
    MalformedCase("unknown top-level key", ("checks:\n", "1️⃣chekcs:\n"),
                  expect: "unknown key 'chekcs' in the scenario file (did you mean 'checks'? allowed: \(topKeys))"),
    MalformedCase("unknown key in the header", ("  horizon: 8h\n", "  1️⃣horizn: 8h\n"),
                  expect: "unknown key 'horizn' in the 'scenario' section (did you mean 'horizon'? allowed: id, title, description, category, tags, horizon, incident_when)"),
    MalformedCase("unknown key in a service", ("    slo: 99.9%\n", "    slo: 99.9%\n    1️⃣slo_windw: 30d\n"),
                  expect: "unknown key 'slo_windw' in service 'web' (did you mean 'slo_window'? allowed: id, traffic, slo, slo_window, depends_on, description)"),
    MalformedCase("unknown key in a dependency", ("{service: cache, weight: 10%}", "{service: cache, 1️⃣wieght: 10%}"),
                  expect: "unknown key 'wieght' in a dependency of service 'api' (did you mean 'weight'? allowed: service, weight)"),
    MalformedCase("unknown key in an injection", ("    at: 0m\n", "    at: 0m\n    1️⃣probabilty: 50%\n"),
                  expect: "unknown key 'probabilty' in injection 'bad-push' (did you mean 'probability'? allowed: \(injectionKeys))"),
    MalformedCase("unknown key in an effect (no 'empty effect' echo)", ("{error_rate: 40%}", "{1️⃣error_rte: 40%}"),
                  expect: "unknown key 'error_rte' in 'effect' of injection 'bad-push' (did you mean 'error_rate'? allowed: error_rate, down)"),
    MalformedCase("misspelt required key in a trigger (no 'missing when' echo)", ("      when: {service: api, error_rate_above: 30%", "      1️⃣wen: {service: api, error_rate_above: 30%"),
                  expect: "unknown key 'wen' in 'triggered_by' of injection 'db-overload' (did you mean 'when'? allowed: when, probability)"),
    MalformedCase("unknown key in a trigger condition", ("error_rate_above: 30%, for: 3m}", "error_rate_above: 30%, 1️⃣fr: 3m}"),
                  expect: "unknown key 'fr' in the trigger condition of injection 'db-overload' (did you mean 'for'? allowed: service, error_rate_above, for)"),
    MalformedCase("unknown key in a prevent barrier", ("    effectiveness: 30%\n", "    1️⃣efectiveness: 30%\n"),
                  expect: "unknown key 'efectiveness' in prevent barrier 'validation' (did you mean 'effectiveness'? allowed: \(preventKeys))"),
    MalformedCase("key of another barrier type", ("    effectiveness: 30%\n", "    effectiveness: 30%\n    1️⃣watches: api\n"),
                  expect: "key 'watches' does not apply to prevent barrier 'validation' ('watches' belongs to detect barriers; a prevent barrier takes \(preventKeys))"),
    MalformedCase("plural form of a detect barrier key", ("    notifies: oncall\n", "    1️⃣notify: oncall\n"),
                  expect: "unknown key 'notify' in detect barrier 'api-alert' (did you mean 'notifies'? allowed: \(detectKeys))"),
    MalformedCase("unknown key in a detect condition (no 'no threshold' echo)", ("{error_rate_above: 5%, for: 5m}", "{1️⃣error_rate_abov: 5%, for: 5m}"),
                  expect: "unknown key 'error_rate_abov' in the condition of detect barrier 'api-alert' (did you mean 'error_rate_above'? allowed: error_rate_above, for, burn_rate_above, window)"),
    MalformedCase("unknown key in a mitigate barrier", ("    reliability: 90%\n", "    1️⃣reliabilty: 90%\n"),
                  expect: "unknown key 'reliabilty' in mitigate barrier 'rollback' (did you mean 'reliability'? allowed: \(mitigateKeys))"),
    MalformedCase("unknown key in a cap", ("dependency: db, weight: 20%}", "1️⃣dependncy: db, weight: 20%}"),
                  expect: "unknown key 'dependncy' in 'caps' of mitigate barrier 'breaker' (did you mean 'dependency'? allowed: service, dependency, weight)"),
    MalformedCase("unknown key in a responder (no escalation echo)", ("    escalate_after: 15m\n", "    1️⃣escalate_afer: 15m\n"),
                  expect: "unknown key 'escalate_afer' in responder 'oncall' (did you mean 'escalate_after'? allowed: \(responderKeys))"),
    MalformedCase("unknown key in a modifier", ("    applies_to: [oncall]\n", "    1️⃣apply_to: [oncall]\n"),
                  expect: "unknown key 'apply_to' in modifier 'night' (did you mean 'applies_to'? allowed: id, probability, multiply, applies_to, description)"),
    MalformedCase("unknown key in multiply", ("{acknowledge: 2.0}", "{1️⃣acknowlege: 2.0}"),
                  expect: "unknown key 'acknowlege' in 'multiply' of modifier 'night' (did you mean 'acknowledge'? allowed: acknowledge, diagnose, forward_delay, takes, delay)"),
    MalformedCase("unknown key in a control", ("    remove: [modifiers.night]\n", "    remove: [modifiers.night]\n    1️⃣descripton: x\n"),
                  expect: "unknown key 'descripton' in control 'no-night' (did you mean 'description'? allowed: id, action_item, description, add, set, remove)"),
    MalformedCase("unknown section in a control's add", ("      barriers:\n        - {id: canary", "      1️⃣barrier:\n        - {id: canary"),
                  expect: "unknown key 'barrier' in 'add' of control 'canary' (did you mean 'barriers'? allowed: services, injections, barriers, responders, modifiers)"),
    MalformedCase("unknown key in an element a control adds", ("effectiveness: 80%}", "1️⃣efectiveness: 80%}"),
                  expect: "with control 'canary': unknown key 'efectiveness' in prevent barrier 'canary' (did you mean 'effectiveness'? allowed: \(preventKeys))"),
    MalformedCase("unknown key in observed", ("  timeline:\n", "  1️⃣timelin:\n"),
                  expect: "unknown key 'timelin' in the 'observed' section (did you mean 'timeline'? allowed: postmortem, started, pins, timeline)"),
    MalformedCase("unknown milestone in the timeline", ("    detected: 31m\n", "    1️⃣detect: 31m\n"),
                  expect: "unknown key 'detect' in the observed timeline (did you mean 'detected'? allowed: detected, acknowledged, diagnosed, mitigated, recovered)"),
    MalformedCase("misspelt required key in the drill", ("  briefing: You are on call.\n", "  1️⃣briefng: You are on call.\n"),
                  expect: "unknown key 'briefng' in the 'drill' section (did you mean 'briefing'? allowed: briefing, roles, seed, injects, actions, rubric, penalties, debrief)"),
    MalformedCase("unknown key in an inject", ("      to: [ops]\n", "      1️⃣too: [ops]\n"),
                  expect: "unknown key 'too' in an inject (did you mean 'to'? allowed: when, at, show, to)"),
    MalformedCase("unknown key in a drill action", ("      harmful: true\n", "      1️⃣harmfull: true\n"),
                  expect: "unknown key 'harmfull' in drill action 'restart' (did you mean 'harmful'? allowed: id, label, takes, role, reveals, uses, harmful, adds)"),
    MalformedCase("unknown key in a rubric item", ("      within: 5m\n", "      1️⃣whithin: 5m\n"),
                  expect: "unknown key 'whithin' in rubric item 'acked' (did you mean 'within'? allowed: id, objective, action, within, from, metric, points)"),
    MalformedCase("misspelt required key in a penalty", ("      feedback: Check", "      1️⃣feedbak: Check"),
                  expect: "unknown key 'feedbak' in a penalty (did you mean 'feedback'? allowed: action, points, feedback)"),
    MalformedCase("unknown key in a check", ("    with: [canary]\n", "    1️⃣width: [canary]\n"),
                  expect: "unknown key 'width' in check 'canary works' (did you mean 'with'? allowed: name, with, expect)"),
    MalformedCase("unknown key in a lognormal body", ("{median: 12m, p90: 45m}", "{median: 12m, 1️⃣p95: 45m}"),
                  expect: "unknown key 'p95' in 'diagnose' of responder 'oncall' (lognormal) (did you mean 'p90'? allowed: median, p90)"),
    MalformedCase("unknown distribution", ("    acknowledge: 5m\n", "    acknowledge: {1️⃣lognormla: {median: 5m, p90: 9m}}\n"),
                  expect: "'acknowledge' of responder 'backup': unknown distribution 'lognormla' (did you mean 'lognormal'? \(distributionHelp))"),
    MalformedCase("unknown expectation comparison", ("{incident_probability_below: 25%}", "{1️⃣incident_probability_bellow: 25%}"),
                  expect: "'expect' of check 'canary works': 'incident_probability_bellow' does not end in _below, _above, _at_most or _at_least (did you mean 'incident_probability_below'? write QUANTITY_below: VALUE, e.g. incident_probability_below: 25%)"),
    MalformedCase("unknown expectation quantity", ("{incident_probability_below: 25%}", "{1️⃣incidents_probability_below: 25%}"),
                  expect: "'expect' of check 'canary works': unknown quantity 'incidents_probability' in 'incidents_probability_below' (did you mean 'incident_probability'? e.g. incident_probability, averted, new_harm, time_to_detect_p90, failed_requests_mean, failed_requests_change, time_to_detect_probability)"),
    MalformedCase("YAML merge key", ("    acknowledge: 5m\n    diagnose: 10m\n", "    1️⃣<<: {acknowledge: 5m}\n    diagnose: 10m\n"),
                  expect: "merge keys '<<' are not supported (write the keys out; an alias like *name may stand for a whole value)"),

    // MARK: Wrong types
    MalformedCase("top level is a list", text: "1️⃣- scenario\n- services\n",
                  expect: "the scenario file must be a mapping, not a list (keys: \(topKeys))"),
    MalformedCase("header is a list", ("scenario:\n  id: minimal\n  title: Minimal scenario\n  horizon: 8h\n", "scenario: 1️⃣[minimal]\n"),
                  expect: "the 'scenario' section must be a mapping, not a list (keys: id, title, description, category, tags, horizon, incident_when)"),
    MalformedCase("title is a mapping", ("  title: Minimal scenario\n", "  title: 1️⃣{text: Minimal}\n"),
                  expect: "scenario title must be a single value, not a mapping (write a single value: a word, a number or text in quotes)"),
    MalformedCase("depends_on is a scalar", ("depends_on: [api]", "depends_on: 1️⃣api"),
                  expect: "'depends_on' of service 'web' must be a list, not the scalar 'api' (\(listHelp))"),
    MalformedCase("effect is a list", ("{error_rate: 40%}", "1️⃣[40%]"),
                  expect: "'effect' of injection 'bad-push' must be a mapping, not a list (keys: error_rate, down)"),
    MalformedCase("error rate is a list", ("{error_rate: 40%}", "{error_rate: 1️⃣[40%]}"),
                  expect: "'error_rate' of injection 'bad-push' must be a probability, not a list (\(probabilityHelp))"),
    MalformedCase("ramp is a duration", ("    at: 0m\n", "    at: 0m\n    ramp: 1️⃣4m\n"),
                  expect: "'ramp' of injection 'bad-push' must be a mapping, not the scalar '4m' (keys: over, steps)"),
    MalformedCase("against is a mapping (no 'stands against nothing' echo)", ("    against: [bad-push]\n    effectiveness: 30%", "    against: 1️⃣{id: bad-push}\n    effectiveness: 30%"),
                  expect: "'against' of prevent barrier 'validation' must be a list, not a mapping (\(listHelp))"),
    MalformedCase("horizon is a distribution", ("horizon: 8h", "horizon: 1️⃣{uniform: [1h, 2h]}"),
                  expect: "horizon must be a duration, not a mapping (\(durationHelp))"),
    MalformedCase("dormant is not a boolean (no 'not dormant' echo)", ("dormant: true", "dormant: 1️⃣yes"),
                  expect: "'dormant' of injection 'cold-cache': 'yes' is not true or false (write true or false)"),
    MalformedCase("pins are a list", ("  pins:\n    barriers.validation.works.bad-push: false\n    responders.oncall.acknowledge: 4m\n", "  pins: 1️⃣[a, b]\n"),
                  expect: "pins must be a mapping of draw addresses to values, not a list (write pins: {responders.primary-oncall.acknowledge: 4m})"),
    MalformedCase("set is a list (no 'changes nothing' echo)", ("    set:\n      barriers.api-alert.when: {error_rate_above: 2%, for: 2m}\n", "    set: 1️⃣[barriers.api-alert.when]\n"),
                  expect: "set of control 'tighter-alert' must be a mapping of paths to values, not a list (write set: {barriers.ID.FIELD: VALUE})"),
    MalformedCase("expect is a list", ("expect: {incident_probability_below: 25%}", "expect: 1️⃣[incident_probability_below]"),
                  expect: "'expect' of check 'canary works' must be a mapping, not a list (write {incident_probability_below: 25%})"),
    MalformedCase("roles are a scalar (no unknown-role echoes)", ("roles: [commander, ops]", "roles: 1️⃣commander"),
                  expect: "roles must be a list, not the scalar 'commander' (\(listHelp))"),
    MalformedCase("points are not a number", ("      points: 10\n", "      points: 1️⃣ten\n"),
                  expect: "'points' of rubric item 'acked' must be a whole number, not 'ten' (write a whole number, like 3)"),
    MalformedCase("a mapping as a key", ("  horizon: 8h\n", "  ? 1️⃣{a: b}\n  : 8h\n"),
                  expect: "a mapping key must be a plain value, not a mapping (write keys as names, like 'id:')"),

    // MARK: Out-of-range and malformed values
    MalformedCase("error rate of 120%", ("{error_rate: 40%}", "{error_rate: 1️⃣120%}"),
                  expect: "'error_rate' of injection 'bad-push': probability '120%' is above 100% (\(probabilityHelp))"),
    MalformedCase("effectiveness of -5%", ("    effectiveness: 30%\n", "    effectiveness: 1️⃣-5%\n"),
                  expect: "'effectiveness' of prevent barrier 'validation': probability '-5%' is negative (\(probabilityHelp))"),
    MalformedCase("reliability NaN", ("    reliability: 90%\n", "    reliability: 1️⃣.nan\n"),
                  expect: "'reliability' of mitigate barrier 'rollback': probability '.nan' is not a number (\(probabilityHelp))"),
    MalformedCase("probability .inf", ("    probability: 30%\n", "    probability: 1️⃣.inf\n"),
                  expect: "'probability' of modifier 'night': probability '.inf' is infinite (\(probabilityHelp))"),
    MalformedCase("probability overflowing to infinity", ("{error_rate: 40%}", "{error_rate: 1️⃣1e400}"),
                  expect: "'error_rate' of injection 'bad-push': probability '1e400' is infinite (\(probabilityHelp))"),
    MalformedCase("negative duration", ("    at: 0m\n", "    at: 1️⃣-5m\n"),
                  expect: "'at' of injection 'bad-push': duration '-5m' is negative (durations are zero or more, like 0m, 90s or 1h30m)"),
    MalformedCase("bare number as a duration", ("escalate_after: 15m", "escalate_after: 1️⃣15"),
                  expect: "'escalate_after' of responder 'oncall': duration '15' has no unit (\(durationHelp))"),
    MalformedCase("unknown duration unit", ("escalate_after: 15m", "escalate_after: 1️⃣15min"),
                  expect: "'escalate_after' of responder 'oncall': '15min' is not a duration (\(durationHelp))"),
    MalformedCase("duration units out of order", ("escalate_after: 15m", "escalate_after: 1️⃣30m1h"),
                  expect: "'escalate_after' of responder 'oncall': '30m1h' is not a duration (write units from largest to smallest, each once, like 1h30m or 2d12h)"),
    MalformedCase("lognormal p90 below its median", ("{median: 12m, p90: 45m}", "{median: 12m, p90: 1️⃣10m}"),
                  expect: "'diagnose' of responder 'oncall': lognormal p90 (10m) is not above its median (12m) (p90 must exceed the median; for a fixed time write a plain duration)"),
    MalformedCase("uniform minimum above maximum (no pin echo)", ("{uniform: [1m, 5m]}", "{uniform: 1️⃣[5m, 1m]}"),
                  expect: "'acknowledge' of responder 'oncall': uniform minimum 5m is above its maximum 1m (write [minimum, maximum])"),
    MalformedCase("uniform with three values", ("{uniform: [1m, 5m]}", "{uniform: 1️⃣[1m, 5m, 7m]}"),
                  expect: "'acknowledge' of responder 'oncall': uniform takes 2 durations, not 3 (\(distributionHelp))"),
    MalformedCase("triangular out of order", ("{triangular: [3m, 5m, 15m]}", "{triangular: 1️⃣[3m, 15m, 5m]}"),
                  expect: "'takes' of mitigate barrier 'rollback': triangular values 3m, 15m, 5m are out of order (write [minimum, mode, maximum] with minimum <= mode <= maximum)"),
    MalformedCase("exponential mean of zero", ("    acknowledge: 5m\n", "    acknowledge: {exponential: 1️⃣{mean: 0m}}\n"),
                  expect: "'acknowledge' of responder 'backup': exponential mean must be above zero (write {exponential: {mean: 10m}})"),
    MalformedCase("empirical without values", ("    acknowledge: 5m\n", "    acknowledge: {empirical: 1️⃣[]}\n"),
                  expect: "'acknowledge' of responder 'backup': empirical needs at least one observed value (write {empirical: [3m, 5m, 7m]})"),
    MalformedCase("uncertain probability out of order", ("    probability: 30%\n", "    probability: {uniform: 1️⃣[90%, 60%]}\n"),
                  expect: "'probability' of modifier 'night': uniform values 90%, 60% are out of order (write [minimum, maximum])"),
    MalformedCase("uncertain probability above 100%", ("    probability: 30%\n", "    probability: {uniform: [60%, 1️⃣120%]}\n"),
                  expect: "'probability' of modifier 'night' (uniform): probability '120%' is above 100% (\(probabilityHelp))"),
    MalformedCase("time distribution as a probability", ("    probability: 30%\n", "    probability: {1️⃣lognormal: {median: 5m, p90: 9m}}\n"),
                  expect: "'probability' of modifier 'night': unknown distribution 'lognormal' for a probability (a probability like 0.95 or 95%, or a belief {uniform: [60%, 90%]} or {triangular: [50%, 80%, 95%]})"),
    MalformedCase("ramp of zero steps", ("    at: 0m\n", "    at: 0m\n    ramp: {over: 4m, steps: 1️⃣0}\n"),
                  expect: "'steps' of 'ramp' of injection 'bad-push' must be at least 1, not 0 (write a whole number of at least 1)"),
    MalformedCase("ramp of 2.5 steps", ("    at: 0m\n", "    at: 0m\n    ramp: {over: 4m, steps: 1️⃣2.5}\n"),
                  expect: "'steps' of 'ramp' of injection 'bad-push' must be a whole number, not '2.5' (write a whole number of at least 1)"),
    MalformedCase("SLO of 100%", ("slo: 99.9%", "slo: 1️⃣100%"),
                  expect: "slo of service 'web' must lie strictly between 0% and 100% (an SLO of 100% leaves no error budget; write, e.g., 99.9%)"),
    MalformedCase("traffic without a unit", ("traffic: 1200/min", "traffic: 1️⃣1200"),
                  expect: "'traffic' of service 'web': traffic '1200' has no unit (traffic is requests per unit of time: 20/s, 1200/min, 72000/h or 100000/d)"),
    MalformedCase("dependency weight of 150%", ("weight: 10%", "weight: 1️⃣150%"),
                  expect: "'weight' of dependency 'cache' of service 'api': probability '150%' is above 100% (\(probabilityHelp))"),
    MalformedCase("horizon of zero", ("horizon: 8h", "horizon: 1️⃣0m"),
                  expect: "horizon must be above zero (a trial needs time to run: write, e.g., 8h)"),
    MalformedCase("negative budget share", ("  horizon: 8h\n", "  horizon: 8h\n  incident_when: {slo_budget_consumed_above: 1️⃣-5%}\n"),
                  expect: "'slo_budget_consumed_above' of incident_when: share '-5%' is negative (a share is zero or more and may exceed 100%: write 0.05 or 5%)"),
    MalformedCase("burn rate of zero", ("    watches: api\n    when: {error_rate_above: 5%, for: 5m}", "    watches: web\n    when: {burn_rate_above: 1️⃣0, window: 1h}"),
                  expect: "'burn_rate_above' of detect barrier 'api-alert' must be above zero, not 0 (write a positive number, like 1.5)"),
    MalformedCase("burn rate on a service without an SLO", ("    watches: api\n    when: {error_rate_above: 5%, for: 5m}", "    watches: 1️⃣api\n    when: {burn_rate_above: 14.4, window: 1h}"),
                  expect: "barrier 'api-alert' alerts on burn rate but service 'api' has no slo (a burn rate is measured against an SLO: add slo: 99.9% to the service)"),
    MalformedCase("modifier factor of zero", ("{acknowledge: 2.0}", "{acknowledge: 1️⃣0}"),
                  expect: "acknowledge factor of modifier 'night' must be above zero, not 0 (write a positive number, like 1.5)"),
    MalformedCase("invalid id", ("  id: minimal\n", "  id: 1️⃣Minimal Scenario\n"),
                  expect: "scenario id 'Minimal Scenario' is not a valid id (ids use lowercase letters, digits and '-', like checkout-5xx-alert)"),
    MalformedCase("drill seed out of range", ("  roles: [commander, ops]\n", "  roles: [commander, ops]\n  seed: 1️⃣-1\n"),
                  expect: "drill seed must be a whole number from 0 to 2^64 - 1, not '-1' (a seed is a whole number from 0 to 18446744073709551615, like 42)"),
    MalformedCase("expectation threshold without a unit", ("{incident_probability_below: 25%}", "{time_to_detect_p90_below: 1️⃣10}"),
                  expect: "'time_to_detect_p90_below' of check 'canary works': duration '10' has no unit (\(durationHelp))"),
    MalformedCase("started is not a date", ("  pins:\n", "  started: 1️⃣yesterday\n  pins:\n"),
                  expect: "started 'yesterday' is not an ISO-8601 date and time (write, e.g., 2025-07-14T13:58:00Z)"),
    MalformedCase("lasts misspelt", ("lasts: 20m", "lasts: 1️⃣until_mitigate"),
                  expect: "lasts of injection 'cold-cache': 'until_mitigate' is not a duration or a known value (did you mean 'until_mitigated'? lasts is until_mitigated, while_triggered, or a duration)"),

    // MARK: Duplicate ids, in each section
    MalformedCase("duplicate service id", ("  - id: cache\n", "  - id: cache\n  - id: 1️⃣db\n"),
                  expect: "duplicate service id 'db' (first defined at line 14, column 9; ids are unique within a section)"),
    MalformedCase("duplicate injection id", ("    dormant: true\n", "    dormant: true\n  - {id: 1️⃣bad-push, target: db, effect: {down: true}}\n"),
                  expect: "duplicate injection id 'bad-push' (first defined at line 17, column 9; ids are unique within a section)"),
    MalformedCase("duplicate barrier id", ("responders:\n", "  - {id: 1️⃣rollback, type: mitigate, removes: [bad-push]}\nresponders:\n"),
                  expect: "duplicate barrier id 'rollback' (first defined at line 43, column 9; ids are unique within a section)"),
    MalformedCase("duplicate responder id", ("modifiers:\n", "  - {id: 1️⃣backup, acknowledge: 1m, diagnose: 1m}\nmodifiers:\n"),
                  expect: "duplicate responder id 'backup' (first defined at line 60, column 9; ids are unique within a section)"),
    MalformedCase("duplicate modifier id", ("controls:\n", "  - {id: 1️⃣night, multiply: {diagnose: 2}}\ncontrols:\n"),
                  expect: "duplicate modifier id 'night' (first defined at line 67, column 9; ids are unique within a section)"),
    MalformedCase("duplicate control id", ("observed:\n", "  - {id: 1️⃣canary, remove: [barriers.validation]}\nobserved:\n"),
                  expect: "duplicate control id 'canary' (first defined at line 72, column 9; ids are unique within a section)"),
    MalformedCase("duplicate drill action id", ("  rubric:\n", "    - {id: 1️⃣roll, label: Again}\n  rubric:\n"),
                  expect: "duplicate drill action id 'roll' (first defined at line 99, column 11; ids are unique within a section)"),
    MalformedCase("duplicate rubric item id", ("  penalties:\n", "    - {id: 1️⃣acked, objective: Again, action: ack, points: 1}\n  penalties:\n"),
                  expect: "duplicate rubric item id 'acked' (first defined at line 108, column 11; ids are unique within a section)"),
    MalformedCase("element added by a control duplicates an id", ("{id: canary, type: prevent", "{id: 1️⃣validation, type: prevent"),
                  expect: "with control 'canary': duplicate barrier id 'validation' (first defined at line 33, column 9; ids are unique within a section)"),

    // MARK: References to ids that do not exist
    MalformedCase("injection target", ("    target: db\n", "    target: 1️⃣dbb\n"),
                  expect: "injection 'db-overload' targets unknown service 'dbb' (did you mean 'db'? \(services))"),
    MalformedCase("prevent against (no pin echo)", ("    against: [bad-push]\n    effectiveness: 30%", "    against: [1️⃣bad-psh]\n    effectiveness: 30%"),
                  expect: "barrier 'validation' stands against unknown injection 'bad-psh' (did you mean 'bad-push'? injections: bad-push, db-overload, cold-cache)"),
    MalformedCase("detect watches", ("    watches: api\n", "    watches: 1️⃣apx\n"),
                  expect: "barrier 'api-alert' watches unknown service 'apx' (did you mean 'api'? \(services))"),
    MalformedCase("detect notifies", ("    notifies: oncall\n", "    notifies: 1️⃣on-call\n"),
                  expect: "barrier 'api-alert' notifies unknown responder 'on-call' (did you mean 'oncall'? responders: oncall, backup, desk)"),
    MalformedCase("mitigate removes", ("removes: [bad-push]", "removes: [1️⃣bad-pus]"),
                  expect: "barrier 'rollback' removes unknown injection 'bad-pus' (did you mean 'bad-push'? injections: bad-push, db-overload, cold-cache)"),
    MalformedCase("cap service", ("caps: {service: api,", "caps: {service: 1️⃣apii,"),
                  expect: "the cap of barrier 'breaker' names unknown service 'apii' (did you mean 'api'? \(services))"),
    MalformedCase("cap on an edge that does not exist", ("dependency: db,", "dependency: 1️⃣web,"),
                  expect: "the cap of barrier 'breaker' names 'api' -> 'web', which is not a dependency ('api' depends on: db, cache)"),
    MalformedCase("automatic mitigation condition", ("{service: db, error_rate_above: 50%}", "{service: 1️⃣dbz, error_rate_above: 50%}"),
                  expect: "the condition of barrier 'breaker' watches unknown service 'dbz' (did you mean 'db'? \(services))"),
    MalformedCase("depends_on (no cap echo)", ("      - db\n", "      - 1️⃣dbx\n"),
                  expect: "service 'api' depends on unknown service 'dbx' (did you mean 'db'? \(services))"),
    MalformedCase("trigger service", ("{service: api, error_rate_above: 30%", "{service: 1️⃣ap, error_rate_above: 30%"),
                  expect: "the trigger of injection 'db-overload' watches unknown service 'ap' (did you mean 'api'? \(services))"),
    MalformedCase("responder uses", ("uses: [rollback]", "uses: [1️⃣rolback]"),
                  expect: "responder 'oncall' uses unknown mitigation 'rolback' (did you mean 'rollback'? mitigations: rollback)"),
    MalformedCase("responder uses a detect barrier", ("uses: [rollback]", "uses: [1️⃣api-alert]"),
                  expect: "responder 'oncall' uses 'api-alert', a detect barrier (responders use mitigate barriers: rollback)"),
    MalformedCase("responder uses an automatic mitigation", ("uses: [rollback]", "uses: [1️⃣breaker]"),
                  expect: "responder 'oncall' uses automatic mitigation 'breaker' (automatic mitigations run by themselves; responders use manual ones: rollback)"),
    MalformedCase("escalates_to", ("escalates_to: backup", "escalates_to: 1️⃣bakup"),
                  expect: "responder 'oncall' escalates to unknown responder 'bakup' (did you mean 'backup'? responders: oncall, backup, desk)"),
    MalformedCase("forwards_to", ("forwards_to: oncall", "forwards_to: 1️⃣oncal"),
                  expect: "responder 'desk' forwards to unknown responder 'oncal' (did you mean 'oncall'? responders: oncall, backup, desk)"),
    MalformedCase("modifier applies_to", ("applies_to: [oncall]", "applies_to: [1️⃣oncal]"),
                  expect: "modifier 'night' applies to unknown responder or barrier 'oncal' (did you mean 'oncall'? responders and barriers: oncall, backup, desk, validation, api-alert, rollback, breaker)"),
    MalformedCase("control set path: unknown element", ("barriers.api-alert.when:", "1️⃣barriers.api-alrt.when:"),
                  expect: "control 'tighter-alert' names 'barriers.api-alrt.when', but barriers has no 'api-alrt' (did you mean 'api-alert'? barriers holds: validation, api-alert, rollback, breaker)"),
    MalformedCase("control set path: unknown section", ("barriers.api-alert.when:", "1️⃣barrier.api-alert.when:"),
                  expect: "control 'tighter-alert' names 'barrier.api-alert.when', but 'barrier' does not exist there (did you mean 'barriers'? sections: \(topKeys))"),
    MalformedCase("control remove path", ("remove: [modifiers.night]", "remove: [1️⃣modifiers.nite]"),
                  expect: "control 'no-night' names 'modifiers.nite', but modifiers has no 'nite' (modifiers holds: night)"),
    MalformedCase("control remove path without an element", ("remove: [modifiers.night]", "remove: [1️⃣modifiers]"),
                  expect: "control 'no-night' removes 'modifiers', which is not a path to an element or field (write SECTION.ID, e.g. modifiers.no-runbook, or SECTION.ID.FIELD)"),
    MalformedCase("check with", ("with: [canary]", "with: [1️⃣canry]"),
                  expect: "check 'canary works' applies unknown control 'canry' (did you mean 'canary'? controls: canary, tighter-alert, no-night)"),
    MalformedCase("pin address: unknown draw", ("responders.oncall.acknowledge: 4m", "1️⃣responders.oncall.acknowledged: 4m"),
                  expect: "pin 'responders.oncall.acknowledged' names no draw of this scenario (did you mean 'responders.oncall.acknowledge'? pins name this scenario's draw addresses)"),
    MalformedCase("pin address: unknown element", ("responders.oncall.acknowledge: 4m", "1️⃣responders.oncal.acknowledge: 4m"),
                  expect: "pin 'responders.oncal.acknowledge' names no draw of this scenario (did you mean 'responders.oncall.acknowledge'? pins name this scenario's draw addresses)"),
    MalformedCase("inject event: unknown element", ("when: barriers.api-alert.paged", "when: 1️⃣barriers.api-alrt.paged"),
                  expect: "an inject waits for 'barriers.api-alrt.paged', but there is no barrier 'api-alrt' (did you mean 'api-alert'? barriers: validation, api-alert, rollback, breaker)"),
    MalformedCase("inject event: unknown event", ("when: barriers.api-alert.paged", "when: 1️⃣barriers.api-alert.page"),
                  expect: "unknown event 'page' in 'barriers.api-alert.page' (did you mean 'paged'? events of barriers: fired, paged, held, failed)"),
    MalformedCase("inject event: unknown subject kind", ("when: barriers.api-alert.paged", "when: 1️⃣barrier.api-alert.paged"),
                  expect: "'barrier.api-alert.paged' is not an event address (did you mean 'barriers'? an event address is SUBJECT.EVENT: injections.ID.occurred, barriers.ID.paged, responders.ID.acknowledged)"),
    MalformedCase("drill action uses", ("      uses: rollback\n", "      uses: 1️⃣rolback\n"),
                  expect: "drill action 'roll' uses unknown mitigation 'rolback' (did you mean 'rollback'? mitigations: rollback, breaker)"),
    MalformedCase("drill action adds", ("adds: cold-cache", "adds: 1️⃣cold-cach"),
                  expect: "drill action 'restart' adds unknown injection 'cold-cach' (did you mean 'cold-cache'? injections: bad-push, db-overload, cold-cache)"),
    MalformedCase("drill action adds an injection that is not dormant", ("adds: cold-cache", "adds: 1️⃣bad-push"),
                  expect: "drill action 'restart' adds injection 'bad-push', which is not dormant (mark it dormant: true so it occurs only when this action is taken)"),
    MalformedCase("rubric action", ("      action: ack\n", "      action: 1️⃣akc\n"),
                  expect: "rubric item 'acked' scores unknown drill action 'akc' (did you mean 'ack'? drill actions: ack, roll, restart)"),
    MalformedCase("rubric from", ("      from: start\n", "      from: 1️⃣strat\n"),
                  expect: "rubric item 'acked' counts from unknown 'strat' (did you mean 'start'? from is start, first_page, detection, or a drill action id: ack, roll, restart)"),
    MalformedCase("penalty action", ("    - action: restart\n", "    - action: 1️⃣restrat\n"),
                  expect: "a penalty names unknown drill action 'restrat' (did you mean 'restart'? drill actions: ack, roll, restart)"),
    MalformedCase("role of a drill action", ("      role: commander\n", "      role: 1️⃣comander\n"),
                  expect: "drill action 'ack' names unknown role 'comander' (did you mean 'commander'? roles: commander, ops)"),
    MalformedCase("role of an inject", ("      to: [ops]\n", "      to: [1️⃣opz]\n"),
                  expect: "an inject names unknown role 'opz' (did you mean 'ops'? roles: commander, ops)"),

    // MARK: Dependency cycles and forwarding loops, named
    MalformedCase("dependency cycle through three services", ("  - id: db\n", "  - id: db\n    depends_on: [1️⃣web]\n"),
                  expect: "dependency cycle: web -> api -> db -> web (the dependency graph must be acyclic; remove one of these depends_on entries)"),
    MalformedCase("dependency cycle through a soft dependency", ("  - id: cache\n", "  - id: cache\n    depends_on: [1️⃣api]\n"),
                  expect: "dependency cycle: api -> cache -> api (the dependency graph must be acyclic; remove one of these depends_on entries)"),
    MalformedCase("service depends on itself", ("  - id: db\n", "  - id: db\n    depends_on: [1️⃣db]\n"),
                  expect: "service 'db' depends on itself (the dependency graph must be acyclic)"),
    MalformedCase("forwarding loop", ("    forwards_to: oncall\n", "    forwards_to: desk2\n  - id: desk2\n    acknowledge: 2m\n    forwards_to: 1️⃣desk\n"),
                  expect: "forwarding loop: desk -> desk2 -> desk (pages must reach a responder who diagnoses; end the chain at one without forwards_to)"),

    // MARK: Injection timing
    MalformedCase("triggered injection with at", ("    lasts: while_triggered\n", "    lasts: while_triggered\n    1️⃣at: 5m\n"),
                  expect: "injection 'db-overload' has both 'at' and 'triggered_by' (a triggered injection starts when its condition holds; remove 'at')"),
    MalformedCase("dormant injection with at", ("    dormant: true\n", "    dormant: true\n    1️⃣at: 5m\n"),
                  expect: "injection 'cold-cache' is dormant and also has 'at' (a dormant injection starts only when a drill action adds it; remove 'at')"),
    MalformedCase("while_triggered without a trigger", ("lasts: 20m", "lasts: 1️⃣while_triggered"),
                  expect: "injection 'cold-cache' lasts while_triggered but has no triggered_by (add triggered_by, or use until_mitigated or a duration)"),

    // MARK: Pins
    MalformedCase("pin above its distribution's range", ("responders.oncall.acknowledge: 4m", "1️⃣responders.oncall.acknowledge: 20m"),
                  expect: "pin 'responders.oncall.acknowledge': 20m lies outside its distribution {uniform: [1m, 5m]} (possible values run from 1m to 10m)"),
    MalformedCase("pin below its distribution's range", ("responders.oncall.acknowledge: 4m", "1️⃣responders.oncall.acknowledge: 30s"),
                  expect: "pin 'responders.oncall.acknowledge': 30s lies outside its distribution {uniform: [1m, 5m]} (possible values run from 1m to 10m)"),
    MalformedCase("pin on a constant time", ("responders.oncall.acknowledge: 4m", "1️⃣responders.backup.acknowledge: 6m"),
                  expect: "pin 'responders.backup.acknowledge': 6m differs from its fixed time 5m (a constant time can only be pinned to its own value; give it a distribution to allow others)"),
    MalformedCase("pin true on a probability-0 outcome", ("    effectiveness: 30%\n", "    effectiveness: 0%\n"),
                  ("barriers.validation.works.bad-push: false", "1️⃣barriers.validation.works.bad-push: true"),
                  expect: "pin 'barriers.validation.works.bad-push': true is impossible, its probability is 0 (a pin must be an outcome the model allows)"),
    MalformedCase("pin false on a certain outcome", ("    effectiveness: 30%\n", "    effectiveness: 100%\n"),
                  ("barriers.validation.works.bad-push: false", "1️⃣barriers.validation.works.bad-push: false"),
                  expect: "pin 'barriers.validation.works.bad-push': false is impossible, its probability is 100% (a pin must be an outcome the model allows; lower the probability if it can fail)"),
    MalformedCase("pin repeat on a draw made once", ("responders.oncall.acknowledge: 4m", "1️⃣responders.oncall.acknowledge#2: 4m"),
                  expect: "pin 'responders.oncall.acknowledge#2': 'responders.oncall.acknowledge' is drawn once per trial and has no repeat #2 (only mitigation attempts, diagnoses and periodic checks repeat)"),
    MalformedCase("pin repeat #1", ("responders.oncall.acknowledge: 4m", "1️⃣responders.oncall.diagnose#1: 4m"),
                  expect: "pin address 'responders.oncall.diagnose#1' has a malformed repeat suffix (the k-th repeat of a draw is ADDRESS#k with k >= 2)"),
    MalformedCase("pin of the wrong kind", ("responders.oncall.acknowledge: 4m", "1️⃣responders.oncall.acknowledge: true"),
                  expect: "pin 'responders.oncall.acknowledge' decides a time (pin it with a duration, like 4m)"),
    MalformedCase("pin value that is nothing known", ("responders.oncall.acknowledge: 4m", "responders.oncall.acknowledge: 1️⃣soon"),
                  expect: "pin 'responders.oncall.acknowledge': 'soon' is not true, false, a duration or a probability (pin a yes/no draw with true or false, a time with a duration like 4m, an uncertain probability with 0.9 or 90%)"),

    // MARK: Controls
    MalformedCase("overlapping controls: a warning at load", ("  - id: no-night\n", "  - id: canary2\n    set:\n      1️⃣barriers.api-alert.when: {error_rate_above: 1%}\n  - id: no-night\n"),
                  severity: .warning,
                  expect: "controls 'tighter-alert' and 'canary2' both change 'barriers.api-alert.when' (they cannot be applied together; whatif and checks must choose between them)"),
    MalformedCase("overlapping controls in a check: an error", ("with: [canary]", "with: [tighter-alert, 2️⃣canary2]"),
                  ("  - id: no-night\n", "  - id: canary2\n    remove: [1️⃣barriers.api-alert]\n  - id: no-night\n"),
                  severity: .warning,
                  expect: "controls 'tighter-alert' and 'canary2' both change 'barriers.api-alert' (they cannot be applied together; whatif and checks must choose between them)",
                  then: "check 'canary works' applies controls 'tighter-alert' and 'canary2', which both change 'barriers.api-alert' (a variant's controls must touch different paths; split the check in two)"),
    MalformedCase("control sets a value that does not decode", ("{error_rate_above: 2%, for: 2m}", "{error_rate_above: 2%, for: 1️⃣2}"),
                  expect: "with control 'tighter-alert': 'for' of detect barrier 'api-alert': duration '2' has no unit (\(durationHelp))"),
    MalformedCase("check compares with the baseline but applies no control", ("    with: [canary]\n    expect: {incident_probability_below: 25%}", "    expect: {1️⃣averted_at_least: 70%}"),
                  expect: "check 'canary works': 'averted_at_least' compares against the baseline, but the check applies no control (add with: [CONTROL])"),

    // MARK: Element rules
    MalformedCase("barrier without a type (no pin echo)", ("  - id: validation\n    type: prevent\n", "  - 1️⃣id: validation\n"),
                  expect: "barrier 'validation' is missing 'type' (type is prevent, detect or mitigate)"),
    MalformedCase("barrier of an unknown type", ("    type: prevent\n", "    type: 1️⃣preventive\n"),
                  expect: "barrier 'validation' has unknown type 'preventive' (did you mean 'prevent'? type is prevent, detect or mitigate)"),
    MalformedCase("missing required key", ("  - id: cold-cache\n    target: api\n    effect: {error_rate: 15%}\n", "  - 1️⃣id: cold-cache\n    target: api\n"),
                  expect: "injection 'cold-cache' is missing 'effect' ('effect': {error_rate: 40%} or {down: true}.)"),
    MalformedCase("mitigation that removes an empty list", ("removes: [bad-push]", "removes: 1️⃣[]"),
                  expect: "mitigate barrier 'rollback' removes no injection (list the injections it removes: removes: [bad-config], or give caps)"),
    MalformedCase("prevent barrier against an empty list", ("    against: [bad-push]\n    effectiveness: 30%", "    against: 1️⃣[]\n    effectiveness: 30%"),
                  expect: "prevent barrier 'validation' stands against no injection (list the injections it prevents: against: [bad-config])"),
    MalformedCase("manual mitigation with a condition", ("    reliability: 90%\n", "    reliability: 90%\n    1️⃣when: {service: db, error_rate_above: 50%}\n"),
                  expect: "'when' of mitigate barrier 'rollback' applies only to automatic mitigations (add automatic: true, or remove 'when': responders decide when to run a manual mitigation)"),
    MalformedCase("window with an error-rate condition", ("{error_rate_above: 5%, for: 5m}", "{error_rate_above: 5%, 1️⃣window: 5m}"),
                  expect: "'window' in the condition of detect barrier 'api-alert' goes with burn_rate_above, not error_rate_above (use 'for' to require the error rate to hold for a time)"),
    MalformedCase("common-cause betas that disagree", ("    effectiveness: 30%\n", "    effectiveness: 30%\n    common_cause: {group: g, beta: 10%}\n"),
                  ("    reliability: 90%\n", "    reliability: 90%\n    common_cause: {group: g, beta: 1️⃣20%}\n"),
                  expect: "common-cause group 'g' has beta 20% here but 10% at line 37 (a group fails together with one chance; give every member the same beta)"),
    MalformedCase("responder that neither diagnoses nor forwards", ("  - id: backup\n    acknowledge: 5m\n    diagnose: 10m\n", "  - 1️⃣id: backup\n    acknowledge: 5m\n"),
                  expect: "responder 'backup' has neither 'diagnose' nor 'forwards_to' (a responder either diagnoses, with diagnose: {lognormal: {median: 12m, p90: 45m}}, or relays pages, with forwards_to: RESPONDER)"),
    MalformedCase("inject with both when and at", ("      show: PAGE api 5xx\n", "      1️⃣at: 5m\n      show: PAGE api 5xx\n"),
                  expect: "an inject has both 'when' and 'at' (give one of them: an inject is shown on an event or condition, or at a time)"),
    MalformedCase("penalty with positive points", ("      points: -10\n", "      points: 1️⃣10\n"),
                  expect: "a penalty has positive points: 10 (penalties take points away: write points: -10)"),

    // MARK: YAML syntax: libyaml's position
    MalformedCase("tab in indentation", ("  horizon: 8h\n", "1️⃣\thorizon: 8h\n"),
                  expect: "YAML syntax: found a tab character that violates indentation (indent with spaces; YAML does not allow tabs in indentation; while scanning a plain scalar at line 3, column 10)"),
    MalformedCase("unclosed flow mapping", ("{error_rate: 40%}\n  - id: db-overload", "{error_rate: 40%\n  - id1️⃣: db-overload"),
                  expect: "YAML syntax: did not find expected ',' or '}' (separate the entries of a {...} mapping with ',' and close it with '}'; while parsing a flow mapping at line 20, column 13)"),
    MalformedCase("unclosed quote: reported where it opens", ("  title: Minimal scenario\n", "  title: 1️⃣\"Minimal scenario\n"),
                  expect: "YAML syntax: quoted text is not closed before the end of the file (add the closing quote)"),
    MalformedCase("key indented too far", ("  title: Minimal scenario\n", "   title1️⃣: Minimal scenario\n"),
                  expect: "YAML syntax: mapping values are not allowed in this context (check this line's indentation, or put quotes around a value that contains ': ')"),
    MalformedCase("duplicate key: at the second occurrence", ("  horizon: 8h\n", "  horizon: 8h\n  1️⃣title: again\n"),
                  expect: "duplicate key 'title' (first written at line 3, column 3; each key may appear once in a mapping)"),
    MalformedCase("duplicate key in a flow mapping", ("{error_rate: 40%}", "{error_rate: 40%, 1️⃣error_rate: 50%}"),
                  expect: "duplicate key 'error_rate' (first written at line 20, column 14; each key may appear once in a mapping)"),
    MalformedCase("duplicate top-level section", ("checks:\n", "1️⃣services: []\nchecks:\n"),
                  expect: "duplicate key 'services' (first written at line 5, column 1; each key may appear once in a mapping)"),
    MalformedCase("duplicate pin address", ("    responders.oncall.acknowledge: 4m\n", "    responders.oncall.acknowledge: 4m\n    1️⃣responders.oncall.acknowledge: 5m\n"),
                  expect: "duplicate key 'responders.oncall.acknowledge' (first written at line 84, column 5; each key may appear once in a mapping)"),
    MalformedCase("a second document", ("checks:\n", "1️⃣---\nchecks:\n"),
                  expect: "a second YAML document starts here (a gameday file holds exactly one document; remove the '---' separator or split the file)"),
    MalformedCase("alias without an anchor", ("escalate_after: 15m", "escalate_after: 1️⃣*later"),
                  expect: "alias '*later' refers to no anchor (an alias repeats a value marked earlier in the file with an anchor, like &later 8h)"),
    MalformedCase("control character", ("  title: Minimal scenario\n", "  title: Minimal1️⃣\u{07}scenario\n"),
                  expect: "YAML syntax: control characters are not allowed: byte 0x07 (remove the character, or write it as an escape inside double quotes, like \"\\t\")"),
    MalformedCase("empty file", text: "1️⃣",
                  expect: "the file is empty (a scenario has the sections scenario, services, injections, barriers, responders)"),
    MalformedCase("only comments", text: "1️⃣# a scenario, one day\n",
                  expect: "the file is empty (a scenario has the sections scenario, services, injections, barriers, responders)"),
]

@Test(arguments: malformedCases)
func malformedScenarioReportsExactPositionAndMessage(_ testCase: MalformedCase) throws {
    let marked = MarkedText(try testCase.markedSource())
    let result = ScenarioLoader.check(text: marked.text, path: "case.yaml")
    let actual = result.diagnostics.map { "\($0.location.line):\($0.location.column): \($0.severity.rawValue): \($0.text)" }
    let position = try #require(marked.position(), "the case marks the expected position with 1️⃣")
    var expected = ["\(position): \(testCase.severity.rawValue): \(testCase.expected)"]
    if let then = testCase.then {
        expected.append("\(try #require(marked.position("2️⃣"))): error: \(then)")
    }
    #expect(actual == expected)
    for diagnostic in result.diagnostics {
        #expect(diagnostic.help?.isEmpty == false, "every message says what is allowed: \(diagnostic)")
        #expect(diagnostic.location.file == "case.yaml")
    }
    #expect(result.scenario == nil || !result.diagnostics.contains { $0.severity == .error })
}

@Test func atLeastFiftyMalformedCases() {
    #expect(malformedCases.count >= 50)
    #expect(Set(malformedCases.map(\.name)).count == malformedCases.count, "case names are unique")
}

@Test func minimalScenarioIsValid() throws {
    let result = ScenarioLoader.check(text: minimalScenario, path: "minimal.yaml")
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    #expect(result.scenario != nil)
}

@Test func severalProblemsAreReportedAtOnceInPositionOrder() throws {
    // Problems in different sections, found by different stages (decoding, references, controls,
    // pins), written here in an order unlike the file's.
    let patches: [(String, String)] = [
        ("responders.oncall.acknowledge: 4m", "6️⃣responders.oncall.acknowledge: 20m"),
        ("    watches: api\n", "    watches: 3️⃣apx\n"),
        ("  horizon: 8h\n", "  1️⃣horizn: 8h\n"),
        ("{error_rate_above: 2%, for: 2m}", "{error_rate_above: 2%, for: 5️⃣2}"),
        ("{error_rate: 40%}", "{error_rate: 2️⃣120%}"),
        ("    acknowledge: 5m\n", "    acknowledge: 4️⃣5\n"),
    ]
    var source = minimalScenario
    for (old, new) in patches {
        try #require(source.components(separatedBy: old).count == 2)
        source = source.replacingOccurrences(of: old, with: new)
    }
    let marked = MarkedText(source)
    let result = ScenarioLoader.check(text: marked.text, path: "several.yaml")
    #expect(result.scenario == nil)
    let positions = result.diagnostics.map { "\($0.location.line):\($0.location.column)" }
    let expected = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣"].compactMap { marked.position($0) }
    #expect(positions == expected, "\(result.diagnostics.map(\.description).joined(separator: "\n"))")
    #expect(result.diagnostics.map(\.message) == [
        "unknown key 'horizn' in the 'scenario' section",
        "'error_rate' of injection 'bad-push': probability '120%' is above 100%",
        "barrier 'api-alert' watches unknown service 'apx'",
        "'acknowledge' of responder 'backup': duration '5' has no unit",
        "with control 'tighter-alert': 'for' of detect barrier 'api-alert': duration '2' has no unit",
        "pin 'responders.oncall.acknowledge': 20m lies outside its distribution {uniform: [1m, 5m]}",
    ])
    // load throws the same errors, in the same order.
    #expect(throws: DiagnosticError.self) { try ScenarioLoader.load(text: marked.text, path: "several.yaml") }
}

@Test func tooManyProblemsStopAtTheCollectorLimit() throws {
    let keys = (0..<5_000).map { "  k\($0): v\n" }.joined()
    let result = ScenarioLoader.check(text: "scenario:\n" + keys, path: "many.yaml")
    #expect(result.diagnostics.count == DiagnosticCollector().limit)
    #expect(result.diagnostics.contains { $0.message.hasPrefix("too many problems; stopped after") })
}

@Test func aVariantMayLeaveListsEmptyAfterARemoval() throws {
    // Removing the only injection a barrier stands against (or a mitigation removes) drops the
    // reference; the variant is valid and the barrier acts on nothing.
    let source = minimalScenario.replacingOccurrences(of: "remove: [modifiers.night]", with: "remove: [injections.bad-push]")
    let scenario = try ScenarioLoader.load(text: source, path: "variant.yaml")
    let variant = try scenario.variant(with: ["no-night"])
    #expect(variant.barrier("validation")?.prevent?.against.isEmpty == true)
    #expect(variant.barrier("rollback")?.mitigate?.removes.isEmpty == true)
    #expect(variant.injection("bad-push") == nil)
}
