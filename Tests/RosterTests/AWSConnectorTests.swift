import Foundation
import RosterAnalysis
import RosterConnectors
import RosterModel
import Testing

/// The small estate in `Fixtures/aws/small-estate`, account 123456789012, as the connector maps it.
struct AWSConnectorTests {
    static let smallEstate = Fixture.path("small-estate")
    static let svcEtl = "arn:aws:iam::123456789012:user/service/svc-etl"

    func smallEstate() throws -> Estate {
        let result = try readAWS([Self.smallEstate])
        #expect(result.estates.count == 1)
        return try #require(result.estates.first)
    }

    @Test func discoversEveryExportInADirectoryByContent() throws {
        // Given the small estate's directory (files named as people save them)
        // When it is searched
        let found = try AWSConnector.discover([Self.smallEstate])
        // Then each file is recognised by what it holds, and nothing is skipped
        let kinds = Dictionary(uniqueKeysWithValues: found.files.map { (URL(fileURLWithPath: $0.path).lastPathComponent, $0.kind) })
        #expect(kinds == [
            "authorization-details.json": .authorizationDetails,
            "credential-report.json": .credentialReportJSON,
            "svc-etl.json": .listAccessKeys,
            "AKIAQ3EXAMPLEETL0001.json": .accessKeyLastUsed,
        ])
        #expect(found.skipped.isEmpty)
    }

    @Test func mapsOneEstatePerAccountObservedWhenTheReportWasGenerated() throws {
        // Given the small estate with a get-credential-report JSON (GeneratedTime 2025-11-20T08:00:00Z)
        // When it is read
        let estate = try smallEstate()
        // Then there is one estate for the account, observed at the report's generation time
        #expect(estate.scope == "aws:123456789012")
        #expect(estate.observedAt == utc("2025-11-20T08:00:00Z"))
        #expect(Set(estate.identities.map(\.name)) == [
            "svc-etl", "jenkins-build", "dana.lee", "app-ec2", "gha-deploy", "AWSReservedSSO_ReadOnlyAccess_0a1b2c3d4e5f6789",
            "okta-admins", "AWSServiceRoleForSupport", "vendor-audit", "root (123456789012)",
        ])
    }

    @Test func asOfOverridesTheReportsGenerationTime() throws {
        // Given an explicit "as of" date
        let asOf = utc("2026-01-01T00:00:00Z")
        // When the small estate is read with it
        let estate = try #require(try readAWS([Self.smallEstate], asOf: asOf).estates.first)
        // Then ages are measured against it
        #expect(estate.observedAt == asOf)
    }

    @Test func mapsUserFieldsFromAuthorizationDetails() throws {
        // Given svc-etl: path /service/, owner and env tags, a permissions boundary
        let estate = try smallEstate()
        // When it is looked up
        let user = try #require(estate.identity(named: "svc-etl"))
        // Then every field comes from the export
        #expect(user.id == Self.svcEtl)
        #expect(user.arn == Self.svcEtl)
        #expect(user.kind == .iamUser)
        #expect(user.provider == .aws)
        #expect(user.nativeId == "AIDAQ3EXAMPLEETL0USR")
        #expect(user.account == "123456789012")
        #expect(user.path == "/service/")
        #expect(user.owner == "data-platform@example.com")
        #expect(user.environment == "prod")
        #expect(user.tags == ["owner": "data-platform@example.com", "env": "prod"])
        #expect(user.createdAt == utc("2025-01-10T09:00:00Z"))
        #expect(estate.boundary(of: user.id) == "arn:aws:iam::123456789012:policy/boundaries/data-boundary")
        #expect(user.managedBy == nil)
        #expect(user.console == ConsoleAccess(passwordEnabled: false, mfaActive: false))
    }

    @Test func mapsRolesWithTrustPolicyUsageAndServiceLinkedMarker() throws {
        let estate = try smallEstate()
        // Given app-ec2 (used 2025-11-20 in us-east-1) and the service-linked support role (RoleLastUsed {})
        let app = try #require(estate.identity(named: "app-ec2"))
        let support = try #require(estate.identity(named: "AWSServiceRoleForSupport"))
        // Then usage, tags and the trust policy are kept
        #expect(app.kind == .iamRole)
        #expect(app.nativeId == "AROAQ3EXAMPLEAPPEC20")
        #expect(app.lastUsedAt == utc("2025-11-20T07:12:09Z"))
        #expect(app.lastUsedDetail == "in us-east-1")
        #expect(app.usageTracked)
        #expect(app.environment == "staging")
        #expect(estate.trustPolicy(of: app.id)?.statements.first?.principals == .only(PrincipalSet(service: ["ec2.amazonaws.com"])))
        #expect(app.managedBy == nil)
        // And a role whose RoleLastUsed is empty is tracked and never used, and managed by AWS
        #expect(support.usageTracked)
        #expect(support.lastUsedAt == nil)
        #expect(support.managedBy == "aws")
        #expect(support.path == "/aws-service-role/support.amazonaws.com/")
    }

    @Test func mapsGroupsInstanceProfilesAndLinks() throws {
        // Given users in groups, a role with an instance profile and roles with trust policies
        let estate = try smallEstate()
        // Then groups and the instance profile are resources
        let resources = Dictionary(uniqueKeysWithValues: estate.resources.map { ($0.id, $0) })
        #expect(resources["arn:aws:iam::123456789012:group/Admins"]?.type == "aws.iam.group")
        #expect(resources["arn:aws:iam::123456789012:group/Readers"]?.attributes["groupId"] == "AGPAQ3EXAMPLEREADERS")
        #expect(resources["arn:aws:iam::123456789012:instance-profile/app-ec2-profile"]?.type == "aws.iam.instance-profile")
        // And membership and instance profiles are edges the connector reads
        let edges = Set(estate.edges.map { "\($0.from) \($0.kind) \($0.to) \($0.rule)" })
        let expected: Set<String> = [
            "\(Self.svcEtl) member-of arn:aws:iam::123456789012:group/Readers aws.import",
            "arn:aws:iam::123456789012:user/dana.lee member-of arn:aws:iam::123456789012:group/Admins aws.import",
            "arn:aws:iam::123456789012:instance-profile/app-ec2-profile carries arn:aws:iam::123456789012:role/app-ec2 aws.import",
        ]
        #expect(expected.isSubset(of: edges), "missing: \(expected.subtracting(edges))")
        // And trust becomes can-assume edges made by the aws.trust rule in analysis, each naming its statement
        let trust = Analyzer.run([estate]).edges.filter { $0.kind == .canAssume }
        let assumed = Set(trust.map { "\($0.from) \($0.to)" })
        let expectedTrust: Set<String> = [
            "service:ec2.amazonaws.com arn:aws:iam::123456789012:role/app-ec2",
            "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com arn:aws:iam::123456789012:role/gha-deploy",
            "arn:aws:iam::111122223333:root arn:aws:iam::123456789012:role/vendor-audit",
        ]
        #expect(expectedTrust.isSubset(of: assumed), "missing: \(expectedTrust.subtracting(assumed))")
        #expect(trust.allSatisfy { $0.rule == "aws.trust" && $0.statement?.policyId == "\($0.to)#trust" && !$0.reason.isEmpty })
    }

    @Test func mapsGrantsWithInlinePolicyIdsAndBoundaries() throws {
        let estate = try smallEstate()
        let grants = Set(estate.grants.map { "\($0.subjectId) \($0.via.rawValue) \($0.policyId)" })
        // Then attached, inline (with synthetic ids) and boundary grants are all there, for users, groups and roles
        let expected: Set<String> = [
            "\(Self.svcEtl) attached arn:aws:iam::123456789012:policy/etl-s3-read",
            "\(Self.svcEtl) inline \(Self.svcEtl)#inline/etl-kms-decrypt",
            "\(Self.svcEtl) boundary arn:aws:iam::123456789012:policy/boundaries/data-boundary",
            "arn:aws:iam::123456789012:group/Admins attached arn:aws:iam::aws:policy/AdministratorAccess",
            "arn:aws:iam::123456789012:group/Readers inline arn:aws:iam::123456789012:group/Readers#inline/readers-inline",
            "arn:aws:iam::123456789012:role/gha-deploy inline arn:aws:iam::123456789012:role/gha-deploy#inline/deploy-s3",
            "arn:aws:iam::123456789012:role/app-ec2 attached arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        ]
        #expect(expected.isSubset(of: grants), "missing: \(expected.subtracting(grants))")
    }

    @Test func mapsPoliciesWithKindsDefaultVersionsAndConditions() throws {
        let estate = try smallEstate()
        let policies = Dictionary(uniqueKeysWithValues: estate.policies.map { ($0.id, $0) })
        // Then an inline policy has the synthetic id, its name and its condition
        let inline = try #require(policies["\(Self.svcEtl)#inline/etl-kms-decrypt"])
        #expect(inline.kind == .inline)
        #expect(inline.name == "etl-kms-decrypt")
        #expect(inline.document.statements == [PolicyStatement(
            sid: "DecryptViaS3", effect: .allow, actions: .only(["kms:Decrypt"]),
            resources: .only(["arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"]),
            conditions: [PolicyCondition(operator: "StringEquals", key: "kms:ViaService", values: ["s3.us-east-1.amazonaws.com"])])])
        // And a managed policy carries the default version's document (v2), not the first listed (v1)
        let etl = try #require(policies["arn:aws:iam::123456789012:policy/etl-s3-read"])
        #expect(etl.kind == .customerManaged)
        #expect(etl.document.statements.first?.actions == .only(["s3:GetObject", "s3:ListBucket"]))
        // And AWS-managed policies are provider-managed
        #expect(policies["arn:aws:iam::aws:policy/AdministratorAccess"]?.kind == .providerManaged)
        #expect(policies["arn:aws:iam::123456789012:policy/boundaries/data-boundary"] != nil)
    }

    @Test func matchesListedKeysToReportSlotsByCreationTimeAndLastUsedFilesByName() throws {
        // Given svc-etl: list-access-keys lists key 0002 (slot 2) before key 0001 (slot 1), and
        // AKIAQ3EXAMPLEETL0001.json (get-access-key-last-used) says 0001 was last used 06:45 in eu-west-1
        let estate = try smallEstate()
        let keys = Dictionary(uniqueKeysWithValues: estate.credentials(of: Self.svcEtl).map { ($0.id, $0) })
        // Then the report's per-slot credentials are replaced by the real key ids
        #expect(Set(keys.keys) == ["AKIAQ3EXAMPLEETL0001", "AKIAQ3EXAMPLEETL0002"])
        // And key 0001's use comes from its get-access-key-last-used file, not from the report slot
        let active = try #require(keys["AKIAQ3EXAMPLEETL0001"])
        #expect(active.status == .active)
        #expect(active.kind == .accessKey)
        #expect(active.createdAt == utc("2025-10-01T12:00:00Z"))
        #expect(active.lastUsedAt == utc("2025-11-20T06:45:00Z"))
        #expect(active.lastUsedDetail == "s3 in eu-west-1")
        #expect(active.usageTracked)
        #expect(active.preview == "AKIA…0001")
        // The fingerprint follows the model's scheme: the namespace, then SHA-256 of the key id
        #expect(active.fingerprint == CredentialFingerprint(.awsAccessKeyId, of: "AKIAQ3EXAMPLEETL0001").description)
        #expect(active.fingerprint?.hasPrefix("aws.access-key-id:sha256:") == true)
        // And key 0002 takes slot 2's use, matched by creation time rather than list position
        let inactive = try #require(keys["AKIAQ3EXAMPLEETL0002"])
        #expect(inactive.status == .inactive)
        #expect(inactive.lastUsedAt == utc("2025-04-01T10:00:00Z"))
        #expect(inactive.lastUsedDetail == "kms in us-west-2")
        // And the identity's last use is the newest of its credentials'
        #expect(estate.identity(named: "svc-etl")?.lastUsedAt == utc("2025-11-20T06:45:00Z"))
    }

    @Test func keepsReportSlotsAndPasswordsWhenNoKeyListExists() throws {
        // Given jenkins-build, in the credential report with a password and key slot 1, but no list-access-keys file
        let estate = try smallEstate()
        let id = "arn:aws:iam::123456789012:user/jenkins-build"
        let credentials = Dictionary(uniqueKeysWithValues: estate.credentials(of: id).map { ($0.id, $0) })
        // Then the slot and the password are credentials of their own
        #expect(Set(credentials.keys) == ["\(id)#access-key-1", "\(id)#password"])
        let slot = try #require(credentials["\(id)#access-key-1"])
        #expect(slot.status == .active)
        #expect(slot.createdAt == utc("2025-09-01T00:00:00Z"))
        #expect(slot.lastUsedAt == utc("2025-11-20T07:30:00Z"))
        #expect(slot.lastUsedDetail == "ecr in us-east-1")
        let password = try #require(credentials["\(id)#password"])
        #expect(password.kind == .password)
        #expect(password.lastUsedAt == utc("2025-11-02T16:40:00Z"))
        #expect(password.lastRotatedAt == utc("2024-05-01T09:00:00Z"))
    }

    @Test func mapsTheRootRow() throws {
        // Given the report's <root_account> row: MFA on, key slot 1 present but inactive
        let estate = try smallEstate()
        let root = try #require(estate.identities.first { $0.kind == .rootAccount })
        // Then the root user is an identity of its own, neither human nor machine
        #expect(root.id == "arn:aws:iam::123456789012:root")
        #expect(root.name == "root (123456789012)")
        #expect(root.nature == .root)
        #expect(root.console?.mfaActive == true)
        #expect(root.console?.passwordLastUsedAt == utc("2025-10-30T09:12:44Z"))
        #expect(root.createdAt == utc("2019-06-01T10:00:00Z"))
        let keys = estate.credentials(of: root.id)
        #expect(keys.map(\.id) == ["arn:aws:iam::123456789012:root#access-key-1"])
        #expect(keys.first?.status == .inactive)
    }

    @Test(arguments: [
        ("svc-etl", IdentityNature.machine, "no console password"),
        ("dana.lee", .human, "console password with MFA"),
        ("jenkins-build", .machine, "used programmatically"),
        ("AWSReservedSSO_ReadOnlyAccess_0a1b2c3d4e5f6789", .human, "SSO"),
        ("okta-admins", .human, "SAML provider Okta"),
        ("app-ec2", .machine, "ec2.amazonaws.com"),
        ("gha-deploy", .machine, "OIDC provider token.actions.githubusercontent.com"),
        ("AWSServiceRoleForSupport", .machine, "support.amazonaws.com"),
    ])
    func classifiesWhoUsesEachIdentity(_ name: String, _ nature: IdentityNature, _ reason: String) throws {
        // Given an identity of the small estate
        let estate = try smallEstate()
        let identity = try #require(estate.identity(named: name))
        // Then its nature follows from its sign-in facts or its trust policy, with the reason given
        #expect(identity.nature == nature)
        #expect(identity.natureReason.contains(reason), "\(name): \(identity.natureReason)")
    }

    @Test func readsTheCSVAndJSONFormsOfTheCredentialReportAlike() throws {
        // Given the same credential report as decoded CSV and as get-credential-report JSON
        let details = Fixture.path("small-estate/authorization-details.json")
        let fromJSON = try readAWS([details, Fixture.path("small-estate/credential-report.json")])
        let csvFiles = try AWSConnector.discover([details, Fixture.path("credential-report.csv")])
        #expect(csvFiles.files.map(\.kind) == [.authorizationDetails, .credentialReportCSV])
        // When the CSV form is read as of the JSON form's GeneratedTime
        let fromCSV = try AWSConnector(asOf: utc("2025-11-20T08:00:00Z")).read(csvFiles.files)
        // Then both give the same estate
        #expect(fromCSV.estates == fromJSON.estates)
    }

    @Test func readsRawAPIOutputWithURLEncodedPolicyDocuments() throws {
        // Given raw IAM API output: every policy document is a percent-encoded JSON string, dates end in Z
        let estate = try #require(try readAWS([Fixture.path("raw-api")], asOf: Fixture.now).estates.first)
        // Then inline, managed and trust documents are decoded like the CLI's objects
        let userId = "arn:aws:iam::123456789012:user/svc-queue-reader"
        let inline = try #require(estate.policies.first { $0.id == "\(userId)#inline/read-orders-queue" })
        #expect(inline.document.version == "2012-10-17")
        #expect(inline.document.statements == [PolicyStatement(
            sid: "ReadQueue", effect: .allow, actions: .only(["sqs:ReceiveMessage", "sqs:DeleteMessage"]),
            resources: .only(["arn:aws:sqs:us-east-1:123456789012:orders-queue"]))])
        let managed = try #require(estate.policies.first { $0.name == "lambda-logs" })
        #expect(managed.document.statements.first?.actions == .only(["logs:CreateLogStream", "logs:PutLogEvents"]))
        let role = try #require(estate.identity(named: "lambda-orders"))
        #expect(estate.trustPolicy(of: role.id)?.statements.first?.principals == .only(PrincipalSet(service: ["lambda.amazonaws.com"])))
        #expect(role.nature == .machine)
        #expect(role.createdAt == utc("2025-05-05T05:10:00Z"))
        // And a capitalised Owner tag still names the owner
        #expect(estate.identity(named: "svc-queue-reader")?.owner == "orders@example.com")
    }

    @Test func warnsAboutAttachedPoliciesMissingFromTheExport() throws {
        try withTemporaryDirectory { dir in
            // Given an export made with --filter Role: a role's attached customer policy is not in it
            let file = dir.appendingPathComponent("authorization-details.json")
            try Data("""
                {"RoleDetailList": [{"Path": "/", "RoleName": "batch", "RoleId": "AROAQ3EXAMPLEBATCH01",
                  "Arn": "arn:aws:iam::123456789012:role/batch", "CreateDate": "2025-01-01T00:00:00Z",
                  "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
                    "Principal": {"Service": "batch.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
                  "AttachedManagedPolicies": [{"PolicyName": "batch-jobs", "PolicyArn": "arn:aws:iam::123456789012:policy/batch-jobs"}],
                  "RoleLastUsed": {}}]}
                """.utf8).write(to: file)
            // When it is read
            let result = try readAWS([file.path], asOf: Fixture.now)
            // Then the import works and says what is unknown
            #expect(result.estates.count == 1)
            #expect(result.warnings.contains { $0.contains("arn:aws:iam::123456789012:policy/batch-jobs") })
        }
    }
}
