import Foundation

/// Parses the ISO 8601 timestamps that cloud CLIs print, without a formatter per call.
///
/// Accepts `2024-03-01T10:15:00Z`, `2024-03-01T10:15:00.000Z`, `2024-03-01T10:15:00+00:00`,
/// `2024-03-01 10:15:00+00:00` and a bare date `2024-03-01` (midnight UTC).
enum Timestamp {
    static func parse(_ text: some StringProtocol) -> Date? {
        let b = Array(text.utf8)
        func digits(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var value = 0
            for i in from..<(from + count) {
                let d = Int(b[i]) - 48
                guard d >= 0, d <= 9 else { return nil }
                value = value * 10 + d
            }
            return value
        }
        guard let year = digits(0, 4), b.count >= 10, b[4] == 0x2D, let month = digits(5, 2), b[7] == 0x2D, let day = digits(8, 2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard day <= daysInMonth else { return nil }
        var seconds = 0.0
        var i = 10
        if b.count > 10 {
            guard b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " ") || b[10] == UInt8(ascii: "t"),
                let hour = digits(11, 2), b.count > 13, b[13] == 0x3A, let minute = digits(14, 2), hour < 24, minute < 60
            else { return nil }
            i = 16
            var second = 0
            if i < b.count, b[i] == 0x3A {
                guard let s = digits(17, 2), s <= 60 else { return nil }
                second = s
                i = 19
            }
            var fraction = 0.0
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                var scale = 0.1
                let start = i
                while i < b.count, b[i] >= 48, b[i] <= 57 {
                    fraction += Double(b[i] - 48) * scale
                    scale /= 10
                    i += 1
                }
                guard i > start else { return nil }
            }
            seconds = Double(hour * 3600 + minute * 60 + second) + fraction
            if i < b.count {
                switch b[i] {
                case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                    i += 1
                case UInt8(ascii: "+"), UInt8(ascii: "-"):
                    let sign = b[i] == UInt8(ascii: "+") ? 1.0 : -1.0
                    guard let oh = digits(i + 1, 2) else { return nil }
                    var om = 0
                    if i + 3 < b.count, b[i + 3] == 0x3A {
                        guard let m = digits(i + 4, 2) else { return nil }
                        om = m
                        i += 6
                    } else if let m = digits(i + 3, 2) {
                        om = m
                        i += 5
                    } else {
                        i += 3
                    }
                    seconds -= sign * Double(oh * 3600 + om * 60)
                default:
                    return nil
                }
            }
        }
        guard i == b.count else { return nil }
        return Date(timeIntervalSince1970: Double(ActivityTime.daysFromCivil(year, month, day)) * 86_400 + seconds)
    }
}
