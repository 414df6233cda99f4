public import Foundation

/// The environment (production, staging, development…) an identity belongs to, read from the
/// words around it: folder names, labels, tags, namespaces, project and account names.
///
/// Names are split into words on anything but letters and digits, so `payments-prod-eu`,
/// `prd_payments` and `ns/production` all say production, while `product-api` and `devices` say
/// nothing. The first hint that names an environment wins, so callers pass the most specific
/// first (an explicit `environment` label before a folder name).
///
/// For example:
/// ```swift
/// EnvironmentName.guess(["payments", "gcp/acme-prod-1234"])   // "production"
/// ```
public enum EnvironmentName {
    /// Words and the environment each names.
    static let words: [String: String] = [
        "prod": "production", "production": "production", "prd": "production", "live": "production", "prod1": "production",
        "staging": "staging", "stage": "staging", "stg": "staging", "preprod": "staging", "uat": "staging",
        "dev": "development", "development": "development", "develop": "development",
        "test": "test", "testing": "test", "qa": "test", "tst": "test",
        "sandbox": "sandbox", "sbx": "sandbox", "playground": "sandbox",
    ]

    /// The environment the first telling hint names, or nil.
    public static func guess(_ hints: [String?]) -> String? {
        for hint in hints.compactMap({ $0 }) {
            if let found = environment(in: hint) { return found }
        }
        return nil
    }

    /// The environment one name says, or nil: `acme-prod-1234` → production.
    public static func environment(in name: String) -> String? {
        let parts = name.lowercased().split { !($0.isLetter || $0.isNumber) }
        for part in parts {
            if let found = words[String(part)] { return found }
        }
        return nil
    }
}
