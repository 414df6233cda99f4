import RosterModel

extension SecretRules {
    /// Private keys in PEM, OpenSSH, PGP and PuTTY armour, and GCP service-account key files.
    ///
    /// Public keys and certificates carry the same armour and are never reported: only labels
    /// that say PRIVATE are rules.
    public static let keys: [SecretRule] = [
        armored("private-key.rsa", "RSA private key", label: "RSA PRIVATE KEY"),
        armored("private-key.ec", "EC private key", label: "EC PRIVATE KEY"),
        armored("private-key.dsa", "DSA private key", label: "DSA PRIVATE KEY"),
        armored("private-key.pkcs8", "PKCS #8 private key", label: "PRIVATE KEY"),
        armored("private-key.pkcs8-encrypted", "Encrypted PKCS #8 private key", label: "ENCRYPTED PRIVATE KEY", severity: .medium),
        armored("private-key.openssh", "OpenSSH private key", label: "OPENSSH PRIVATE KEY"),
        armored("private-key.pgp", "PGP private key block", label: "PGP PRIVATE KEY BLOCK"),
        SecretRule(
            id: "private-key.putty", title: "PuTTY private key", provider: "keys", severity: .high,
            keywords: ["putty-user-key-file-"],
            pattern: #"PuTTY-User-Key-File-[23]: [a-z0-9-]+\r?\n[\s\S]{0,4096}?Private-Lines: \d+\r?\n([A-Za-z0-9+/=\r\n]{64,})"#,
            remediation: "Remove the key from every authorized_keys it opens, generate a new key pair, and keep the private half in an agent or a secrets manager.",
            examples: [
                "PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: deploy@build-01\nPublic-Lines: 2\n"
                    + "AAAAB3NzaC1yc2EAAAABJQAAAQEAq7Lm2Xz9Vb4Rt6Yh1Gs5Ff0Dd8Jk2Lp9XcNm\nQw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz2Xc4Vb6Nm8Qw0Er==\n"
                    + "Private-Lines: 2\n" + syntheticBody(seed: "putty", length: 64) + "\n" + syntheticBody(seed: "putty2", length: 44) + "\nPrivate-MAC: 3f9c2a7b1e5d8046c2f1a9b7e3d5c8a1f0b2e4d6\n"
            ],
            negatives: ["PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: build\nPublic-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAIG"]),
    ]

    static func armored(_ id: String, _ title: String, label: String, severity: Severity = .high) -> SecretRule {
        let body = syntheticBody(seed: id)
        return SecretRule(
            id: id, title: title, provider: "keys", severity: severity,
            keywords: ["-----begin"], pattern: "-----BEGIN \(label)-----",
            remediation: "Remove the key from every place that trusts it (authorized_keys, a deploy key, a certificate), issue a new key pair, and keep the private half in a secrets manager or an agent.",
            engine: .armoredKey(label: label),
            examples: [
                "-----BEGIN \(label)-----\n\(body.chunked(64))\n-----END \(label)-----\n",
                #"{"key": "-----BEGIN \#(label)-----\n\#(body.chunked(64).replacingOccurrences(of: "\n", with: "\\n"))\n-----END \#(label)-----\n"}"#,
            ],
            negatives: [
                "-----BEGIN \(label)-----\n...\n-----END \(label)-----",
                "-----BEGIN \(label)-----\n<paste your key here>\n-----END \(label)-----",
                "-----BEGIN PUBLIC KEY-----\n\(body.chunked(64))\n-----END PUBLIC KEY-----",
            ])
    }

    /// A random-looking base64 body, the same for the same seed (examples must be stable).
    static func syntheticBody(seed: String, length: Int = 256) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
        var state = UInt64(truncatingIfNeeded: seed.utf8.reduce(14_695_981_039_346_656_037) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 })
        return String((0..<length).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return alphabet[Int((state >> 33) % 64)]
        })
    }

    /// GCP service-account key files: the JSON `gcloud iam service-accounts keys create` writes.
    /// The key id is fingerprinted as the inventory fingerprints GCP key ids.
    public static let gcpKeyFile: [SecretRule] = [
        SecretRule(
            id: "gcp.service-account-key", title: "GCP service account key file", provider: "gcp", severity: .critical,
            keywords: ["\"private_key_id\""],
            pattern: #""private_key_id"\s*:\s*"([0-9a-f]{40})"(?:[\s\S]{0,4096}?"client_email"\s*:\s*"(?<clientEmail>[^"@\s]+@[^"\s]+)")?"#,
            fingerprint: .gcpServiceAccountKeyId,
            remediation: "Delete the key (gcloud iam service-accounts keys delete), check the audit logs for its use, and move the workload to Workload Identity or attached service accounts.",
            examples: [
                #"{"type": "service_account", "project_id": "acme-prod", "private_key_id": "3f9c2a7b1e5d8046c2f1a9b7e3d5c8a1f0b2e4d6", "client_email": "deployer@acme-prod.iam.gserviceaccount.com"}"#
            ],
            negatives: [#"{"private_key_id": "<KEY_ID>", "client_email": "sa@example.iam.gserviceaccount.com"}"#]),
    ]
}

extension String {
    /// The text in lines of `width` characters.
    func chunked(_ width: Int) -> String {
        var lines: [Substring] = []
        var rest = self[...]
        while !rest.isEmpty {
            lines.append(rest.prefix(width))
            rest = rest.dropFirst(width)
        }
        return lines.joined(separator: "\n")
    }
}
