/// The kinds the X.509 connector maps certificate folders to.
///
/// A leaf certificate is an identity (`x509:sha256:<DER SHA-256>`): whoever holds its private key
/// authenticates as its subject. Client certificates (extended key usage `clientAuth`) are the
/// machine identities of mutual TLS; server certificates are the identities services prove to
/// their clients. Certificate authorities are resources that issue them, not identities.
///
/// Certificates are fingerprinted with the model's existing
/// ``CredentialFingerprint/Namespace/x509Certificate`` (`x509.certificate-der`, the SHA-256 of the
/// DER encoding), so the same certificate met in a folder, a Kubernetes TLS secret or a scan meets.
extension IdentityKind {
    /// A leaf certificate whose extended key usage includes `clientAuth` (TLS client authentication).
    public static let x509ClientCertificate: IdentityKind = "x509.client-certificate"
    /// A leaf certificate for TLS servers (`serverAuth`) that may not authenticate clients.
    public static let x509ServerCertificate: IdentityKind = "x509.server-certificate"
}

extension EdgeKind {
    /// A certificate was issued (signed) by a certificate authority found in the same folder.
    public static let x509IssuedBy: EdgeKind = "x509.issued-by"
    /// A private key file lies beside a certificate (same base name, or in the same PEM file).
    public static let x509PrivateKeyBeside: EdgeKind = "x509.private-key-beside"
}

/// The tag keys the X.509 connector writes on each certificate identity, which X.509 detectors
/// read: one spelling for both sides.
public enum X509Tag {
    /// The subject distinguished name, `CN=payments-api,OU=payments-team,O=Acme`.
    public static let subject = "x509.subject"
    public static let issuer = "x509.issuer"
    /// The serial number in lowercase hex.
    public static let serial = "x509.serial"
    /// `RSA`, `EC`, `Ed25519`, `DSA`, or the key algorithm's OID.
    public static let keyAlgorithm = "x509.key-algorithm"
    /// The key size in bits (RSA modulus, DSA prime, EC field), when known.
    public static let keyBits = "x509.key-bits"
    /// The named curve of an EC key: `P-256`.
    public static let curve = "x509.curve"
    /// `sha256WithRSAEncryption`, `ecdsa-with-SHA256`, `sha1WithRSAEncryption`…
    public static let signatureAlgorithm = "x509.signature-algorithm"
    /// `true` when the signature's hash is broken for signatures (MD2, MD5, SHA-1).
    public static let weakSignatureHash = "x509.weak-signature-hash"
    /// Comma-separated extended key usages (`clientAuth,serverAuth`); absent when the certificate does not restrict its use.
    public static let extendedKeyUsage = "x509.extended-key-usage"
    /// Comma-separated subject alternative names: `DNS:api.acme.io,URI:spiffe://acme/payments`.
    public static let subjectAlternativeNames = "x509.san"
    /// `verified` (its own key verifies its signature) or `issuer-equals-subject` (self-issued, key ids agree,
    /// signature not checkable); absent when a CA issued it.
    public static let selfSigned = "x509.self-signed"
    /// The name of the CA in the same folder that issued the certificate, when one is there.
    public static let issuedBy = "x509.issued-by"
    /// Comma-separated folders (scopes) the same certificate was found in, in this import.
    public static let folders = "x509.folders"
    /// Comma-separated environments those folders name (`production,staging`), when their names say.
    public static let environments = "x509.environments"
    /// Comma-separated file names holding the certificate in this folder.
    public static let files = "x509.files"
}
