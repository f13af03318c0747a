/// The JSON Schema (draft 2020-12) of the scenario format, generated from ``ScenarioFormat``.
///
/// Editors that speak yaml-language-server complete keys and flag wrong values with it. It
/// checks shapes, not cross-references; `gameday validate` does both.
public enum ScenarioSchema {
    /// The schema's `$id`.
    public static let id = "https://gameday.dev/schema/scenario-v1.json"

    /// The schema as a JSON value.
    public static var json: JSONValue {
        var defs = JSONObject()
        for object in ScenarioFormat.Object.allCases where object != .root {
            defs[object.rawValue] = objectSchema(object)
        }
        for (name, schema) in scalarDefinitions { defs[name] = schema }
        var root = JSONObject()
        root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        root["$id"] = .string(id)
        root["title"] = "gameday scenario"
        root["description"] = "A gameday scenario: services, injections, barriers, responders, controls, observed incident, drill and checks."
        if case .object(let body) = objectSchema(.root) {
            for (k, v) in body.pairs { root[k] = v }
        }
        root["$defs"] = .object(defs)
        return .object(root)
    }

    private static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/$defs/\(name)")] }

    private static func objectSchema(_ object: ScenarioFormat.Object) -> JSONValue {
        var properties = JSONObject()
        for field in ScenarioFormat.fields(object) {
            var schema = typeSchema(field.type)
            if case .object(var o) = schema {
                o["description"] = .string(field.summary)
                schema = .object(o)
            }
            properties[field.name] = schema
        }
        var result = JSONObject()
        result["type"] = "object"
        result["properties"] = .object(properties)
        let required = ScenarioFormat.requiredKeys(object)
        if !required.isEmpty { result["required"] = .array(required.map { .string($0) }) }
        result["additionalProperties"] = false
        switch object {
        case .effect, .incidentWhen:
            result["minProperties"] = 1
            result["maxProperties"] = 1
        default: break
        }
        return .object(result)
    }

