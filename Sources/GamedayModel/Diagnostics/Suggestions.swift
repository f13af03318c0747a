/// "Did you mean" hints for misspelt keys and ids.
public enum Suggestions {
    /// The candidate closest to `word` by edit distance, when it is close enough to be a likely typo.
    ///
    /// Close enough means at most one edit for short words and about a third of the word's length
    /// for longer ones. A candidate that differs only in case, in `-` against `_`, or in the
    /// English ending of a word (`notify` for `notifies`, `apply_to` for `applies_to`) always counts,
    /// and so, when nothing is closer, does one that shares all but the last letter of the shorter
    /// word (`prevent` for `preventive`, `mitigate` for `mitigation`).
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let normalized = normalize(word)
        let stemmed = stem(normalized)
        var best: (String, Int)?
        for candidate in candidates {
            let other = normalize(candidate)
            if other == normalized { return candidate }
            if stem(other) == stemmed, best?.1 != 0 { best = (candidate, 0) }
            let limit = max(1, min(word.count, candidate.count) / 3)
            let shared = zip(normalized, other).prefix { $0 == $1 }.count
            if shared >= max(4, min(normalized.count, other.count) - 1), best == nil { best = (candidate, limit + 1) }
            // Lengths further apart than the limit cannot be within it: skip the distance table.
            guard abs(word.count - candidate.count) <= limit else { continue }
            let distance = editDistance(word, candidate)
            if distance <= limit, distance < (best?.1 ?? .max) { best = (candidate, distance) }
        }
        return best?.0
    }

    private static func normalize(_ s: String) -> String {
        String(s.lowercased().map { $0 == "_" ? "-" : $0 })
    }

    /// Each `-`-separated word without a plural or third-person ending: `applies-to` becomes
    /// `apply-to`, `notifies` becomes `notify`, `removes` becomes `remove`.
    private static func stem(_ normalized: String) -> String {
        normalized.split(separator: "-", omittingEmptySubsequences: false).map { word -> String in
            if word.count > 4, word.hasSuffix("ies") { return word.dropLast(3) + "y" }
            if word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss") { return String(word.dropLast()) }
            return String(word)
        }.joined(separator: "-")
    }

    /// Levenshtein distance over characters (insertions, deletions, substitutions and
    /// transpositions of neighbours, each costing one).
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previousPrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previousPrevious[j - 2] + 1)
                }
                current[j] = value
            }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[b.count]
    }

    /// A short list of names for a message: all of them when few, else the first few and a count.
    public static func list(_ names: [String], limit: Int = 12) -> String {
        if names.isEmpty { return "none" }
        if names.count <= limit { return names.joined(separator: ", ") }
        return names.prefix(limit).joined(separator: ", ") + ", and \(names.count - limit) more"
    }
}
