import Foundation
import RosterAnalysis
import RosterModel
import Testing

/// A deterministic 40-day activity history (plus one event 130 days back): benign machine
/// identities with the churn real estates have, and one identity per planted anomaly.
struct ActivityHistory {
    static let midnight = Date(timeIntervalSince1970: 1_763_596_800)  // 2025-11-20T00:00:00Z, the day of testNow
    static let account = "123456789012"

    var events: [ActivityEvent] = []
    var identities: [String: Identity] = [:]
    private var counter = 0

    static func role(_ name: String) -> String { "arn:aws:iam::\(account):role/\(name)" }
    static func user(_ name: String) -> String { "arn:aws:iam::\(account):user/\(name)" }

    mutating func identity(_ id: String, kind: IdentityKind = .iamRole, nature: IdentityNature = .machine) {
        let name = String(id.split(separator: "/").last ?? "")
        identities[id] = Identity(
            id: id, provider: .aws, kind: kind, name: name, account: Self.account, owner: "platform@example.com", createdAt: daysBefore(400),
            usageTracked: true, nature: nature)
    }

    /// One call on the day `day` days before testNow's, at `hour:minute:second` UTC.
    mutating func call(
        _ id: String, day: Int, _ hour: Int, _ minute: Int, _ second: Int = 0, _ action: String, from address: String?, agent: String?,
        key: String? = nil, error: String? = nil, resources: [String] = [], invokedBy: String? = nil, vpce: String? = nil,
        interactive: Bool = false, region: String = "us-east-1"
    ) {
        counter += 1
        let name = id.split(separator: "/").last ?? ""
        let time = Self.midnight.addingTimeInterval(Double(-day * 86_400 + hour * 3600 + minute * 60 + second))
        let type = id.contains(":role/") ? "AssumedRole" : "IAMUser"
        events.append(ActivityEvent(
            id: "\(name)-\(counter)", time: time, source: "cloudtrail", scope: Self.account, region: region, action: action,
            actor: ActivityActor(type: type, identityId: id, principal: id, accessKeyId: key), sourceAddress: address, invokedBy: invokedBy,
            vpcEndpoint: vpce, userAgent: agent, errorCode: error, resources: resources, interactive: interactive))
    }

    // Benign identities.
    static let ci = role("ci-deploy")
    static let orders = role("orders-task")
    static let thumbnailer = role("thumbnailer")
    static let backup = user("backup-agent")
    static let payments = "kubernetes:prod/payments/api"
    static let alice = user("alice")
    // One planted anomaly each.
    static let deployBot = role("deploy-bot")
    static let reporting = user("reporting")
    static let etl = role("etl")
    static let legacy = user("legacy-sync")
    static let webApp = role("web-app")

    static let benign = [ci, orders, thumbnailer, backup, payments, alice]

