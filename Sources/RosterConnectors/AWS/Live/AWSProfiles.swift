public import Foundation

/// Resolves credentials, region and endpoint the way the AWS CLI does.
///
/// Order for credentials: `--profile` if given (environment keys are then ignored, as the CLI
/// ignores them); else `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` (`AWS_SESSION_TOKEN`); else the
/// profile named by `AWS_PROFILE` or `default`, read from `~/.aws/credentials` (`[name]`) and
/// `~/.aws/config` (`[profile name]`), where a profile with `role_arn` assumes that role with
/// the credentials of its `source_profile` (chains allowed, loops refused) or of the
/// environment (`credential_source = Environment`).
/// Region: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region`.
/// Endpoint: `--endpoint-url`, `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's `endpoint_url`.
public struct AWSProfileResolver: Sendable {
    /// How to get the credentials a collection starts from.
    public indirect enum CredentialPlan: Sendable, Equatable {
        case direct(AWSCredentials)
        case assumeRole(roleArn: String, sessionName: String, externalId: String?, durationSeconds: Int?, source: CredentialPlan, profile: String)
    }

    public struct Resolved: Sendable, Equatable {
        public var credentials: CredentialPlan
        public var region: String
        public var endpointURL: URL?
        public var profile: String?
    }

    public var environment: [String: String]
    public var profile: String?
    public var region: String?
    public var endpointURL: String?

    public init(environment: [String: String] = ProcessInfo.processInfo.environment, profile: String? = nil, region: String? = nil, endpointURL: String? = nil) {
        self.environment = environment
        self.profile = profile
        self.region = region
        self.endpointURL = endpointURL
    }

    var credentialsFile: String { environment["AWS_SHARED_CREDENTIALS_FILE"] ?? home + "/.aws/credentials" }
    var configFile: String { environment["AWS_CONFIG_FILE"] ?? home + "/.aws/config" }
    var home: String { environment["HOME"] ?? NSHomeDirectory() }

    /// - Throws: ``ConnectorError`` (`.configuration`) naming the profile, file or setting that is missing.
    public func resolve(service: String) throws -> Resolved {
        let profiles = try loadProfiles()
        let explicit = profile != nil
        let name = profile ?? environment["AWS_PROFILE"] ?? environment["AWS_DEFAULT_PROFILE"] ?? "default"
        let settings = profiles[name] ?? [:]
        if explicit && profiles[name] == nil {
            throw ConnectorError(
                .configuration, "profile \"\(name)\" not found in \(credentialsFile) or \(configFile)"
                    + (profiles.isEmpty ? "" : "; profiles there: \(profiles.keys.sorted().joined(separator: ", "))"),
                file: configFile)
        }
        let credentials: CredentialPlan
        if !explicit, let env = environmentCredentials() {
            credentials = .direct(env)
        } else {
            guard profiles[name] != nil else {
                throw ConnectorError(
                    .configuration,
                    "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or pass --profile (no profile \"\(name)\" in \(credentialsFile) or \(configFile))",
                    file: configFile)
            }
            credentials = try plan(for: name, in: profiles, seen: [])
        }
        guard let region = region ?? environment["AWS_REGION"] ?? environment["AWS_DEFAULT_REGION"] ?? settings["region"], !region.isEmpty else {
            throw ConnectorError(
                .configuration, "no AWS region: pass --region, set AWS_REGION, or add `region = us-east-1` to profile \"\(name)\" in \(configFile)",
                file: configFile)
        }
        let endpoint = endpointURL ?? environment["AWS_ENDPOINT_URL_\(service.uppercased())"] ?? environment["AWS_ENDPOINT_URL"] ?? settings["endpoint_url"]
        var url: URL?
        if let endpoint {
            guard let parsed = URL(string: endpoint), let scheme = parsed.scheme, ["http", "https"].contains(scheme), parsed.host != nil else {
                throw ConnectorError(.configuration, "the endpoint URL \"\(endpoint)\" is not an http(s) URL such as http://127.0.0.1:5000", file: endpoint)
            }
            url = parsed
        }
        return Resolved(credentials: credentials, region: region, endpointURL: url, profile: explicit || profiles[name] != nil ? name : nil)
    }

