import Foundation
import RosterModel
import Testing

@testable import RosterConnectors

/// `Tests/Fixtures/cloudtrail`: a trail's S3 layout (a gzip file, a plain file, an organisation
/// trail's account, a digest file), `lookup-events` output, a Kubernetes audit log, and bad input.
private enum Logs {
    static let root = Fixture.packageRoot.appendingPathComponent("Tests/Fixtures/cloudtrail")
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static let gzipFile = path(
        "AWSLogs/111122223333/CloudTrail/us-east-1/2025/11/19/111122223333_CloudTrail_us-east-1_20251119T0905Z_Vg2wQ1b8hXkP3sZr.json.gz"
    )
    static let plainFile = path(
        "AWSLogs/111122223333/CloudTrail/eu-west-1/2025/11/19/111122223333_CloudTrail_eu-west-1_20251119T1015Z_Lm4nT7c2QwErTy8u.json"
    )
    static let orgFile = path(
        "AWSLogs/o-a1b2c3d4e5/444455556666/CloudTrail/us-east-1/2025/11/19/444455556666_CloudTrail_us-east-1_20251119T1200Z_Pz9xC3v5BnM1aQ2w.json.gz"
    )

    static func events(_ path: String, cluster: String? = nil, batchSize: Int = 4096) throws -> [ActivityEvent] {
        let file = try #require(try ActivityLogs.discover([path]).files.first)
        var events: [ActivityEvent] = []
        let count = try ActivityLogs.read(file, cluster: cluster, batchSize: batchSize) { events += $0 }
        #expect(count == events.count)
        return events
    }

    static func event(_ id: String, in path: String) throws -> ActivityEvent {
        try #require(try events(path).first { $0.id == id })
    }

    /// The error reading (or discovering) a file named directly.
    static func error(_ relative: String) -> ConnectorError? {
        do {
            _ = try events(path(relative))
            return nil
        } catch let error as ConnectorError {
            return error
        } catch {
            Issue.record("not a ConnectorError: \(error)")
            return nil
        }
    }
}

struct ActivityLogDiscoveryTests {
    @Test func findsEveryLogInTheS3LayoutAndSkipsDigests() throws {
        // Given the fixture tree (S3 layout with an organisation trail, lookup-events, an audit log, and bad/)
        // When the AWSLogs folder, the lookup file and the audit log are searched
        let found = try ActivityLogs.discover([Logs.path("kubernetes"), Logs.path("AWSLogs"), Logs.path("lookup-events.json")])

        // Then the three trail files, the lookup file and the audit log are found, sorted by path, each by its content
        let rotated = Logs.path("kubernetes/audit-2025-11-19T12-00-00.000.log.gz")
        #expect(
            found.files.map(\.path)
                == [
                    Logs.gzipFile, Logs.plainFile, Logs.orgFile, rotated, Logs.path("kubernetes/audit.log"), Logs.path("lookup-events.json"),
                ].sorted()
        )
        #expect(found.files.map(\.kind) == [.cloudTrail, .cloudTrail, .cloudTrail, .kubernetesAudit, .kubernetesAudit, .lookupEvents])
        #expect(found.files.allSatisfy { $0.size > 0 })
        // And the digest file is skipped with why
        #expect(found.skipped.count == 1)
        #expect(found.skipped.first?.0.contains("CloudTrail-Digest") == true)
        #expect(found.skipped.first?.1.contains("digest") == true)
    }

    @Test func aDirectorySkipsForeignJSONButANamedOneIsAnError() throws {
        // Given bad/, which holds package.json among broken logs
        let found = try ActivityLogs.discover([Logs.path("bad")])
        // Then package.json is skipped in the folder
        #expect(found.skipped.contains { $0.0.hasSuffix("package.json") && $0.1.contains("\"name\"") })
        #expect(!found.files.contains { $0.path.hasSuffix("package.json") })
        // And named directly, it is an error naming the file and what was expected
        let error = try #require(Logs.error("bad/package.json"))
        #expect(error.code == .unrecognised)
        #expect(error.file.hasSuffix("bad/package.json"))
        #expect(error.location == "$")
        #expect(error.message.contains("CloudTrail"))
    }

    @Test func aMissingPathIsAnError() {
        #expect(throws: ConnectorError.self) { try ActivityLogs.discover([Logs.path("nope.json.gz")]) }
    }
}

