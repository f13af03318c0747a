import Testing

/// Fixture text with position markers, in the manner of swift-format's tests.
///
/// A marker (`1️⃣` ... `9️⃣`) is placed right before the token a diagnostic must point at. The
/// markers are removed and their line and column recorded, counting columns in Unicode scalars
/// as libyaml does.
struct MarkedText {
    static let markerNames = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣"]

    /// The text without its markers.
    let text: String
    /// Each marker's 1-based line and column in ``text``.
    let markers: [String: (line: Int, column: Int)]

    init(_ marked: String) {
        var text = ""
        var markers: [String: (line: Int, column: Int)] = [:]
        var line = 1, column = 1
        var rest = Substring(marked)
        scan: while let character = rest.first {
            for name in Self.markerNames where rest.hasPrefix(name) {
                precondition(markers[name] == nil, "marker \(name) is used twice")
                markers[name] = (line, column)
                rest = rest.dropFirst(name.count)
                continue scan
            }
            rest.removeFirst()
            text.append(character)
            if character == "\n" {
                line += 1
                column = 1
            } else {
                column += character.unicodeScalars.count
            }
        }
        self.text = text
        self.markers = markers
    }

    /// `line:column` of a marker.
    func position(_ name: String = "1️⃣") -> String? {
        markers[name].map { "\($0.line):\($0.column)" }
    }
}

@Test func markedTextStripsMarkersAndCountsScalars() {
    let marked = MarkedText("a: 1\nb: 1️⃣x\n  é: 2️⃣y\n")
    #expect(marked.text == "a: 1\nb: x\n  é: y\n")
    #expect(marked.position("1️⃣") == "2:4")
    #expect(marked.position("2️⃣") == "3:6")
}