    static func build(anomalies: Bool = true) -> ActivityHistory {
        var h = ActivityHistory()
        for id in [ci, orders, thumbnailer, deployBot, etl, webApp] { h.identity(id) }
        for id in [backup, reporting, legacy] { h.identity(id, kind: .iamUser) }
        h.identity(payments, kind: "kubernetes-service-account")
        h.identity(alice, kind: .iamUser, nature: .human)

        for day in stride(from: 40, through: 0, by: -1) {
            // CI: a fixed job at 02:00 from a NAT whose address churns inside 203.0.113.0/24, a new
            // session key each run, aws-cli upgraded 20 days ago, an occasional routine AccessDenied.
            let cli = day > 20 ? "aws-cli/2.13.0 Python/3.11.4 Linux/5.15.0-1045-aws exe/x86_64.ubuntu.22 prompt/off"
                : "aws-cli/2.15.3 Python/3.11.6 Linux/6.1.0-1012-aws exe/x86_64.ubuntu.22 prompt/off command/s3.cp"
            let nat = "203.0.113.\(10 + day % 50)"
            let session = "ASIACIDEPLOY\(day)"
            h.call(ci, day: day, 2, 0, 5, "sts:GetCallerIdentity", from: nat, agent: cli, key: session)
            h.call(ci, day: day, 2, 1, 0, "ecr:GetAuthorizationToken", from: nat, agent: cli, key: session)
            h.call(ci, day: day, 2, 2, 0, "s3:PutObject", from: nat, agent: cli, key: session, resources: ["arn:aws:s3:::artifacts/build-\(day % 5)"])
            h.call(ci, day: day, 2, 4, 0, "ecs:UpdateService", from: nat, agent: cli, key: session,
                   resources: ["arn:aws:ecs:us-east-1:\(account):service/prod/orders"])
            if day % 7 == 0 {
                h.call(ci, day: day, 2, 5, 0, "s3:GetBucketPolicy", from: nat, agent: cli, key: session, error: "AccessDenied",
                       resources: ["arn:aws:s3:::artifacts"])
            }

            // ECS task role: tasks in several /24s of 52.20.0.0/16 at once, S3 through a VPC endpoint, boto3 bumped.
            let boto = day > 15 ? "Boto3/1.28.57 md/Botocore#1.31.57 ua/2.0 os/linux#5.10.205 md/arch#x86_64 lang/python#3.11.6"
                : "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#5.10.209 md/arch#x86_64 lang/python#3.11.7"
            for hour in stride(from: 0, to: 24, by: 3) where day > 0 || hour < 8 {
                let taskA = day == 1 ? "52.20.99.5" : "52.20.\(day % 4).\(7 + hour)"
                let taskB = "52.20.\(4 + day % 3).\(20 + hour)"
                h.call(orders, day: day, hour, 10, 0, "dynamodb:PutItem", from: taskA, agent: boto, key: "ASIAORDERS\(day)A",
                       resources: ["arn:aws:dynamodb:us-east-1:\(account):table/orders"])
                h.call(orders, day: day, hour, 11, 0, "sqs:ReceiveMessage", from: taskB, agent: boto, key: "ASIAORDERS\(day)B",
                       resources: ["arn:aws:sqs:us-east-1:\(account):orders"])
                h.call(orders, day: day, hour, 12, 0, "s3:GetObject", from: "10.0.\(day % 3).\(40 + hour)", agent: boto, key: "ASIAORDERS\(day)A",
                       resources: ["arn:aws:s3:::orders-config/app.json"], vpce: "vpce-0a1b2c3d")
            }

            // Lambda through the service, at irregular hours; once from an address printed beside invokedBy.
            h.call(thumbnailer, day: day, (day * 7) % 24, 30, 0, "s3:GetObject", from: "lambda.amazonaws.com", agent: "AWS Internal",
                   resources: ["arn:aws:s3:::uploads/img-\(day).png"], invokedBy: "lambda.amazonaws.com")
            if day == 1 {
                h.call(thumbnailer, day: day, 17, 0, 0, "s3:PutObject", from: "198.18.77.3", agent: "AWS Internal",
                       resources: ["arn:aws:s3:::thumbs/img-1.png"], invokedBy: "lambda.amazonaws.com")
            }

            // A user's key rotated 20 days ago; same static address, same hour.
            let key = day > 20 ? "AKIABACKUPOLD0000001" : "AKIABACKUPNEW0000002"
            let go = "aws-sdk-go-v2/1.21.0 os/linux lang/go#1.21.3 md/GOOS#linux md/GOARCH#amd64 api/s3#1.40.0"
            h.call(backup, day: day, 3, 15, 0, "s3:ListBucket", from: "198.51.100.20", agent: go, key: key, resources: ["arn:aws:s3:::backups"])
            h.call(backup, day: day, 3, 16, 0, "s3:PutObject", from: "198.51.100.20", agent: go, key: key, resources: ["arn:aws:s3:::backups/db.tar"])

            // A Kubernetes service account inside the cluster.
            h.call(payments, day: day, 6, 0, 0, "get secrets", from: "10.2.3.4", agent: "payments-api/v1.4 (linux/amd64) kubernetes/abc123")

            // A person, signing in to the console: not a machine identity.
            if day % 3 == 0 {
                h.call(alice, day: day, 7, 30, 0, "signin:ConsoleLogin", from: "192.0.2.\(day)", agent: "Mozilla/5.0 (Macintosh)", interactive: true)
            }

            // Planted identities' normal life.
            h.call(deployBot, day: day, 4, 0, 0, "cloudformation:UpdateStack", from: "192.0.2.50", agent: cli, key: "ASIADEPLOY\(day)")
            h.call(reporting, day: day, 9, 0, 0, "athena:StartQueryExecution", from: "151.101.4.\(10 + day % 3)", agent: boto, key: "AKIAREPORTING0000001")
            h.call(etl, day: day, 1, 0, 0, "glue:StartJobRun", from: "34.201.10.\(day)", agent: boto, key: "ASIAETL\(day)")
            for hour in stride(from: 0, to: 24, by: 4) where day > 0 || hour < 8 {
                h.call(webApp, day: day, hour, 20, 0, "s3:GetObject", from: "3.80.1.\(day % 200)", agent: boto, key: "ASIAWEB\(day)",
                       resources: ["arn:aws:s3:::web-assets/index.html"])
                h.call(webApp, day: day, hour, 21, 0, "dynamodb:GetItem", from: "3.80.1.\(day % 200)", agent: boto, key: "ASIAWEB\(day)",
                       resources: ["arn:aws:dynamodb:us-east-1:\(account):table/sessions"])
            }
        }
        // legacy-sync was last used 130 days ago.
        h.call(legacy, day: 130, 11, 0, 0, "s3:ListBucket", from: "54.90.3.3", agent: "aws-sdk-java/1.12.500 Linux/5.10 OpenJDK_64-Bit_Server_VM/17",
               key: "AKIALEGACY0000000001")
        guard anomalies else { return h }
        let boto = "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#5.10.209 md/arch#x86_64 lang/python#3.11.7"

        // Human use: someone switches into deploy-bot from the console and looks around.
        h.call(deployBot, day: 1, 14, 5, 0, "signin:SwitchRole", from: "198.51.100.77", agent: "signin.amazonaws.com", interactive: true)
        h.call(deployBot, day: 1, 14, 6, 0, "ec2:DescribeInstances", from: "198.51.100.77", agent: "console.ec2.amazonaws.com", key: "ASIACONSOLE1")
        // Reuse: reporting's key called from its usual network, and three minutes later from another.
        h.call(reporting, day: 1, 9, 3, 0, "s3:GetObject", from: "185.220.101.5", agent: "python-requests/2.31.0", key: "AKIAREPORTING0000001",
               resources: ["arn:aws:s3:::reports/q3.csv"])
        // A new network for etl, in the afternoon.
        h.call(etl, day: 1, 13, 30, 0, "glue:GetJobRuns", from: "45.83.12.9", agent: boto, key: "ASIAETLX")
        // legacy-sync wakes up after 129 days.
        h.call(legacy, day: 1, 10, 0, 0, "s3:GetObject", from: "54.90.3.3", agent: "aws-sdk-java/1.12.500 Linux/5.10 OpenJDK_64-Bit_Server_VM/17",
               key: "AKIALEGACY0000000001", resources: ["arn:aws:s3:::legacy/export.csv"])
        // web-app enumerates 40 List/Describe/Get actions across 6 services, 15 refused.
        for (i, action) in reconActions.enumerated() {
            h.call(webApp, day: 0, 5, 0, i * 40, action, from: "3.80.1.0", agent: boto, key: "ASIAWEB0", error: i % 8 < 3 ? "AccessDenied" : nil)
        }
        return h
    }