struct ActivityLogReadTests {
    @Test func gzipFileKeepsDuplicatesAndFileOrder() throws {
        // Given a gzip delivery whose records are unordered and which holds one record twice
        let events = try Logs.events(Logs.gzipFile)
        // Then every record is read, in file order, the duplicate kept for the caller to drop
        #expect(events.map { String($0.id.suffix(2)) } == ["03", "01", "05", "02", "01", "04"])
        #expect(events.filter { $0.id.hasSuffix("a01") }.count == 2)
        #expect(events.allSatisfy { $0.source == "cloudtrail" && $0.scope == "111122223333" })
    }

    @Test func iamUserCall() throws {
        let event = try Logs.event("0b1f6f3e-6c35-4a6b-9a51-0c5d8e7f1a01", in: Logs.gzipFile)
        #expect(event.action == "iam:ListUsers")
        #expect(event.time == utc("2025-11-19T09:05:11Z"))
        #expect(event.region == "us-east-1")
        #expect(event.readOnly == true)
        #expect(event.sourceAddress == "203.0.113.10")
        #expect(event.userAgent?.hasPrefix("aws-cli/2.15.30") == true)
        #expect(
            event.actor
                == ActivityActor(
                    type: "IAMUser",
                    identityId: "arn:aws:iam::111122223333:user/automation/deploy-bot",
                    principal: "arn:aws:iam::111122223333:user/automation/deploy-bot",
                    accessKeyId: "AKIAZ2MTQ7RW4BXNP6KD"
                )
        )
        #expect(!event.interactive)
    }

    @Test func assumedRoleIsTheIssuerRoleWithItsPathAndTheWebIdentityProvider() throws {
        let event = try Logs.event("0b1f6f3e-6c35-4a6b-9a51-0c5d8e7f1a02", in: Logs.gzipFile)
        #expect(event.actor.type == "AssumedRole")
        #expect(event.actor.identityId == "arn:aws:iam::111122223333:role/service-role/ci-deployer")
        #expect(event.actor.principal == "arn:aws:sts::111122223333:assumed-role/ci-deployer/GitHubActions-8812")
        #expect(event.actor.sessionName == "GitHubActions-8812")
        #expect(event.actor.sourceIdentity == "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com")
        #expect(event.actor.mfaAuthenticated == false)
        #expect(event.action == "s3:GetObject")
        #expect(event.vpcEndpoint == "vpce-0a1b2c3d4e5f60718")
        #expect(event.resources == ["arn:aws:s3:::acme-artifacts/builds/app-1.4.2.tgz", "arn:aws:s3:::acme-artifacts"])
    }

    @Test func rootConsoleLoginIsInteractive() throws {
        let event = try Logs.event("0b1f6f3e-6c35-4a6b-9a51-0c5d8e7f1a03", in: Logs.gzipFile)
        #expect(event.actor.type == "Root")
        #expect(event.actor.identityId == "arn:aws:iam::111122223333:root")
        #expect(event.action == "signin:ConsoleLogin")
        #expect(event.interactive)
        #expect(event.readOnly == false)
    }

    @Test func awsServiceHasNoIdentityAndIsThePrincipal() throws {
        let event = try Logs.event("0b1f6f3e-6c35-4a6b-9a51-0c5d8e7f1a04", in: Logs.gzipFile)
        #expect(event.actor.type == "AWSService")
        #expect(event.actor.identityId == nil)
        #expect(event.actor.principal == "cloudtrail.amazonaws.com")
        #expect(event.invokedBy == "cloudtrail.amazonaws.com")
        #expect(event.sourceAddress == "cloudtrail.amazonaws.com")
        // requestParameters' top-level ARNs join resources (the nested encryption context is not searched)
        #expect(
            event.resources == [
                "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            ]
        )
    }

    @Test func federatedUserIsTheIssuingUserAndDenialsKeepTheirCode() throws {
        let event = try Logs.event("0b1f6f3e-6c35-4a6b-9a51-0c5d8e7f1a05", in: Logs.gzipFile)
        #expect(event.actor.type == "FederatedUser")
        #expect(event.actor.identityId == "arn:aws:iam::111122223333:user/broker")
        #expect(event.actor.sessionName == "Bob")
        #expect(event.errorCode == "Client.UnauthorizedOperation")
        #expect(event.action == "ec2:DescribeInstances")
    }

    @Test func webIdentityAndSAMLUsersHaveNoIdentity() throws {
        let events = try Logs.events(Logs.plainFile)
        let web = try #require(events.first { $0.id.hasSuffix("b01") })
        #expect(web.actor.type == "WebIdentityUser")
        #expect(web.actor.identityId == nil)
        #expect(web.actor.principal == "118012345678901234567")
        #expect(web.actor.sourceIdentity == "accounts.google.com")
        #expect(web.resources == ["arn:aws:iam::111122223333:role/gke-reader", "arn:aws:iam::111122223333:role/gke-reader"])
        let saml = try #require(events.first { $0.id.hasSuffix("b02") })
        #expect(saml.actor.type == "SAMLUser")
        #expect(saml.actor.identityId == nil)
        #expect(saml.actor.principal == "alice@example.com")
        #expect(!saml.interactive)  // AssumeRoleWithSAML, not AssumeRole
    }

    @Test func lambdaRoleAndEscapedUserAgent() throws {
        let event = try Logs.event("5d2c7a10-1e8b-4f43-9c7e-2a6b9e0d3b03", in: Logs.plainFile)
        #expect(event.actor.identityId == "arn:aws:iam::111122223333:role/billing-export-fn")
        #expect(event.actor.sessionName == "billing-export")
        // monitoring.amazonaws.com is CloudWatch
        #expect(event.action == "cloudwatch:PutMetricData")
        // \" \u00e9 and the surrogate pair \ud83d\ude80, as Python's json writes them
        #expect(event.userAgent?.contains("md/\"quoted\" café 🚀 exec-env") == true, "\(event.userAgent ?? "nil")")
        #expect(event.region == "eu-west-1")
    }

    @Test func switchRoleAndConsoleAssumeRoleAreInteractive() throws {
        let events = try Logs.events(Logs.plainFile)
        let switchRole = try #require(events.first { $0.id.hasSuffix("b04") })
        #expect(switchRole.interactive)
        #expect(switchRole.actor.identityId == "arn:aws:iam::111122223333:role/Admin")
        #expect(switchRole.actor.sourceIdentity == "alice@example.com")
        #expect(switchRole.actor.mfaAuthenticated == true)
        let assume = try #require(events.first { $0.id.hasSuffix("b05") })
        #expect(assume.interactive)
        #expect(assume.action == "sts:AssumeRole")
        #expect(assume.resources == ["arn:aws:iam::111122223333:role/Admin"])
    }

    @Test func otherAccountsAndInsightsEvents() throws {
        let events = try Logs.events(Logs.plainFile)
        let account = try #require(events.first { $0.id.hasSuffix("b06") })
        #expect(account.actor.type == "AWSAccount")
        #expect(account.actor.identityId == nil)
        #expect(account.actor.principal == "999988887777")
        // The Insights event (b07) is no call by a principal and is passed over
        #expect(events.count == 6)
    }

    @Test func organisationTrailRecordsTheMemberAccount() throws {
        let events = try Logs.events(Logs.orgFile)
        #expect(events.count == 2)
        #expect(events.allSatisfy { $0.scope == "444455556666" })
        #expect(events[0].actor.identityId == "arn:aws:iam::444455556666:role/ecs/orders-task")
        #expect(events[0].actor.sessionName == "8f2a1b7c9d0e4f5a8b6c7d8e9f0a1b2c")
        #expect(events[0].sourceAddress == "10.20.3.17")
        #expect(events[0].action == "sqs:ReceiveMessage")
        #expect(events[1].action == "ses:SendEmail")
    }

    @Test func lookupEventsDecodesTheEmbeddedRecords() throws {
        let events = try Logs.events(Logs.path("lookup-events.json"))
        #expect(
            events.map(\.id) == [
                "0b1f6f3e-6c35-4a6b-9a51-0c5d8e7f1a01", "5d2c7a10-1e8b-4f43-9c7e-2a6b9e0d3b04", "5d2c7a10-1e8b-4f43-9c7e-2a6b9e0d3b01",
            ]
        )
        // The same record as the S3 delivery holds
        #expect(events[0] == (try Logs.event("0b1f6f3e-6c35-4a6b-9a51-0c5d8e7f1a01", in: Logs.gzipFile)))
        #expect(events[1].interactive)
    }

    @Test func smallBatchesDeliverEveryEvent() throws {
        var sizes: [Int] = []
        let file = try #require(try ActivityLogs.discover([Logs.gzipFile]).files.first)
        let count = try ActivityLogs.read(file, batchSize: 4) { sizes.append($0.count) }
        #expect(count == 6)
        #expect(sizes == [4, 2])
    }

    @Test func recordsAcrossReadsAndOneLargerThanTheWindowAreReadWhole() throws {
        // Given 3,000 records (about 2 MB, so records straddle the 1 MiB window's refills) and one
        // record holding a 1.5 MB string (larger than the window, which must grow for it)
        var text = "{\"Records\": [\n"
        for n in 0..<3000 {
            let padding = String(repeating: "x", count: n % 700)
            let big = n == 1500 ? String(repeating: "\\u00e9", count: 250_000) : ""
            if n > 0 { text += ",\n" }
            text += #"{"eventID":"e-\#(n)","eventTime":"2025-11-19T09:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","#
            text += #""requestParameters":{"key":"\#(padding)\#(big)","nested":[{"a":[1,2,{"b":"}"}]}]},"#
            text += #""userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/u\#(n % 7)"},"userAgent":"ua-\#(n)"}"#
        }
        text += "\n]}\n"
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("activity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("big.json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        // When it is read
        let events = try Logs.events(path)
        // Then every record comes whole, in order
        #expect(events.count == 3000)
        #expect(events.map(\.id) == (0..<3000).map { "e-\($0)" })
        #expect(events.map(\.userAgent) == (0..<3000).map { "ua-\($0)" })
        #expect(events[1500].actor.identityId == "arn:aws:iam::1:user/u2")
    }

    @Test func kubernetesAuditLog() throws {
        let events = try Logs.events(Logs.path("kubernetes/audit.log"), cluster: "prod-eu")
        // Only ResponseComplete events: the RequestReceived and ResponseStarted stages are passed over
        #expect(events.map { String($0.id.suffix(2)) } == ["01", "02", "03"])
        let list = events[0]
        #expect(list.source == "kubernetes-audit")
        #expect(list.scope == "prod-eu")
        #expect(list.action == "list secrets")
        #expect(
            list.actor
                == ActivityActor(type: "ServiceAccount", identityId: "kubernetes:prod-eu/ci/deployer", principal: "system:serviceaccount:ci:deployer")
        )
        #expect(list.sourceAddress == "10.0.4.21")
        #expect(list.userAgent == "kubectl/v1.30.2 (linux/amd64) kubernetes/3968350")
        #expect(list.readOnly == true)
        #expect(list.errorCode == nil)
        #expect(list.resources == ["namespaces/payments/secrets"])
        #expect(list.time == utc("2025-11-19T12:30:01Z").addingTimeInterval(0.123456))
        let exec = events[1]
        #expect(exec.action == "create pods/exec")
        #expect(exec.errorCode == "Forbidden")
        #expect(exec.resources == ["namespaces/payments/pods/api-6c9d7-x2k4p/exec"])
        let health = events[2]
        #expect(health.action == "get /healthz")
        #expect(health.actor.type == "User")
        #expect(health.actor.identityId == nil)
        // A rotated, gzipped audit log reads the same
        #expect(try Logs.events(Logs.path("kubernetes/audit-2025-11-19T12-00-00.000.log.gz"), cluster: "prod-eu") == events)
        // Without a cluster name, the cluster is "default"
        #expect(try Logs.events(Logs.path("kubernetes/audit.log"))[0].actor.identityId == "kubernetes:default/ci/deployer")
    }
}

