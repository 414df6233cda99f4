import RosterModel

/// The rules Roster ships, by family. Users add their own with a rules file
/// (``SecretRulesFile``), in Roster's format or gitleaks'.
public enum SecretRules {
    public static var all: [SecretRule] {
        aws + keys + gcpKeyFile + cloud + infra + registry + sourceControl + saas + generic + decoders
    }

    /// Not formats but containers: encoded values that are opened and scanned by the other rules.
    public static let decoders: [SecretRule] = [
        SecretRule(
            id: "kubernetes.secret-data", title: "Kubernetes Secret data (decoded)", provider: "kubernetes",
            keywords: ["kind: secret", "\"kind\": \"secret\"", "\"kind\":\"secret\""],
            pattern: "(base64 values under data: of a kind: Secret document)", engine: .kubernetesSecretData,
            examples: [
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: deploy\ndata:\n  AWS_ACCESS_KEY_ID: QUtJQTRRS1pCN1gyTTVOUFJTM1Q=\n"
            ],
            negatives: [
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  password: Y2hhbmdlbWVjaGFuZ2VtZQ==\n",
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  password: ${DB_PASSWORD}\n",
            ]),
    ]
}
