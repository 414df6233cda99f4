import RosterAnalysis
import RosterModel
import Testing

/// Items 3, 4 and 5: levels come from evaluated requests, read-only verbs, and missing policies.
struct PrivilegeLevelTests {
    @Test func denyLowersEveryLevel() {
        // Allow * with Deny * can do nothing
        #expect(level(of: [policy("all-denied", Stmt.allow("*"), Stmt.deny("*"))]) == .none)
        // s3:* with everything but reads denied can only read
        #expect(level(of: [policy("s3-read", Stmt.allow("s3:*"), Stmt.denyAllBut("s3:Get*", "s3:List*"))]) == .read)
        // a write allowed on one bucket is still a write; one denied is not
        #expect(level(of: [policy("put-one", Stmt.allow("s3:PutObject", on: ["arn:aws:s3:::uploads/*"]))]) == .write)
        #expect(level(of: [policy("put-denied", Stmt.allow("s3:PutObject", "s3:GetObject"), Stmt.deny("s3:PutObject"))]) == .read)
        // Allow NotAction counts, and a boundary limits the level
        #expect(level(of: [policy("not-iam", PolicyStatement(effect: .allow, actions: .except(["iam:*"]), resources: .only(["*"])))]) == .write)
        #expect(level(of: [administratorAccess], boundary: policy("read-boundary", Stmt.allow("ec2:Describe*"))) == .read)
    }

    /// Representative statements of AWS's read-only job-function policies (not full copies).
    static let readOnlyFixtures: [Policy] = [
        policy("ReadOnlyAccess-sample", Stmt.allow(
            "ec2:Describe*", "s3:Get*", "s3:List*", "iam:Generate*", "iam:Get*", "iam:List*", "iam:Simulate*", "dynamodb:BatchGet*",
            "dynamodb:Query", "dynamodb:Scan", "athena:Batch*", "cloudformation:Estimate*", "cloudformation:Detect*", "inspector:Preview*",
            "cloudtrail:LookupEvents", "config:SelectResourceConfig", "a4b:Search*", "dms:Test*", "lightsail:Is*", "chime:Retrieve*",
            "access-analyzer:ValidatePolicy", "rds:DownloadDBLogFilePortion", "codecommit:GitPull", "codeartifact:ReadFromRepository",
            "es:ESHttpGet", "ecr:BatchCheck*", "elasticbeanstalk:Validate*", "ds:Verify*"), kind: .providerManaged),
        policy("ViewOnlyAccess-sample", Stmt.allow(
            "acm:ListCertificates", "athena:List*", "autoscaling:Describe*", "aws-marketplace:ViewSubscriptions", "s3:ListAllMyBuckets",
            "cloudtrail:DescribeTrails", "codestar-notifications:describeNotificationRule"), kind: .providerManaged),
        policy("SecurityAudit-sample", Stmt.allow(
            "iam:GenerateCredentialReport", "iam:GenerateServiceLastAccessedDetails", "iam:GetAccountAuthorizationDetails", "acm:Describe*",
            "config:BatchGetResourceConfig", "kms:Describe*", "kms:GetKeyPolicy", "s3:GetBucketPolicy", "logs:FilterLogEvents"),
            kind: .providerManaged),
    ]

    @Test(arguments: readOnlyFixtures)
    func awsReadOnlyPoliciesRateRead(_ readOnly: Policy) {
        #expect(level(of: [readOnly]) == .read, "\(readOnly.name)")
    }

    @Test(arguments: [
        "kms:GenerateDataKey",  // a use of the key to encrypt with, not a look at configuration
        "codepipeline:PollForJobs",  // claims the jobs it returns
        "acm-pca:IssueCertificate",  // "Is…" only as a whole word
        "s3:PutObject", "iam:PassRole", "lambda:InvokeFunction",
    ])
    func writesAreNotRatedRead(_ action: String) {
        #expect(level(of: [policy("one", Stmt.allow(action))]) == .write, "\(action)")
    }

    @Test func missingPolicyMakesPrivilegeUnknownNotNone() throws {
        // Given a user whose only policy is attached but not in the export
        var b = Builder()
        let id = b.user("svc-filtered")
        let missing = "arn:aws:iam::\(testAccount):policy/not-exported"
        b.attachMissing(missing, to: id)
        let profile = try #require(b.analyse().profile(named: "svc-filtered"))
        // Then its privilege is unknown, and the evidence names the policy
        #expect(profile.privilege.level == .unknown)
        #expect(profile.privilege.missingPolicies == [missing])
        #expect(profile.privilege.evidence.contains { $0.contains(missing) })
    }

    @Test func exportedAdminStaysAdminWithAMissingPolicy() {
        var b = Builder()
        let id = b.user("svc-admin")
        b.attach(administratorAccess, to: id)
        b.attachMissing("arn:aws:iam::\(testAccount):policy/not-exported", to: id)
        #expect(b.analyse().level(of: "svc-admin") == .admin)
    }

    @Test func unknownIsNotRankedBelowRead() {
        // Raw values are stored: existing ones must not move
        #expect(PrivilegeLevel.none.rawValue == 0 && PrivilegeLevel.read.rawValue == 1 && PrivilegeLevel.write.rawValue == 2 && PrivilegeLevel.admin.rawValue == 3)
        #expect(PrivilegeLevel.unknown > .read && PrivilegeLevel.unknown < .admin)
        // Given two identically-flawed identities (unused), one read-only and one with a missing policy
        var b = Builder()
        let reader = b.user("reader", lastUsedDaysAgo: 200)
        b.attach(policy("read", Stmt.allow("s3:GetObject")), to: reader)
        let unknown = b.user("unknown", lastUsedDaysAgo: 200)
        b.attachMissing("arn:aws:iam::\(testAccount):policy/gone", to: unknown)
        let analysis = b.analyse()
        // Then the unknown one ranks at least as high
        #expect((analysis.profile(named: "unknown")?.risk.value ?? 0) > (analysis.profile(named: "reader")?.risk.value ?? 0))
    }
}