/// Every way a log can be wrong is one ConnectorError naming the file and the place.
struct ActivityLogBadInputTests {
    @Test func truncatedGzip() throws {
        let error = try #require(Logs.error("bad/truncated.json.gz"))
        #expect(error.code == .malformed)
        #expect(error.file.hasSuffix("bad/truncated.json.gz"))
        #expect(error.message.contains("truncated"))
        #expect(error.location?.contains("byte ") == true, "\(error)")
    }

    @Test func truncatedJSON() throws {
        let error = try #require(Logs.error("bad/truncated.json"))
        #expect(error.code == .malformed)
        #expect(error.message.contains("ends early"))
        #expect(error.location?.hasPrefix("$.Records[") == true, "\(error)")
    }

    @Test func recordsNotAnArray() throws {
        let error = try #require(Logs.error("bad/records-number.json"))
        #expect(error.code == .wrongShape)
        #expect(error.message == "expected an array, found a number")
        #expect(error.location == "$.Records, byte 12")
    }

    @Test func byteOrderMark() throws {
        let error = try #require(Logs.error("bad/bom.json"))
        #expect(error.code == .malformed)
        #expect(error.message.contains("byte order mark"))
        #expect(error.location == "$, byte 0")
    }

    @Test func badTimestampNamesTheRecord() throws {
        let error = try #require(Logs.error("bad/bad-time.json"))
        #expect(error.code == .wrongShape)
        #expect(error.message.contains("19/11/2025 10:12:45"))
        #expect(error.location?.hasPrefix("$.Records[1].eventTime, byte ") == true, "\(error)")
    }

