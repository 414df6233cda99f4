import Foundation

/// Timestamps in activity logs, parsed from their bytes without building a string.
enum ActivityTime {
    /// `2024-03-01T10:15:00Z` (CloudTrail) and `2024-03-01T10:15:00.123456Z` (Kubernetes audit) on a
    /// fast path; other ISO 8601 forms through ``Timestamp/parse(_:)``.
    static func parse(_ p: UnsafePointer<UInt8>, count: Int) -> Date? {
        if count >= 20, p[count - 1] == UInt8(ascii: "Z"), p[4] == 0x2D, p[7] == 0x2D, p[10] == UInt8(ascii: "T"), p[13] == 0x3A,
            p[16] == 0x3A
        {
            var ok = true
            func d(_ k: Int) -> Int {
                let v = Int(p[k]) &- 48
                if v < 0 || v > 9 { ok = false }
                return v
            }
            let year = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3)
            let month = d(5) * 10 + d(6)
            let day = d(8) * 10 + d(9)
            let hour = d(11) * 10 + d(12)
            let minute = d(14) * 10 + d(15)
            let second = d(17) * 10 + d(18)
            var fraction = 0.0
            if count > 20 {
                // `.ffffff` before the Z
                if p[19] != UInt8(ascii: ".") || count == 21 { ok = false }
                var scale = 0.1
                var k = 20
                while ok && k < count - 1 {
                    fraction += Double(d(k)) * scale
                    scale /= 10
                    k += 1
                }
            }
            if ok, (1...12).contains(month), day >= 1, day <= daysIn(month, year), hour < 24, minute < 60, second <= 60 {
                let days = daysFromCivil(year, month, day)
                return Date(timeIntervalSince1970: Double(days * 86400 + hour * 3600 + minute * 60 + second) + fraction)
            }
            if !ok && p[19] != UInt8(ascii: ".") && count == 20 { return nil }
        }
        return Timestamp.parse(String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self))
    }

    static func daysIn(_ month: Int, _ year: Int) -> Int {
        if month == 2 { return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28 }
        return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's `days_from_civil`).
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
