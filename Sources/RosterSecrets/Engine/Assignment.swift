/// Generic secrets: a value assigned to a name that says it is one (`DB_PASSWORD=…`,
/// `"client_secret": "…"`, `api_token: …`).
///
/// The name is the identifier around the keyword; what follows must be an assignment (`=`, `:`,
/// `:=`, `=>`), not a comparison; the value must look drawn rather than written: long enough,
/// more than one kind of character, enough entropy, not a word, not code (a call, a member, an
/// environment lookup), not a reference (`${…}`, `%(…)s`, `{{ … }}`), not a path or URL, not a
/// hash or UUID, and not a placeholder.
enum Assignment {
    /// Name endings that hold something other than the secret itself.
    static let nonSecretSuffixes: Set<String> = [
        "hash", "hashed", "digest", "checksum", "salt", "length", "len", "min", "max", "policy", "field", "file", "path", "dir",
        "url", "uri", "endpoint", "env", "name", "names", "type", "regex", "pattern", "prompt", "label", "header", "placeholder",
        "enabled", "required", "expires", "expiry", "expiration", "ttl", "timeout", "count", "id", "ids", "format", "version",
        "mode", "provider", "store", "manager", "param", "arn", "ref", "key_id", "keyid", "fingerprint", "hint", "question",
        "reset", "changed", "updated", "created", "at", "validator", "rotation", "style", "class", "size", "limit", "public",
    ]
    /// Suffixes of a camelCase name that say it holds something else.
    static let joinedSuffixes = ["hash", "url", "uri", "name", "id", "path", "file", "type", "length", "policy", "field", "env", "regex", "pattern", "prompt", "label", "header", "endpoint", "expiry", "expires", "ttl", "count"]

    /// Values that are words people use in configuration, not secrets.
    static let words: Set<String> = [
        "true", "false", "null", "nil", "none", "undefined", "required", "optional", "string", "password", "secret", "token",
        "changeit", "default", "disabled", "enabled", "empty", "hidden", "masked", "unset", "string?", "bytes", "object",
    ]