    @Test func nonObjectRecord() throws {
        let error = try #require(Logs.error("bad/string-record.json"))
        #expect(error.code == .wrongShape)
        #expect(error.message == "expected an object, found a string")
        #expect(error.location?.hasPrefix("$.Records[1], byte ") == true, "\(error)")
    }

    @Test func wrongTypeNamesThePath() throws {
        let error = try #require(Logs.error("bad/wrong-type.json"))
        #expect(error.code == .wrongShape)
        #expect(error.message == "expected a string, found a number")
        #expect(error.location?.hasPrefix("$.Records[0].userIdentity.type, byte ") == true, "\(error)")
    }

    @Test(arguments: [
        ("{\"Records\":[{\"eventID\":\"a\"}]}", "the record has no eventTime"),
        ("{\"Records\":[{\"eventID\":\"a\\q\"}]}", "`\\q` is not a JSON escape"),
        ("{\"Records\":[{\"x\":[1,2}]}]}", "`}` does not close the array open here"),
        ("{\"Records\":[]} x", "more text after the JSON object; a log file holds one object"),
        ("{\"Records\":[{\"eventID\":\"a\nb\"}]}", "a control character (0xa) inside a string; JSON needs it escaped"),
    ])
    func brokenRecords(_ text: String, _ message: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("activity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("trail.json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try Logs.events(path)
            Issue.record("no error for \(text)")
        } catch let error as ConnectorError {
            #expect(error.message == message)
            #expect(error.file == path)
            #expect(error.location?.contains("byte ") == true)
        }
    }