    func environmentCredentials() -> AWSCredentials? {
        guard let id = environment["AWS_ACCESS_KEY_ID"], !id.isEmpty, let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty else { return nil }
        return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: environment["AWS_SESSION_TOKEN"] ?? environment["AWS_SECURITY_TOKEN"], source: "environment")
    }

    func plan(for name: String, in profiles: [String: [String: String]], seen: [String]) throws -> CredentialPlan {
        guard !seen.contains(name) else {
            throw ConnectorError(.configuration, "profile \"\(name)\": source_profile loop \((seen + [name]).joined(separator: " → "))", file: configFile)
        }
        guard let settings = profiles[name] else {
            throw ConnectorError(.configuration, "profile \"\(seen.last ?? name)\" names source_profile \"\(name)\", which does not exist", file: configFile)
        }
        if let role = settings["role_arn"] {
            let sessionName = settings["role_session_name"] ?? "roster-\(Int(Date().timeIntervalSince1970))"
            let duration = try settings["duration_seconds"].map { text -> Int in
                guard let value = Int(text), value >= 900 else {
                    throw ConnectorError(.configuration, "profile \"\(name)\": duration_seconds must be a number of seconds ≥ 900, got \"\(text)\"", file: configFile)
                }
                return value
            }
            let source: CredentialPlan
            switch (settings["source_profile"], settings["credential_source"]) {
            case (nil, nil):
                throw ConnectorError(.configuration, "profile \"\(name)\" has role_arn but neither source_profile nor credential_source", file: configFile)
            case (_?, _?):
                throw ConnectorError(.configuration, "profile \"\(name)\" has both source_profile and credential_source; keep one", file: configFile)
            case (let sourceName?, nil):
                // A profile may be its own source only when it also holds static keys.
                if sourceName == name, let keys = staticKeys(settings, profile: name) {
                    source = .direct(keys)
                } else {
                    source = try plan(for: sourceName, in: profiles, seen: seen + [name])
                }
            case (nil, let kind?):
                guard kind == "Environment", let env = environmentCredentials() else {
                    throw ConnectorError(
                        .configuration, "profile \"\(name)\": credential_source \(kind) is not supported here or has no credentials (Roster supports Environment)",
                        file: configFile)
                }
                source = .direct(env)
            }
            return .assumeRole(roleArn: role, sessionName: sessionName, externalId: settings["external_id"], durationSeconds: duration, source: source, profile: name)
        }
        guard let keys = staticKeys(settings, profile: name) else {
            throw ConnectorError(
                .configuration, "profile \"\(name)\" has no aws_access_key_id/aws_secret_access_key and no role_arn (in \(credentialsFile) or \(configFile))",
                file: credentialsFile)
        }
        return .direct(keys)
    }

    func staticKeys(_ settings: [String: String], profile: String) -> AWSCredentials? {
        guard let id = settings["aws_access_key_id"], let secret = settings["aws_secret_access_key"] else { return nil }
        return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: settings["aws_session_token"] ?? settings["aws_security_token"], source: "profile \(profile)")
    }

    /// Both files merged by profile name; the credentials file wins for the same key.
    func loadProfiles() throws -> [String: [String: String]] {
        var profiles: [String: [String: String]] = [:]
        for (section, values) in try Self.readINI(configFile) {
            let name: String
            if section == "default" {
                name = "default"
            } else if section.hasPrefix("profile ") {
                name = section.dropFirst("profile ".count).trimmingCharacters(in: .whitespaces)
            } else {
                continue
            }
            profiles[name, default: [:]].merge(values) { _, new in new }
        }
        for (section, values) in try Self.readINI(credentialsFile) {
            profiles[section, default: [:]].merge(values) { _, new in new }
        }
        return profiles
    }

    /// Reads an AWS INI file: `[section]` headers, `key = value` lines, `#`/`;` comments.
    static func readINI(_ path: String) throws -> [(String, [String: String])] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConnectorError(.configuration, "cannot be read as UTF-8 text", file: path)
        }
        var sections: [(String, [String: String])] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else {
                    throw ConnectorError(.configuration, "expected a section header such as [default]", file: path, location: "line \(number + 1)")
                }
                sections.append((String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces), [:]))
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                // Nested sub-settings (indented lines under `s3 =`) are not used here.
                if raw.first == " " || raw.first == "\t" { continue }
                throw ConnectorError(.configuration, "expected `key = value`", file: path, location: "line \(number + 1)")
            }
            guard !sections.isEmpty else {
                throw ConnectorError(.configuration, "a setting before any [section] header", file: path, location: "line \(number + 1)")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[sections.count - 1].1[key] = value
        }
        return sections
    }
}