    static func matches(
        in buffer: UnsafeRawBufferPointer, at offsets: [Int], keywords: [[UInt8]], rule: CompiledRule, index: Int,
        into found: inout [SecretScanner.Candidate]
    ) {
        var covered = -1
        for offset in offsets where offset >= covered {
            guard let value = assignedValue(buffer, keywordAt: offset) else { continue }
            covered = value.range.upperBound
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[value.range]), as: UTF8.self)
            guard looksDrawn(text, quoted: value.quoted), rule.accepts(text) else { continue }
            let lineStart = CompiledRule.lineWindow(buffer, around: offset).lowerBound
            let before = String(decoding: UnsafeRawBufferPointer(rebasing: buffer[lineStart..<value.range.lowerBound]), as: UTF8.self)
            if NotSecrets.fixtureContext(before) { continue }
            var candidate = SecretScanner.Candidate(rule: index, range: value.range, value: text)
            candidate.attributes["name"] = value.name
            found.append(candidate)
        }
    }

    struct Value {
        var name: String
        var range: Range<Int>
        var quoted: Bool
    }

    @inline(__always) static func isNameByte(_ b: UInt8) -> Bool {
        (b | 0x20) &- 97 < 26 || b &- 48 < 10 || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
    }

    static func assignedValue(_ bytes: UnsafeRawBufferPointer, keywordAt offset: Int) -> Value? {
        let count = bytes.count
        // The operator comes first: most keywords in code (`token` in `parseToken(`) are not
        // followed by one, and are dropped before any string is made.
        var end = offset
        while end < count, end - offset < 64, isNameByte(bytes[end]) { end += 1 }
        // A name inside a string is a key only when the string closes right after it.
        var i = end
        if i < count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") { i += 1 }
        while i < count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
        guard i < count else { return nil }
        // The operator.
        switch bytes[i] {
        case UInt8(ascii: "="):
            if i + 1 < count, bytes[i + 1] == UInt8(ascii: "=") { return nil }  // ==
            i += 1
            if i < count, bytes[i] == UInt8(ascii: ">") { i += 1 }  // =>
        case UInt8(ascii: ":"):
            if i + 1 < count, bytes[i + 1] == UInt8(ascii: ":") { return nil }  // ::
            i += 1
            if i < count, bytes[i] == UInt8(ascii: "=") { i += 1 }  // :=
        default:
            return nil
        }
        while i < count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
        guard i < count else { return nil }
        var start = offset
        while start > 0, offset - start < 64, isNameByte(bytes[start - 1]) { start -= 1 }
        // `scheme://user:token@host`: URL credentials, which the URL rules judge with the URL.
        if start >= 3, bytes[start - 1] == UInt8(ascii: "/"), bytes[start - 2] == UInt8(ascii: "/"), bytes[start - 3] == UInt8(ascii: ":") { return nil }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        let lowerName = name.lowercased()
        let lastPart = lowerName.split(whereSeparator: { $0 == "_" || $0 == "-" || $0 == "." }).last.map(String.init) ?? lowerName
        if nonSecretSuffixes.contains(lastPart) { return nil }
        // camelCase names: `secretName`, `tokenUrl`, `passwordHash`, `apiKeyId`.
        if name.utf8.contains(where: { $0 &- 65 < 26 }), joinedSuffixes.contains(where: { lastPart.count > $0.count && lastPart.hasSuffix($0) }) { return nil }
        let quote = bytes[i]
        if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") || quote == UInt8(ascii: "`") {
            let valueStart = i + 1
            var j = valueStart
            while j < count, j - valueStart <= 256, bytes[j] != quote, bytes[j] != 0x0A {
                if bytes[j] == UInt8(ascii: "\\") { j += 1 }
                j += 1
            }
            guard j < count, bytes[j] == quote else { return nil }
            return Value(name: name, range: valueStart..<j, quoted: true)
        }
        // Unquoted values are configuration (`.env`, YAML, INI, properties), where the name starts
        // its line and the value ends it. Elsewhere an unquoted "value" is code: a type after a
        // parameter label (`token: Token?`), an argument, an expression.
        guard startsLine(bytes, at: start) else { return nil }
        let valueStart = i
        var j = i
        while j < count, j - valueStart <= 256 {
            let b = bytes[j]
            if b <= 0x20 || b == UInt8(ascii: ",") || b == UInt8(ascii: ";") || b == UInt8(ascii: ")") || b == UInt8(ascii: "}")
                || b == UInt8(ascii: "]") || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")
            {
                break
            }
            j += 1
        }
        guard j > valueStart, endsLine(bytes, at: j) else { return nil }
        return Value(name: name, range: valueStart..<j, quoted: false)
    }

    /// Only indentation, a list dash, `export`, `set` or `ENV` before `offset` on its line.
    static func startsLine(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        var i = offset
        while i > 0, offset - i < 64, bytes[i - 1] != 0x0A { i -= 1 }
        var prefix = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[i..<offset]), as: UTF8.self).trimmingCharacters(in: .whitespaces)
        for word in ["export", "set", "ENV", "setx", "declare -x", "-"] where prefix.hasPrefix(word) {
            prefix = String(prefix.dropFirst(word.count)).trimmingCharacters(in: .whitespaces)
        }
        return prefix.isEmpty || prefix == "\"" || prefix == "'"
    }

    /// Only spaces and perhaps a comment after `offset` on its line.
    static func endsLine(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        var i = offset
        // A trailing `,` or `;` is code (a parameter list, a statement), not configuration.
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D { i += 1 }
        guard i < bytes.count, bytes[i] != 0x0A else { return true }
        return bytes[i] == UInt8(ascii: "#") || (bytes[i] == UInt8(ascii: "/") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "/"))
    }

    static func looksDrawn(_ value: String, quoted: Bool) -> Bool {
        let bytes = Array(value.utf8)
        guard bytes.count >= 8, bytes.count <= 256 else { return false }
        let lower = value.lowercased()
        if words.contains(lower) { return false }
        guard let first = bytes.first else { return false }
        // References and templates.
        if "$%{<@".utf8.contains(first) { return false }
        // YAML tags, anchors and aliases (`!Ref Name`, `*default`) and comments, when unquoted.
        if !quoted, "&*!#".utf8.contains(first) { return false }
        if value.contains("://") || value.hasPrefix("/") || value.hasPrefix("./") || value.hasPrefix("~/") { return false }
        if bytes.contains(where: { $0 == 0x20 || $0 == 0x09 }) { return false }
        // Code: calls, members, subscripts, environment lookups.
        if value.contains("(") || value.contains("[") || lower.contains("env.") || lower.contains("environ") || lower.contains("getenv") { return false }
        // Members, optional chaining and force-unwrapped names (`callback!`) are code.
        let unwrapped = value.hasSuffix("!") ? Array(bytes.dropLast()) : bytes
        if !quoted, isDottedIdentifier(bytes) || value.contains("?")
            || (value.hasSuffix("!") && unwrapped.allSatisfy { ($0 | 0x20) &- 97 < 26 || $0 &- 48 < 10 || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") })
        {
            return false
        }
        // Stored password hashes (`md5` + 32 hex, as PostgreSQL keeps them; `{SHA}`; bcrypt) are not the password.
        if lower.hasPrefix("md5"), bytes.count == 35, isHex(Array(bytes.dropFirst(3))) { return false }
        if lower.hasPrefix("{sha") || lower.hasPrefix("{ssha") || lower.hasPrefix("$2a$") || lower.hasPrefix("$2b$") || lower.hasPrefix("$argon2") { return false }
        // Kinds of character: a word or a number is not drawn.
        let hasLower = bytes.contains { $0 &- 97 < 26 }
        let hasUpper = bytes.contains { $0 &- 65 < 26 }
        let hasDigit = bytes.contains { $0 &- 48 < 10 }
        let hasOther = bytes.contains { !($0 &- 97 < 26 || $0 &- 65 < 26 || $0 &- 48 < 10) }
        let kinds = [hasLower, hasUpper, hasDigit, hasOther].filter { $0 }.count
        guard kinds >= 2, hasDigit || hasOther || (hasLower && hasUpper && bytes.count >= 16) else { return false }
        if !hasLower, !hasUpper { return false }
        // Hashes and identifiers that are not secrets.
        if isHex(bytes), [32, 40, 56, 64, 96, 128].contains(bytes.count) { return false }
        if isUUID(bytes) { return false }
        // camelCase or snake_case identifiers with a digit or two (`userPassword2`) are names.
        if isIdentifierLike(bytes) { return false }
        let entropy = Checks.entropy(bytes)
        return entropy >= (bytes.count < 16 ? 2.6 : 3.0)
    }

    static func isHex(_ bytes: [UInt8]) -> Bool {
        bytes.allSatisfy { $0 &- 48 < 10 || $0 &- 97 < 6 } || bytes.allSatisfy { $0 &- 48 < 10 || $0 &- 65 < 6 }
    }

    static func isUUID(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == 36 else { return false }
        for (i, b) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(i) { if b != UInt8(ascii: "-") { return false } } else if !(b &- 48 < 10 || lowerByte(b) &- 97 < 6) { return false }
        }
        return true
    }

    @inline(__always) static func lowerByte(_ b: UInt8) -> UInt8 { b | 0x20 }

    static func isDottedIdentifier(_ bytes: [UInt8]) -> Bool {
        guard bytes.contains(UInt8(ascii: ".")) else { return false }
        return bytes.split(separator: UInt8(ascii: ".")).allSatisfy { part in
            guard let first = part.first, (first | 0x20) &- 97 < 26 || first == UInt8(ascii: "_") else { return false }
            return part.allSatisfy { ($0 | 0x20) &- 97 < 26 || $0 &- 48 < 10 || $0 == UInt8(ascii: "_") }
        }
    }

    /// Letters with at most two digits at the end, with `_` or `-` between words: a name.
    static func isIdentifierLike(_ bytes: [UInt8]) -> Bool {
        var digits = 0
        var sawDigit = false
        for b in bytes {
            if b &- 48 < 10 {
                digits += 1
                sawDigit = true
            } else if (b | 0x20) &- 97 < 26 || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") {
                if sawDigit { return false }
            } else {
                return false
            }
        }
        return digits <= 2
    }
}
