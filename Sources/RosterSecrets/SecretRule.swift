public import RosterModel

/// One secret format: how to find it cheaply, how to confirm it, and what to do about it.
///
/// A rule is a declared value, like a detector. The scanner looks for the rule's `keywords`
/// (literal anchors, matched without regard to case) in one pass over the input; only where a
/// keyword occurs does it run the rule's `pattern`, and only a match that passes the rule's
/// `check` and filters becomes a finding.
///
/// Every rule carries `examples` (text that must produce this rule's finding) and `negatives`
/// (look-alikes that must not); a test runs both for every rule.
///
/// ```swift
/// SecretRule(
///     id: "slack.bot-token", title: "Slack bot token", provider: "slack",
///     keywords: ["xoxb-"],
///     pattern: #"\b(xoxb-[0-9]{10,13}-[0-9]{10,13}-[a-zA-Z0-9]{24})\b"#,
///     examples: ["SLACK_TOKEN=xoxb-…"], negatives: ["xoxb-your-token-here"])
/// ```
public struct SecretRule: Sendable, Identifiable {
    /// Stable id, `provider.kind` (`github.pat.classic`); findings and baselines refer to it.
    public var id: String
    public var title: String
    /// Who issues the credential (`aws`, `github`, `generic`); groups rules in listings.
    public var provider: String
    public var severity: Severity
    /// Every rule's findings are leaked secrets, NHI2; a rule may say otherwise.
    public var owasp: OWASPCategory
    /// Literal anchors, at least one of which occurs in every match; lowercase (matched case-insensitively).
    public var keywords: [String]
    /// A regular expression (ICU syntax, which accepts the usual RE2/PCRE forms `(?i)`, `\b`,
    /// `(?<name>…)`; `(?P<name>…)` is rewritten) that matches the secret in its context.
    public var pattern: String
    /// The capture group that holds the secret; 0 for the whole match. Defaults to 1 when the
    /// pattern has a group, else 0.
    public var secretGroup: Int?
    /// The least Shannon entropy (bits per character) the secret must have.
    public var minEntropy: Double?
    /// A structural check on the secret beyond the pattern (a checksum, a decodable payload).
    public var check: SecretCheck
    /// How the secret is fingerprinted; the namespace the inventory uses for the same credential
    /// (`aws.access-key-id`) lets findings be tied to stored identities.
    public var fingerprint: CredentialFingerprint.Namespace
    public var remediation: String
    /// How matches are found: the pattern (most rules), or a built-in matcher for formats a
    /// single-line pattern cannot describe.
    public var engine: SecretEngine
    /// What must surround a keyword before the pattern is worth running: a short anchor such
    /// as Airtable's `pat` occurs in every `path`, so the rule asks for 14 letters or digits
    /// right after it, which the scanner tests on bytes.
    public var keywordContext: KeywordContext = .none
    /// Words (lowercase) that, inside a value, mark it as not a secret for this rule (gitleaks'
    /// allowlist stopwords).
    public var stopwords: [String] = []
    /// Patterns that, matching a value, mark it as not a secret for this rule (gitleaks' allowlist regexes).
    public var allowPatterns: [String] = []
    /// Text in which the scanner must find this rule's secret.
    public var examples: [String]
    /// Look-alikes in which it must not.
    public var negatives: [String]

    public init(
        id: String, title: String, provider: String, severity: Severity = .high, owasp: OWASPCategory = .nhi2SecretLeakage,
        keywords: [String], pattern: String, secretGroup: Int? = nil, minEntropy: Double? = nil, check: SecretCheck = .none,
        fingerprint: CredentialFingerprint.Namespace = .opaque, remediation: String? = nil, engine: SecretEngine = .pattern,
        examples: [String], negatives: [String] = []
    ) {
        self.engine = engine
        self.id = id
        self.title = title
        self.provider = provider
        self.severity = severity
        self.owasp = owasp
        self.keywords = keywords.map { $0.lowercased() }
        self.pattern = pattern
        self.secretGroup = secretGroup
        self.minEntropy = minEntropy
        self.check = check
        self.fingerprint = fingerprint
        self.remediation = remediation ?? "Revoke the \(title.lowercased()) at its issuer, issue a new one from a secrets manager, and remove it from the file and its history."
        self.examples = examples
        self.negatives = negatives
    }
}

extension SecretRule {
    /// The rule with `context` required around its keywords.
    public func requiring(_ context: KeywordContext) -> SecretRule {
        var rule = self
        rule.keywordContext = context
        return rule
    }
}

/// Bytes that must sit beside a keyword for its rule's pattern to be tried.
public enum KeywordContext: Sendable, Equatable {
    case none
    /// At least `count` characters of `alphabet` after the keyword (and any spaces, tabs, `=`
    /// or quotes right after it).
    case followedBy(Int, KeywordAlphabet)
    /// At least `count` characters of `alphabet` right before the keyword.
    case precededBy(Int, KeywordAlphabet)
}

public enum KeywordAlphabet: Sendable, Equatable {
    /// Letters and digits.
    case alphanumeric
    /// Lowercase hex digits.
    case hex
    /// The base64url alphabet (letters, digits, `-`, `_`).
    case base64url
    /// Bearer-token characters: base64 and base64url, `.` and `~`.
    case token

    @inline(__always) func contains(_ byte: UInt8) -> Bool {
        switch self {
        case .alphanumeric: return (byte | 0x20) &- 97 < 26 || byte &- 48 < 10
        case .hex: return byte &- 48 < 10 || byte &- 97 < 6
        case .base64url: return (byte | 0x20) &- 97 < 26 || byte &- 48 < 10 || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        case .token:
            return (byte | 0x20) &- 97 < 26 || byte &- 48 < 10 || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "~") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
        }
    }
}

/// How a rule finds its matches.
public enum SecretEngine: Sendable, Equatable {
    /// The rule's regular expression, on the line around each keyword.
    case pattern
    /// A PEM-style armoured private key (`-----BEGIN … PRIVATE KEY-----` … `-----END`), across lines
    /// and inside JSON strings with `\n` escapes; `label` is the armour's type (`RSA PRIVATE KEY`).
    case armoredKey(label: String)
    /// `name = value` / `name: value` assignments whose name contains a keyword (password, secret,
    /// token…), with a value that is not code, a reference or a placeholder.
    case assignment
    /// The base64 `data` of a Kubernetes Secret manifest, decoded and scanned by every other
    /// rule; the rule itself never reports.
    case kubernetesSecretData
}

/// A structural check a matched secret must pass.
public enum SecretCheck: Sendable, Equatable {
    case none
    /// GitHub's token format (and npm's): the last 6 characters are the base62 CRC32 of the rest
    /// after the prefix (`ghp_` + 30 random + 6 checksum).
    case base62CRC32(prefixLength: Int)
    /// A JSON Web Token: three base64url parts, the first two JSON objects, the header with `alg`.
    case jwt
    /// Base64 that decodes to at least `minBytes` bytes.
    case base64(minBytes: Int)
    /// The secret must contain at least one digit and one letter (kills words and numbers).
    case mixedCharacters
}
