import Foundation
import RosterConnectors
import Testing

/// Credential, region and endpoint resolution, as the AWS CLI does it.
struct AWSProfileTests {
    /// Writes ~/.aws-style files into a fresh directory and returns an environment pointing at them.
    func files(credentials: String, config: String, extra: [String: String] = [:]) throws -> [String: String] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("roster-profiles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try credentials.write(to: dir.appendingPathComponent("credentials"), atomically: true, encoding: .utf8)
        try config.write(to: dir.appendingPathComponent("config"), atomically: true, encoding: .utf8)
        return ["AWS_SHARED_CREDENTIALS_FILE": dir.appendingPathComponent("credentials").path,
                "AWS_CONFIG_FILE": dir.appendingPathComponent("config").path, "HOME": dir.path].merging(extra) { _, new in new }
    }

    let credentialsFile = """
        [default]
        aws_access_key_id = AKIADEFAULTEXAMPLE01
        aws_secret_access_key = default-secret
        # a comment
        [ci]
        aws_access_key_id = AKIACIEXAMPLE0000001
        aws_secret_access_key = ci-secret
        """
    let configFile = """
        [default]
        region = eu-west-1
        [profile ci]
        region = us-east-2
        [profile auditor]
        role_arn = arn:aws:iam::111122223333:role/auditor
        source_profile = ci
        external_id = ext-1
        role_session_name = roster-audit
        duration_seconds = 1800
        [profile chained]
        role_arn = arn:aws:iam::444455556666:role/reader
        source_profile = auditor
        [profile loop-a]
        role_arn = arn:aws:iam::1:role/a
        source_profile = loop-b
        [profile loop-b]
        role_arn = arn:aws:iam::1:role/b
        source_profile = loop-a
        [profile local]
        region = us-east-1
        endpoint_url = http://127.0.0.1:5000
        aws_access_key_id = testing
        aws_secret_access_key = testing
        """

    @Test func environmentKeysWinOverTheDefaultProfile() throws {
        let env = try files(credentials: credentialsFile, config: configFile, extra: [
            "AWS_ACCESS_KEY_ID": "AKIAENVEXAMPLE000001", "AWS_SECRET_ACCESS_KEY": "env-secret", "AWS_SESSION_TOKEN": "token", "AWS_REGION": "ap-south-1",
        ])
        let resolved = try AWSProfileResolver(environment: env).resolve(service: "iam")
        guard case .direct(let credentials) = resolved.credentials else { Issue.record("expected direct credentials"); return }
        #expect(credentials.accessKeyId == "AKIAENVEXAMPLE000001")
        #expect(credentials.sessionToken == "token")
        #expect(resolved.region == "ap-south-1")
    }

    @Test func anExplicitProfileIgnoresEnvironmentKeys() throws {
        let env = try files(credentials: credentialsFile, config: configFile, extra: ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "s"])
        let resolved = try AWSProfileResolver(environment: env, profile: "ci").resolve(service: "iam")
        #expect(resolved.credentials == .direct(AWSCredentials(accessKeyId: "AKIACIEXAMPLE0000001", secretAccessKey: "ci-secret", source: "profile ci")))
        #expect(resolved.region == "us-east-2")
    }

    @Test func assumeRoleChainsFollowSourceProfiles() throws {
        let env = try files(credentials: credentialsFile, config: configFile)
        // (the calling profile has no region of its own, so one is given, as the CLI requires)
        let resolved = try AWSProfileResolver(environment: env, profile: "chained", region: "us-east-1").resolve(service: "sts")
        guard case .assumeRole(let role, _, _, _, let source, _) = resolved.credentials,
            case .assumeRole(let inner, let session, let externalId, let duration, let base, _) = source
        else { Issue.record("expected a two-step chain, got \(resolved.credentials)"); return }
        #expect(role == "arn:aws:iam::444455556666:role/reader")
        #expect(inner == "arn:aws:iam::111122223333:role/auditor")
        #expect(session == "roster-audit")
        #expect(externalId == "ext-1")
        #expect(duration == 1800)
        #expect(base == .direct(AWSCredentials(accessKeyId: "AKIACIEXAMPLE0000001", secretAccessKey: "ci-secret", source: "profile ci")))
    }

    @Test func sourceProfileLoopsAreRefused() throws {
        let env = try files(credentials: credentialsFile, config: configFile)
        let error = try #require(throws: ConnectorError.self) { try AWSProfileResolver(environment: env, profile: "loop-a").resolve(service: "iam") }
        #expect(error.code == .configuration)
        #expect(error.message.contains("loop"))
    }

    @Test func anUnknownProfileNamesTheFilesAndTheProfilesThere() throws {
        let env = try files(credentials: credentialsFile, config: configFile)
        let error = try #require(throws: ConnectorError.self) { try AWSProfileResolver(environment: env, profile: "nope").resolve(service: "iam") }
        #expect(error.code == .configuration)
        #expect(error.message.contains("profile \"nope\" not found"))
        #expect(error.message.contains("ci"))
    }

    @Test func aMissingRegionSaysHowToSetOne() throws {
        let env = try files(credentials: "[default]\naws_access_key_id = AKIAX\naws_secret_access_key = y\n", config: "")
        let error = try #require(throws: ConnectorError.self) { try AWSProfileResolver(environment: env).resolve(service: "iam") }
        #expect(error.code == .configuration)
        #expect(error.message.contains("no AWS region"))
        #expect(error.message.contains("--region"))
    }

    @Test func noCredentialsAtAllIsOneClearError() throws {
        let env = try files(credentials: "", config: "")
        let error = try #require(throws: ConnectorError.self) { try AWSProfileResolver(environment: env, region: "us-east-1").resolve(service: "iam") }
        #expect(error.message.contains("no AWS credentials"))
    }

    @Test func endpointComesFromFlagThenServiceVariableThenGeneralVariableThenProfile() throws {
        let env = try files(credentials: credentialsFile, config: configFile)
        #expect(try AWSProfileResolver(environment: env, profile: "local").resolve(service: "iam").endpointURL?.absoluteString == "http://127.0.0.1:5000")
        var withVariables = env
        withVariables["AWS_ENDPOINT_URL"] = "http://127.0.0.1:6000"
        withVariables["AWS_ENDPOINT_URL_IAM"] = "http://127.0.0.1:7000"
        #expect(try AWSProfileResolver(environment: withVariables, profile: "local").resolve(service: "iam").endpointURL?.absoluteString == "http://127.0.0.1:7000")
        #expect(try AWSProfileResolver(environment: withVariables, profile: "local").resolve(service: "sts").endpointURL?.absoluteString == "http://127.0.0.1:6000")
        #expect(try AWSProfileResolver(environment: withVariables, profile: "local", endpointURL: "http://127.0.0.1:8000").resolve(service: "iam").endpointURL?.port == 8000)
        #expect(throws: ConnectorError.self) { try AWSProfileResolver(environment: env, profile: "local", endpointURL: "not a url").resolve(service: "iam") }
    }
}