    private static func typeSchema(_ type: ScenarioFormat.ValueType) -> JSONValue {
        switch type {
        case .string: return ["type": "string"]
        case .text: return ["type": "string"]
        case .id: return ref("id")
        case .idList: return ["oneOf": [ref("id"), ["type": "array", "items": ref("id")]]]
        case .duration: return ref("duration")
        case .signedDuration: return ["type": "string", "pattern": #"^-?([0-9]+(\.[0-9]+)?[dhms])+$"#]
        case .timeDistribution: return ref("timeDistribution")
        case .probability: return ref("probability")
        case .probabilityValue: return ref("probabilityValue")
        case .share: return ref("share")
        case .traffic: return ref("traffic")
        case .number: return ["type": "number"]
        case .positiveNumber: return ["type": "number", "exclusiveMinimum": 0]
        case .integer: return ["type": "integer"]
        case .bool: return ["type": "boolean"]
        case .dateTime: return ["type": "string", "pattern": #"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$"#]
        case .object(let object): return ref(object.rawValue)
        case .list(let item): return ["type": "array", "items": typeSchema(item)]
        case .oneOf(let types): return ["anyOf": .array(types.map(typeSchema))]
        case .constant(let value): return ["const": .string(value)]
        case .enumeration(let values): return ["enum": .array(values.map { .string($0) })]
        case .freeMapping(let pattern, let value):
            var o = JSONObject()
            o["type"] = "object"
            if let pattern { o["propertyNames"] = ["pattern": .string(pattern)] }
            if let value { o["additionalProperties"] = typeSchema(value) }
            return .object(o)
        case .any: return [:]
        }
    }

    private static let durationPattern = #"^([0-9]+(\.[0-9]+)?d)?([0-9]+(\.[0-9]+)?h)?([0-9]+(\.[0-9]+)?m)?([0-9]+(\.[0-9]+)?s)?$"#
    private static let percentPattern = #"^(100(\.0+)?|[0-9]{1,2}(\.[0-9]+)?)\s*%$"#

    private static var scalarDefinitions: [(String, JSONValue)] {
        let duration: JSONValue = ["type": "string", "pattern": .string(durationPattern), "minLength": 2,
                                   "description": "A number with a unit s, m, h or d: 90s, 5m, 1h30m, 2d."]
        let probability: JSONValue = ["anyOf": [["type": "number", "minimum": 0, "maximum": 1], ["type": "string", "pattern": .string(percentPattern)]],
                                      "description": "A probability in [0, 1]: 0.95 or 95%."]
        let durations: (Int?) -> JSONValue = { count in
            var o: JSONObject = ["type": "array", "items": ref("duration")]
            if let count { o["minItems"] = .int(count); o["maxItems"] = .int(count) } else { o["minItems"] = 1 }
            return .object(o)
        }
        let probabilities: (Int) -> JSONValue = { count in
            ["type": "array", "items": ref("probability"), "minItems": .int(count), "maxItems": .int(count)]
        }
        func single(_ key: String, _ schema: JSONValue) -> JSONValue {
            ["type": "object", "properties": .object([key: schema]), "required": [.string(key)], "additionalProperties": false]
        }
        return [
            ("id", ["type": "string", "pattern": "^[a-z0-9-]+$", "description": "Lowercase letters, digits and '-'."]),
            ("duration", duration),
            ("probability", probability),
            ("share", ["anyOf": [["type": "number", "minimum": 0], ["type": "string", "pattern": #"^[0-9]+(\.[0-9]+)?\s*%$"#]],
                       "description": "A share of an SLO's error budget: 0.05 or 5%; may exceed 100%."]),
            ("traffic", ["type": "string", "pattern": #"^[0-9]+(\.[0-9]+)?\s*/\s*(s|min|h|d)$"#, "description": "Requests per unit of time: 20/s, 1200/min, 72000/h."]),
            ("timeDistribution", ["anyOf": [
                ref("duration"),
                single("uniform", durations(2)),
                single("triangular", durations(3)),
                single("exponential", ref("distributionExponential")),
                single("lognormal", ref("distributionLognormal")),
                single("empirical", durations(nil)),
            ], "description": "A duration, or {uniform: [a, b]}, {triangular: [min, mode, max]}, {exponential: {mean}}, {lognormal: {median, p90}}, {empirical: [...]}."]),
            ("probabilityValue", ["anyOf": [
                ref("probability"),
                single("uniform", probabilities(2)),
                single("triangular", probabilities(3)),
            ], "description": "A probability, or a belief {uniform: [60%, 90%]} or {triangular: [50%, 80%, 95%]}."]),
        ]
    }
}

extension YAMLNode {
    /// The node as JSON under the YAML 1.2 core schema (what yaml-language-server checks):
    /// plain `true`/`false` are booleans, plain numbers are numbers, plain `null`/`~`/empty is
    /// null, everything else is a string.
    public var jsonValue: JSONValue {
        switch content {
        case .scalar(let s):
            if s.isNull { return .null }
            guard s.style == .plain else { return .string(s.text) }
            if s.text == "true" || s.text == "True" || s.text == "TRUE" { return .bool(true) }
            if s.text == "false" || s.text == "False" || s.text == "FALSE" { return .bool(false) }
            if isCoreNumber(s.text), let d = Double(s.text) { return .number(d) }
            return .string(s.text)
        case .sequence(let items): return .array(items.map(\.jsonValue))
        case .mapping(let pairs): return .object(JSONObject(pairs.map { ($0.key.scalar?.text ?? "", $0.value.jsonValue) }))
        }
    }
}

private func isCoreNumber(_ text: String) -> Bool {
    // YAML 1.2 core schema: [-+]?[0-9]+ and [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
    var chars = Substring(text)
    if chars.first == "-" || chars.first == "+" { chars = chars.dropFirst() }
    guard !chars.isEmpty else { return false }
    var sawDigit = false, sawDot = false, sawExponent = false
    var previous: Character = " "
    for c in chars {
        if c.isASCII && c.isNumber { sawDigit = true }
        else if c == "." && !sawDot && !sawExponent { sawDot = true }
        else if (c == "e" || c == "E") && sawDigit && !sawExponent { sawExponent = true }
        else if (c == "-" || c == "+") && (previous == "e" || previous == "E") {}
        else { return false }
        previous = c
    }
    return sawDigit && previous != "e" && previous != "E" && previous != "-" && previous != "+"
}
