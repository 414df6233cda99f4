import Foundation

/// A plain-text table: left-aligned columns, long cells shortened, imported text sanitised.
struct Table {
    var headers: [String]
    var rows: [[String]] = []
    var maxCellWidth = 64

    init(_ headers: [String]) {
        self.headers = headers
    }

    mutating func add(_ row: [String]) { rows.append(row) }

    func render() -> String {
        let cells = ([headers] + rows).map { $0.map { Self.shorten(Sanitize.text($0), to: maxCellWidth) } }
        var widths = Array(repeating: 0, count: headers.count)
        for row in cells {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
        }
        var out = ""
        for (n, row) in cells.enumerated() {
            var line = ""
            for (i, cell) in row.enumerated() {
                line += i == row.count - 1 ? cell : cell.padding(toLength: widths[i] + 2, withPad: " ", startingAt: 0)
            }
            out += line + "\n"
            if n == 0 { out += widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ") + "\n" }
        }
        return out
    }

    static func shorten(_ text: String, to width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }
}

/// RFC 4180 CSV, with imported text made safe to open: cells that a spreadsheet would run as
/// formulas neutralised, and control characters written as visible escapes.
///
/// A table replaces control characters with U+FFFD; CSV is read back by programs too, so each is
/// written as an escape that says what it was instead: ESC as `\x1B`, CR as `\r`, U+202E as
/// `\u202E`. A backslash already in the text is left as it is: the escapes are for reading, and
/// no escape written here can turn back into the character it stands for.
struct CSVWriter {
    var headers: [String]
    var rows: [[String]] = []

    init(_ headers: [String]) {
        self.headers = headers
    }

    mutating func add(_ row: [String]) { rows.append(row) }

    func render() -> String {
        ([headers] + rows).map { $0.map(Self.escape).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    static func escape(_ value: String) -> String {
        var cell = visible(value)
        if let first = cell.first, "=+-@".contains(first), cell.count > 1, !(cell.dropFirst().allSatisfy(\.isNumber)) { cell = "'" + cell }
        if cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return cell
    }

    /// `value` with every character the table output would hide (C0 and C1 controls, DEL,
    /// bidirectional overrides and isolates), and the Unicode line and paragraph separators,
    /// written as a visible escape.
    static func visible(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: needsEscape) else { return value }
        var out = ""
        for scalar in value.unicodeScalars {
            guard needsEscape(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out += String(format: scalar.value < 0x100 ? "\\x%02X" : "\\u%04X", scalar.value)
            }
        }
        return out
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        Sanitize.isUnsafe(scalar) || scalar.value == 0x2028 || scalar.value == 0x2029
    }
}
