import RosterModel

/// Decides whether a person or a machine uses an AWS identity, and says why.
///
/// The rules follow what the sources can show: a console password with MFA is a person; no
/// console password means only programmatic use; roles are judged by who their trust policy
/// lets in (a SAML provider means people, a service or OIDC provider means workloads).
/// A tag `identity-type` (or `roster:nature`) of `human` or `machine` overrides all of it.
enum AWSClassifier {
    static let machineNameTokens: Set<String> = [
        "svc", "service", "bot", "ci", "cd", "deploy", "deployer", "deployment", "automation", "pipeline", "jenkins", "terraform",
        "tf", "github", "gitlab", "circleci", "buildkite", "app", "api", "integration", "sync", "exporter", "backup", "runner",
        "agent", "system", "sa", "etl", "cron", "job", "worker", "lambda", "datadog", "splunk", "scanner", "monitor", "monitoring",
    ]

    static func override(tags: [String: String]) -> (IdentityNature, String)? {
        for key in ["identity-type", "roster:nature", "identitytype", "nhi"] {
            guard let value = tags.first(where: { $0.key.lowercased() == key })?.value.lowercased() else { continue }
            switch value {
            case "human", "person", "user", "false" where key == "nhi":
                return (.human, "tagged \(key)=\(value)")
            case "machine", "service", "nhi", "workload", "bot", "true" where key == "nhi":
                return (.machine, "tagged \(key)=\(value)")
            default:
                continue
            }
        }
        return nil
    }

    static func looksLikeMachineName(_ name: String) -> Bool {
        let tokens = name.lowercased().split { "-_.@+=,".contains($0) }.map(String.init)
        return tokens.contains { machineNameTokens.contains($0) } || name.lowercased().hasPrefix("svc")
    }

    static func user(name: String, tags: [String: String], console: ConsoleAccess?, usedKeys: [Credential]) -> (IdentityNature, String) {
        if let explicit = override(tags: tags) { return explicit }
        guard let console else {
            return (.unknown, "no credential report imported, so console access is unknown")
        }
        if !console.passwordEnabled {
            return (.machine, "no console password: it can only sign in programmatically")
        }
        if console.mfaActive {
            return (.human, "console password with MFA")
        }
        if let key = usedKeys.first {
            return (.machine, "console password without MFA, but access key \(key.preview ?? key.id) is used programmatically\(key.lastUsedDetail.map { " (\($0))" } ?? "")")
        }
        if looksLikeMachineName(name) {
            return (.machine, "console password without MFA, but the name reads as a service account")
        }
        return (.human, "console password without MFA and no programmatic use")
    }

    static func role(name: String, path: String?, tags: [String: String], trust: PolicyDocument?) -> (IdentityNature, String) {
        if let explicit = override(tags: tags) { return explicit }
        if path?.hasPrefix("/aws-reserved/sso.amazonaws.com/") == true {
            return (.human, "an IAM Identity Center (SSO) permission-set role: people sign in through it")
        }
        let principals = trust?.trustedPrincipals ?? []
        func values(_ kind: TrustedPrincipal.Kind) -> [String] { principals.filter { $0.kind == kind }.map(\.value) }
        let services = values(.service)
        let oidc = values(.oidc)
        let saml = values(.saml)
        let aws = values(.everyone) + values(.aws) + values(.allExcept)
        if !saml.isEmpty {
            return (.human, "trusted by SAML provider \(Self.lastComponent(saml[0])): people sign in through it")
        }
        if !oidc.isEmpty {
            return (.machine, "assumed by workloads through OIDC provider \(Self.lastComponent(oidc[0]))")
        }
        if !services.isEmpty {
            return (.machine, "assumed by AWS service \(services.sorted().joined(separator: ", "))")
        }
        if !aws.isEmpty {
            if looksLikeMachineName(name) {
                return (.machine, "assumed by AWS principals, and the name reads as a workload role")
            }
            return (.unknown, "assumed by AWS principals (\(aws.prefix(2).joined(separator: ", "))); whether people or workloads use it is not recorded")
        }
        return (.unknown, "its trust policy lets no one assume it")
    }

    static func lastComponent(_ arn: String) -> String {
        if let slash = arn.firstIndex(of: "/") { return String(arn[arn.index(after: slash)...]) }
        return arn
    }
}