    @Test(arguments: [Logs.plainFile, Logs.path("lookup-events.json"), Logs.path("kubernetes/audit.log")])
    func everyTruncationIsAConnectorErrorOrFewerEvents(_ source: String) throws {
        // Given a log cut at many places
        let bytes = try Data(contentsOf: URL(fileURLWithPath: source))
        let whole = try Logs.events(source).count
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("activity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent((source as NSString).lastPathComponent).path
        for cut in stride(from: 1, to: bytes.count, by: 23) {
            try bytes.prefix(cut).write(to: URL(fileURLWithPath: path))
            // Then reading it never crashes: it fails naming the file, or (a log of lines cut between events) reads fewer events
            do {
                let file = ActivityLogFile(path: path, size: cut, kind: try ActivityLogs.discover([source]).files[0].kind)
                let count = try ActivityLogs.read(file) { _ in }
                #expect(count < whole || cut >= bytes.count - 2, "cut at \(cut) read \(count)")
            } catch let error as ConnectorError {
                #expect(error.file == path)
                #expect(error.location != nil)
            }
        }
    }

    @Test func aRecordWithoutUserIdentityHasAnUnknownCaller() throws {
        let text =
            #"{"Records":[{"eventID":"a","eventTime":"2025-01-01T00:00:00Z","eventSource":"ec2.amazonaws.com","eventName":"CreateTags","recipientAccountId":"111122223333","eventType":"AwsServiceEvent"}]}"#
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("activity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("trail.json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let event = try #require(try Logs.events(path).first)
        #expect(event.actor == ActivityActor(type: "Unknown", identityId: nil, principal: "Unknown"))
        #expect(event.scope == "111122223333")
    }

    @Test func unicodeEscapes() throws {
        // Given escapes of every kind, a surrogate pair, and a lone surrogate
        let text =
            #"{"Records":[{"eventID":"\u0041\/\"\\\b\f\n\r\t\ud83d\ude80\ud800x","eventTime":"2025-01-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::1:user/a"}}]}"#
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("activity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("trail.json").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let event = try #require(try Logs.events(path).first)
        #expect(event.id == "A/\"\\\u{8}\u{c}\n\r\t🚀\u{FFFD}x")
    }
}

struct ActivityIdentityResolutionTests {
    @Test(arguments: [
        ("iam.amazonaws.com", "iam"), ("s3.amazonaws.com", "s3"), ("sts.amazonaws.com", "sts"), ("monitoring.amazonaws.com", "cloudwatch"),
        ("email.amazonaws.com", "ses"), ("elasticloadbalancing.amazonaws.com", "elasticloadbalancing"), ("tagging.amazonaws.com", "tag"),
        ("runtime.lex.amazonaws.com", "lex"), ("signin.amazonaws.com", "signin"), ("localhost", "localhost"),
    ])
    func servicePrefix(_ source: String, _ prefix: String) {
        #expect(ServicePrefix.of(source) == prefix)
    }

    @Test func anAssumedRoleWithoutIssuerGetsTheRoleFromTheSessionARN() {
        // Given a role session whose record has no sessionContext
        let actor = CloudTrailRecord.resolve(
            CloudTrailIdentity(type: "AssumedRole", arn: "arn:aws-us-gov:sts::123456789012:assumed-role/deployer/run-42")
        )
        // Then the role is named from the session ARN (its path, if any, is not in it), in the same partition
        #expect(actor.identityId == "arn:aws-us-gov:iam::123456789012:role/deployer")
        #expect(actor.sessionName == "run-42")
        #expect(actor.principal == "arn:aws-us-gov:sts::123456789012:assumed-role/deployer/run-42")
    }

    @Test func aWebIdentitySessionIssuedByARoleIsThatRole() {
        let actor = CloudTrailRecord.resolve(
            CloudTrailIdentity(
                type: "WebIdentityUser",
                userName: "repo:acme/web:ref:refs/heads/main",
                issuerType: "Role",
                issuerArn: "arn:aws:iam::123456789012:role/gha",
                federatedProvider: "token.actions.githubusercontent.com"
            )
        )
        #expect(actor.identityId == "arn:aws:iam::123456789012:role/gha")
        #expect(actor.sourceIdentity == "token.actions.githubusercontent.com")
    }

    @Test func rootWithoutAnARNIsNamedFromItsAccount() {
        let actor = CloudTrailRecord.resolve(CloudTrailIdentity(type: "Root", principalId: "123456789012", accountId: "123456789012"))
        #expect(actor.identityId == "arn:aws:iam::123456789012:root")
        #expect(actor.principal == "arn:aws:iam::123456789012:root")
    }
}
