/// What looks like a secret and is not: documentation examples, placeholders, templates,
/// references to where the real value lives, and values too regular to be random.
///
/// Every candidate from every rule passes through here; the generic assignment rules add their
/// own stricter tests (``Assignment``).
enum NotSecrets {
    /// Substrings (lowercase) that mark a value as an example or a placeholder. AWS's documented
    /// keys (`AKIAIOSFODNN7EXAMPLE`, `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`) end in EXAMPLE.
    static let markers = [
        "example", "sample", "placeholder", "dummy", "fake", "changeme", "change_me", "change-me", "your_", "your-",
        "yourtoken", "yourkey", "yoursecret", "yourpassword", "redacted", "xxxx", "****", "....", "…", "<", ">", "${",
        "{{", "}}", "$(", "%(", "#{", "insert_", "insert-", "replace_", "replace-", "replaceme", "notreal", "not_real",
        "not-a-real", "test_only", "testonly",
    ]

    /// Values the standards print as examples: RFC 6749's and RFC 6750's OAuth tokens, codes
    /// and client secrets, copied into tests and documentation everywhere.
    static let documented: Set<String> = [
        "mF_9.B5f-4.1JqM", "2YotnFZFEjr1zCsicMWpAA", "tGzv3JOkF0XG5Qx2TlKWIA", "SplxlOBeZQQYbYS6WxSbIA", "7Fjfp0ZBr1KtDRbnfVdmIw",
        "8xLOxBtZp8", "s6BhdRkqt3", "czZCaGRSa3F0MzpnWDFmQmF0M2JW", "xyz",
    ]

    /// True when `value` is an example, a placeholder or too regular to be a real secret.
    static func rejects(_ value: String) -> Bool {
        if documented.contains(value) { return true }
        let lower = value.lowercased()
        for marker in markers where lower.contains(marker) { return true }
        return tooRegular(Array(value.utf8))
    }

    /// Few distinct characters, a run of six equal characters, or a run of eight consecutive
    /// ones (`12345678`, `abcdefgh`): typed by a person, not drawn at random. Long encoded
    /// values (session tokens hold `//////////`) are judged by their variety alone.
    static func tooRegular(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 8 else { return false }
        if Set(bytes).count <= min(3, bytes.count / 4) + (bytes.count >= 64 ? 9 : 0) { return true }
        if bytes.count >= 64 { return false }
        var same = 1
        var ascending = 1
        for i in 1..<bytes.count {
            same = bytes[i] == bytes[i - 1] ? same + 1 : 1
            ascending = bytes[i] == bytes[i - 1] &+ 1 ? ascending + 1 : 1
            if same >= 6 || ascending >= 8 { return true }
        }
        return false
    }

    /// Line context that marks a test fixture (`fake_token = "…"`, `# dummy key`).
    static func fixtureContext(_ lineBeforeValue: String) -> Bool {
        let lower = lineBeforeValue.lowercased()
        return ["fake", "dummy", "mock_", "mock-", "mocked", "example", "sample"].contains { lower.contains($0) }
    }
}