    static let reconActions: [String] = {
        let names: [(String, [String])] = [
            ("iam", ["ListUsers", "ListRoles", "ListPolicies", "ListGroups", "ListAccessKeys", "GetAccountAuthorizationDetails", "ListInstanceProfiles"]),
            ("ec2", ["DescribeInstances", "DescribeVpcs", "DescribeSubnets", "DescribeSecurityGroups", "DescribeSnapshots", "DescribeVolumes", "DescribeImages"]),
            ("s3", ["ListBuckets", "GetBucketPolicy", "GetBucketAcl", "GetBucketLocation", "GetBucketVersioning", "GetBucketEncryption", "ListObjects"]),
            ("lambda", ["ListFunctions20150331", "GetFunction20150331v2", "ListLayers", "GetPolicy20150331v2", "ListEventSourceMappings20150331"]),
            ("rds", ["DescribeDBInstances", "DescribeDBClusters", "DescribeDBSnapshots", "DescribeDBSubnetGroups", "DescribeDBParameterGroups", "DescribeDBClusterSnapshots", "DescribeEvents"]),
            ("kms", ["ListKeys", "ListAliases", "DescribeKey", "GetKeyPolicy", "ListGrants", "GetKeyRotationStatus", "ListResourceTags"]),
        ]
        return names.flatMap { service, actions in actions.map { "\(service):\($0)" } }
    }()
}

