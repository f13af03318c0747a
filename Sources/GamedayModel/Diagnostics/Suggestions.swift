/// "Did you mean" hints for misspelt keys and ids.
public enum Suggestions {
    /// The candidate closest to `word` by edit distance, when it is close enough to be a likely typo.
    ///
    /// Close enough means at most one edit for short words and about a third of the word's length
    /// for longer ones; a candidate that differs only in case or in `-` against `_` always counts.
    public static func closest(to word: String, in candidates: some Sequence<String>) -> String? {
        let normalized = normalize(word)
        var best: (String, Int)?
        for candidate in candidates {
            if normalize(candidate) == normalized { return candidate }
            let distance = editDistance(word, candidate)
            let limit = max(1, min(word.count, candidate.count) / 3)
            if distance <= limit, distance < (best?.1 ?? .max) { best = (candidate, distance) }
        }
        return best?.0
    }

    private static func normalize(_ s: String) -> String {
        String(s.lowercased().map { $0 == "_" ? "-" : $0 })
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
