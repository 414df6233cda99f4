public import RosterModel

/// A secret's value, held only for as long as a scan needs it (to pair an AWS key id with its
/// secret, or to verify a key when asked to). It prints as its redacted preview, is not Codable,
/// and never reaches the store or any output.
public struct SecretValue: Sendable, Hashable, CustomStringConvertible {
    private let value: String

    init(_ value: String) { self.value = value }

    /// The value itself, for `--verify` only.
    public func revealForVerification() -> String { value }

    public var description: String { CredentialFingerprint.preview(value) }
}

/// One secret found in one input: where, which rule, and how to recognise it again.
public struct SecretMatch: Sendable, Hashable {
    public var ruleId: String
    /// 1-based line and byte column of the secret's first character.
    public var line: Int
    public var column: Int
    /// Byte offset of the secret in the input.
    public var offset: Int
    public var length: Int
    public var fingerprint: CredentialFingerprint
    /// Redacted: the first and last four characters at most.
    public var preview: String
    /// Facts the format itself carries (`keyId` of an AWS key, `privateKeyId` and `clientEmail`
    /// of a GCP key file, `encrypted` for an armoured key with a passphrase).
    public var attributes: [String: String]
    /// The secret that belongs with this one: an AWS secret access key beside its key id.
    public var paired: PairedSecret?
    public var value: SecretValue

    public struct PairedSecret: Sendable, Hashable {
        public var ruleId: String
        public var fingerprint: CredentialFingerprint
        public var preview: String
        public var line: Int
        public var value: SecretValue
    }
}