struct ActivityTests {
    static func analyse(_ history: ActivityHistory, events: [ActivityEvent]? = nil, granted: [String: [String]]? = nil) -> [Finding] {
        var accumulator = ActivityAccumulator()
        for event in events ?? history.events { accumulator.add(event) }
        return ActivityAnalysis.findings(usage: accumulator.usage, identities: history.identities, asOf: testNow, granted: granted)
    }

    @Test func benignHistoryRaisesNothing() {
        // Given 40 days of benign machine activity with address churn, key rotation and version bumps
        let history = ActivityHistory.build(anomalies: false)
        #expect(ActivityHistory.reconActions.count == 40)
        // When it is analysed
        let findings = Self.analyse(history)
        // Then nothing fires
        #expect(findings.isEmpty, "\(findings.map { "\($0.ruleId) \($0.identityName): \($0.evidence)" })")
    }

    @Test func everyPlantedAnomalyIsFoundOnceWithItsEvidence() throws {
        // Given the same history with one anomaly planted per identity
        let history = ActivityHistory.build()
        // When it is analysed
        let findings = Self.analyse(history)
        // Then exactly the planted findings come out
        let pairs = findings.map { "\($0.ruleId) \($0.identityId)" }
        #expect(pairs == [
            "activity.concurrent-networks \(ActivityHistory.reporting)",
            "activity.dormant-wakes \(ActivityHistory.legacy)",
            "activity.enumeration \(ActivityHistory.webApp)",
            "activity.human-use \(ActivityHistory.deployBot)",
            "activity.new-network \(ActivityHistory.etl)",
        ], "\(findings.map { "\($0.ruleId) \($0.identityName): \($0.evidence)" })")
        func evidence(_ rule: String) throws -> String { try #require(findings.first { $0.ruleId == rule }).evidence.joined(separator: "\n") }

        let human = try evidence("activity.human-use")
        #expect(human.contains("signin:SwitchRole at 2025-11-19T14:05:00Z from 198.51.100.77"))
        #expect(human.contains("AWS console") && human.contains("ec2:DescribeInstances"))

        let reuse = try #require(findings.first { $0.ruleId == "activity.concurrent-networks" })
        #expect(reuse.owasp == .nhi9NHIReuse && reuse.credentialId == "AKIAREPORTING0000001")
        let reuseText = reuse.evidence.joined(separator: "\n")
        #expect(reuseText.contains("the same access key AKIAREPORTING0000001 called from two networks 3 minute(s) apart"))
        #expect(reuseText.contains("from 151.101.4.11") && reuseText.contains("from 185.220.101.5"))

        let network = try evidence("activity.new-network")
        #expect(network.contains("1 call(s) from 45.83.12.0/24, never in the baseline, at 13:00 UTC, outside its usual hours"))
        #expect(network.contains("glue:GetJobRuns at 2025-11-19T13:30:00Z from 45.83.12.9"))
        #expect(network.contains("networks 34.201.10.0/24"))

        let dormant = try evidence("activity.dormant-wakes")
        #expect(dormant.contains("last active 2025-07-13"), "\(dormant)")
        #expect(dormant.contains("no activity for 129 days"))
        #expect(dormant.contains("woke up s3:GetObject at 2025-11-19T10:00:00Z from 54.90.3.3 with key AKIALEGACY0000000001"))

        let burst = try evidence("activity.enumeration")
        #expect(burst.contains("40 distinct List/Describe/Get actions not in its baseline, across 6 services (ec2, iam, kms, lambda, rds, s3)"))
        #expect(burst.contains("15 call(s) refused on 2025-11-20 (typical day: 0)"))
        #expect(burst.contains("iam:ListUsers at 2025-11-20T05:00:00Z from 3.80.1.0"))

        for finding in findings {
            #expect(finding.evidence.contains("owner: platform@example.com"))
            #expect(finding.id == FindingID.make(rule: finding.ruleId, subject: .identity(finding.identityId)))
        }
    }

    @Test func findingsDoNotDependOnEventOrderOrDuplicates() {
        // Given the events reversed, shuffled and partly delivered twice
        let history = ActivityHistory.build()
        var generator = SplitMix(seed: 42)
        let shuffled = history.events.shuffled(using: &generator)
        let doubled = shuffled + shuffled.enumerated().filter { $0.offset % 5 == 0 }.map(\.element)
        // When each order is analysed
        let reference = Self.analyse(history)
        // Then the findings are identical
        #expect(Self.analyse(history, events: history.events.reversed()) == reference)
        #expect(Self.analyse(history, events: doubled) == reference)
    }

    @Test func mergedPartsEqualOneFold() {
        // Given the events split into three parts by event id (so duplicates land together), in shuffled order
        let history = ActivityHistory.build()
        var generator = SplitMix(seed: 7)
        let events = history.events.shuffled(using: &generator) + history.events.prefix(50)
        var parts = [ActivityAccumulator(), ActivityAccumulator(), ActivityAccumulator()]
        var whole = ActivityAccumulator()
        for event in events {
            parts[Int(event.id.utf8.reduce(0) { ($0 &* 31 &+ UInt32($1)) } % 3)].add(event)
            whole.add(event)
        }
        // When the parts merge in different orders and groupings
        var abc = parts[0]
        abc.merge(parts[1])
        abc.merge(parts[2])
        var cb = parts[2]
        cb.merge(parts[1])
        var cba = cb
        cba.merge(parts[0])
        var ac = parts[0]
        ac.merge(parts[2])
        var b_ac = parts[1]
        b_ac.merge(ac)
        // Then every merge equals the single fold
        #expect(abc.usage == whole.usage)
        #expect(cba.usage == whole.usage)
        #expect(b_ac.usage == whole.usage)
        #expect(whole.duplicates == 50)
        // And an identity's usage merged with itself in either order is the same value
        let ci = whole.usage[ActivityHistory.ci]!
        let split = parts.compactMap { $0.usage[ActivityHistory.ci] }
        #expect(split.count == 3)
        #expect(split[0].merged(split[1]).merged(split[2]) == split[2].merged(split[0].merged(split[1])))
        #expect(split[2].merged(split[1]).merged(split[0]) == ci)
    }

    @Test func usageRecordsLastUseActionsAndChurn() throws {
        // Given the benign history folded
        var accumulator = ActivityAccumulator()
        ActivityHistory.build(anomalies: false).events.forEach { accumulator.add($0) }
        let ci = try #require(accumulator.usage[ActivityHistory.ci])
        // Then last use, per-action counts and errors are kept
        #expect(ci.lastUsed.map(\.utcDay) == "2025-11-20")
        #expect(ci.actions["s3:PutObject"]?.count == 41)
        #expect(ci.actions["s3:GetBucketPolicy"]?.denied == 6)
        // And the day buckets hold one network, one agent family and the fixed hour
        let baseline = ActivityBaseline(ci, endingBefore: "2025-11-19")
        #expect(baseline.activeDays == 30)
        #expect(baseline.networks == ["203.0.113.0/24"])
        #expect(baseline.agentFamilies == ["aws-cli"])
        #expect(baseline.hours == [2])
        #expect(baseline.isUsual(hour: 3) && !baseline.isUsual(hour: 5))
        #expect(baseline.typicalDailyActions == 4)
        // And the ECS role's VPC endpoint and the Lambda's service are recorded, not treated as addresses
        let orders = try #require(accumulator.usage[ActivityHistory.orders])
        #expect(orders.days["2025-11-18"]?.vpcEndpoints["vpce-0a1b2c3d"]?.count == 8)
        let lambda = try #require(accumulator.usage[ActivityHistory.thumbnailer])
        #expect(lambda.days["2025-11-19"]?.networks.keys.sorted() == ["lambda.amazonaws.com"])
        #expect(ci.accessKeys.count == 41)
    }

    @Test func unattributedEventsAreCountedApart() {
        // Given an AWS service's own call and an attributed one
        var accumulator = ActivityAccumulator()
        let service = ActivityActor(type: "AWSService", identityId: nil, principal: "cloudtrail.amazonaws.com")
        accumulator.add(ActivityEvent(id: "svc-1", time: testNow, source: "cloudtrail", action: "kms:Decrypt", actor: service))
        accumulator.add(ActivityEvent(id: "svc-1", time: testNow, source: "cloudtrail", action: "kms:Decrypt", actor: service))
        // Then only the statistics hold it
        #expect(accumulator.usage.isEmpty)
        #expect(accumulator.unattributed.events == 1 && accumulator.unattributed.byType == ["AWSService": 1])
        #expect(accumulator.duplicates == 1)
    }
}

/// A seeded generator, so shuffles are the same on every run.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
