import Foundation
import RosterAnalysis
import RosterConnectors
import RosterModel
import Testing

/// Builds small Azure estates by hand: service principals, their secrets and role assignments.
struct AzureBuilder {
    var estate = Estate(observedAt: AzureFixture.observedAt, scope: "azure:\(AzureFixture.tenant)")
    var now: Date { estate.observedAt }

    static let subscription = GrantScope(.subscription, "/subscriptions/7c1d2b4e-0a3f-4e7a-9b21-5f8a6c3d9e01")
    static let resourceGroup = GrantScope(.resourceGroup, "/subscriptions/7c1d2b4e-0a3f-4e7a-9b21-5f8a6c3d9e01/resourceGroups/rg-app")
    static let managementGroup = GrantScope(.managementGroup, "/providers/Microsoft.Management/managementGroups/acme")

    static let owner = AzureRolePermissions(actions: ["*"])
    static let contributor = AzureRolePermissions(actions: ["*"], notActions: ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action"])
    static let reader = AzureRolePermissions(actions: ["*/read"])
    static let userAccessAdministrator = AzureRolePermissions(actions: ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"])
    static let secretsUser = AzureRolePermissions(dataActions: ["Microsoft.KeyVault/vaults/secrets/getSecret/action", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"])

    @discardableResult
    mutating func sp(_ name: String, kind: IdentityKind = .azureServicePrincipal, owner: String? = "team@acme.example", managedBy: String? = nil) -> String {
        let id = "azure:servicePrincipal:\(name)"
        estate.identities.append(Identity(
            id: id, provider: .azure, kind: kind, name: name, nativeId: "app-\(name)", account: AzureFixture.tenant, owner: owner,
            tags: owner.map { ["owner": $0] } ?? [:], nature: .machine, natureReason: "a service principal", managedBy: managedBy))
        return id
    }

    mutating func secret(_ keyId: String, of identity: String, startedDaysAgo: Double, expiresInDays: Double, kind: CredentialKind = .clientSecret) {
        let end = now.addingTimeInterval(expiresInDays * 86_400)
        estate.credentials.append(Credential(
            id: "azure:keyId:\(keyId)", identityId: identity, kind: kind, status: end <= now ? .expired : .active,
            createdAt: daysAgo(startedDaysAgo, from: now), expiresAt: end, preview: "\(keyId.prefix(3))…"))
    }

    mutating func assign(_ role: String, _ permissions: AzureRolePermissions?, to identity: String, at scope: GrantScope, condition: String? = nil) {
        let id = "azure:roleDefinition:\(role.lowercased().replacingOccurrences(of: " ", with: "-"))"
        if !estate.policies.contains(where: { $0.id == id }) {
            estate.policies.append(Policy(
                id: id, name: role, provider: .azure, kind: .providerManaged,
                body: permissions.map { .azureRole($0) } ?? .other(type: "azure.role-reference", content: .object(["roleDefinitionName": .string(role)]))))
        }
        estate.grants.append(Grant(subjectId: identity, policyId: id, via: .binding, scope: scope, condition: condition))
    }

    mutating func deletedPrincipal(_ guid: String) -> String {
        let id = "azure:deletedPrincipal:\(guid)"
        estate.identities.append(Identity(
            id: id, provider: .azure, kind: .azureDeletedPrincipal, name: "deleted principal \(guid)", account: AzureFixture.tenant, nature: .unknown,
            natureReason: "role assignments name object \(guid), which no longer exists", managedBy: "nobody: deleted from Entra ID"))
        return id
    }

    var builder: EstateBuilder {
        var b = EstateBuilder(observedAt: estate.observedAt)
        b.estate = estate
        return b
    }
}

/// The Azure detectors' risky and healthy estates, in the shape of `detectorCases` (DetectorTests.swift),
/// so the registry-wide tests can take them in with one line.
let azureDetectorCases: [String: DetectorCase] = [
    "azure.credential.expired": DetectorCase(
        identity: "svc-invoice-mailer", severity: .low, owasp: .nhi1ImproperOffboarding, evidence: "expired 2025-12-15",
        risky: {
            var b = AzureBuilder()
            b.secret("old", of: b.sp("svc-invoice-mailer"), startedDaysAgo: 395, expiresInDays: -30)
            return b.builder
        },
        healthy: {
            // The same app after the expired secret was deleted: only its live one remains
            var b = AzureBuilder()
            b.secret("new", of: b.sp("svc-invoice-mailer"), startedDaysAgo: 40, expiresInDays: 140)
            return b.builder
        }),
    "azure.credential.expiring": DetectorCase(
        identity: "svc-backup-runner", severity: .medium, owasp: .nhi7LongLivedSecrets, evidence: "in 18 days",
        risky: {
            var b = AzureBuilder()
            b.secret("bkp", of: b.sp("svc-backup-runner"), startedDaysAgo: 347, expiresInDays: 18)
            return b.builder
        },
        healthy: {
            // Rotation under way: a new secret valid well past the window is already there
            var b = AzureBuilder()
            let sp = b.sp("svc-backup-runner")
            b.secret("bkp", of: sp, startedDaysAgo: 347, expiresInDays: 18)
            b.secret("bk2", of: sp, startedDaysAgo: 2, expiresInDays: 178)
            return b.builder
        }),
    "azure.client-secret.long-lived": DetectorCase(
        identity: "legacy-terraform-sp", severity: .medium, owasp: .nhi7LongLivedSecrets, evidence: "730 days (limit 365)",
        risky: {
            var b = AzureBuilder()
            b.secret("tf1", of: b.sp("legacy-terraform-sp"), startedDaysAgo: 365, expiresInDays: 365)
            return b.builder
        },
        healthy: {
            // A six-month secret
            var b = AzureBuilder()
            b.secret("tf1", of: b.sp("legacy-terraform-sp"), startedDaysAgo: 60, expiresInDays: 120)
            return b.builder
        }),
    "azure.role.privileged-broad-scope": DetectorCase(
        identity: "legacy-terraform-sp", severity: .critical, owasp: .nhi5OverprivilegedNHI, evidence: "Owner at subscription /subscriptions/7c1d2b4e",
        risky: {
            var b = AzureBuilder()
            b.assign("Owner", AzureBuilder.owner, to: b.sp("legacy-terraform-sp"), at: AzureBuilder.subscription)
            return b.builder
        },
        healthy: {
            // Contributor on its own resource group: the deployer's usual, scoped grant
            var b = AzureBuilder()
            b.assign("Contributor", AzureBuilder.contributor, to: b.sp("legacy-terraform-sp"), at: AzureBuilder.resourceGroup)
            return b.builder
        }),
    "azure.role-assignment.deleted-principal": DetectorCase(
        identity: "deleted principal 0ld-jenkins", severity: .low, owasp: .nhi1ImproperOffboarding, evidence: "Owner at subscription",
        risky: {
            var b = AzureBuilder()
            b.assign("Owner", AzureBuilder.owner, to: b.deletedPrincipal("0ld-jenkins"), at: AzureBuilder.subscription)
            return b.builder
        },
        healthy: {
            // A live service principal with the same assignment is judged by the role detectors, not as orphaned
            var b = AzureBuilder()
            let sp = b.sp("deleted principal 0ld-jenkins")
            b.assign("Reader", AzureBuilder.reader, to: sp, at: AzureBuilder.subscription)
            return b.builder
        }),
]

struct AzureDetectorTests {
    @Test func everyAzureDetectorHasACase() {
        #expect(Set(azureDetectorCases.keys) == Set(Detectors.azureFamily.map(\.id)))
    }

    @Test(arguments: azureDetectorCases.keys.sorted())
    func firesOnTheRiskyIdentity(_ ruleId: String) throws {
        let fixture = try #require(azureDetectorCases[ruleId])
        let detector = try #require(Detectors.all.first { $0.id == ruleId }, "\(ruleId) is not registered")
        #expect(detector.severity == fixture.severity)
        #expect(detector.owasp == fixture.owasp)
        // Given an estate with one risky identity, when every registered detector runs
        let analysis = try fixture.risky().analyse(fixture.policy)
        // Then it has this rule's finding, with the declared severity, category and evidence
        let finding = try #require(analysis.findings(on: fixture.identity).first { $0.ruleId == ruleId },
                                   "\(ruleId) not raised; got \(analysis.ruleIds(on: fixture.identity))")
        #expect(finding.severity == fixture.severity)
        #expect(finding.owasp == fixture.owasp)
        #expect(finding.evidence.contains { $0.contains(fixture.evidence) }, "evidence: \(finding.evidence)")
    }

    @Test(arguments: azureDetectorCases.keys.sorted())
    func staysSilentOnTheHealthyLookAlike(_ ruleId: String) throws {
        let fixture = try #require(azureDetectorCases[ruleId])
        let analysis = try fixture.healthy().analyse(fixture.policy)
        #expect(analysis.profile(named: fixture.identity) != nil)
        #expect(!analysis.ruleIds(on: fixture.identity).contains(ruleId), "\(analysis.findings(on: fixture.identity).map(\.evidence))")
    }

    @Test func contributorOnASubscriptionIsHighAndSaysItCannotGrantAccess() throws {
        var b = AzureBuilder()
        b.assign("Contributor", AzureBuilder.contributor, to: b.sp("vm-batch-worker", kind: .azureManagedIdentity), at: AzureBuilder.subscription)
        let finding = try #require(b.builder.analyse().findings(on: "vm-batch-worker").first { $0.ruleId == "azure.role.privileged-broad-scope" })
        #expect(finding.severity == .high)
        #expect(finding.evidence.contains { $0.contains("cannot grant access") })
        #expect(finding.evidence.contains { $0.contains("a managed identity") })
    }

    @Test func userAccessAdministratorOnAManagementGroupIsCritical() throws {
        var b = AzureBuilder()
        b.assign("User Access Administrator", AzureBuilder.userAccessAdministrator, to: b.sp("svc-iam"), at: AzureBuilder.managementGroup)
        let finding = try #require(b.builder.analyse().findings(on: "svc-iam").first { $0.ruleId == "azure.role.privileged-broad-scope" })
        #expect(finding.severity == .critical)
    }

    @Test func microsoftsOwnServicePrincipalsAreNotJudged() throws {
        var b = AzureBuilder()
        let sp = b.sp("Microsoft Graph", owner: nil, managedBy: "microsoft")
        b.assign("Owner", AzureBuilder.owner, to: sp, at: AzureBuilder.subscription)
        b.secret("ms1", of: sp, startedDaysAgo: 800, expiresInDays: 5)
        #expect(b.builder.analyse().findings(on: "Microsoft Graph").isEmpty)
    }

    @Test func aLifetimeOverTwoYearsIsHigh() throws {
        var b = AzureBuilder()
        b.secret("x", of: b.sp("svc-forever"), startedDaysAgo: 100, expiresInDays: 3000)
        let finding = try #require(b.builder.analyse().findings(on: "svc-forever").first { $0.ruleId == "azure.client-secret.long-lived" })
        #expect(finding.severity == .high)
        #expect(finding.credentialId == "azure:keyId:x")
    }

    @Test func certificatesAreNotJudgedByLifetime() throws {
        var b = AzureBuilder()
        b.secret("c", of: b.sp("svc-cert"), startedDaysAgo: 100, expiresInDays: 900, kind: .certificate)
        #expect(!b.builder.analyse().ruleIds(on: "svc-cert").contains("azure.client-secret.long-lived"))
    }
}

struct AzurePrivilegeTests {
    func level(_ build: (inout AzureBuilder, String) -> Void) -> PrivilegeAssessment {
        var b = AzureBuilder()
        let sp = b.sp("subject")
        build(&b, sp)
        let index = EstateIndex([b.estate])
        return PrivilegeEvaluators.assess(index.identitiesById[sp]!, in: index)
    }

    @Test func ownerOrUserAccessAdministratorOnASubscriptionOrAboveIsAdmin() {
        #expect(level { $0.assign("Owner", AzureBuilder.owner, to: $1, at: AzureBuilder.subscription) }.level == .admin)
        #expect(level { $0.assign("User Access Administrator", AzureBuilder.userAccessAdministrator, to: $1, at: AzureBuilder.managementGroup) }.level == .admin)
        #expect(level { $0.assign("Owner", AzureBuilder.owner, to: $1, at: GrantScope(.managementGroup, "/")) }.evidence.first?.contains("the tenant root (/)") == true)
    }

    @Test func ownerOnAResourceGroupIsWriteAndSaysWhereItCanGrantAccess() {
        let result = level { $0.assign("Owner", AzureBuilder.owner, to: $1, at: AzureBuilder.resourceGroup) }
        #expect(result.level == .write)
        #expect(result.evidence.contains { $0.contains("it can grant access only within this scope") })
    }

    @Test func contributorIsWriteAndCannotGrantAccess() {
        let result = level { $0.assign("Contributor", AzureBuilder.contributor, to: $1, at: AzureBuilder.subscription) }
        #expect(result.level == .write)
        #expect(result.evidence.contains { $0.contains("cannot grant access") })
    }

    @Test func readerAndSecretReadersAreRead() {
        #expect(level { $0.assign("Reader", AzureBuilder.reader, to: $1, at: AzureBuilder.subscription) }.level == .read)
        let secrets = level { $0.assign("Key Vault Secrets User", AzureBuilder.secretsUser, to: $1, at: AzureBuilder.resourceGroup) }
        #expect(secrets.level == .read)
        #expect(secrets.evidence.contains { $0.contains("can read secret values") })
    }

    @Test func aRoleWithUnknownPermissionsMakesTheLevelUnknownUnlessAnotherIsAdmin() {
        #expect(level { $0.assign("Mystery", nil, to: $1, at: AzureBuilder.subscription) }.level == .unknown)
        #expect(level {
            $0.assign("Mystery", nil, to: $1, at: AzureBuilder.subscription)
            $0.assign("Owner", AzureBuilder.owner, to: $1, at: AzureBuilder.subscription)
        }.level == .admin)
    }

    @Test func aConditionOnAnAdminAssignmentMakesItConditional() {
        let result = level {
            $0.assign("User Access Administrator", AzureBuilder.userAccessAdministrator, to: $1, at: AzureBuilder.subscription,
                      condition: "@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {acdd72a7}")
        }
        #expect(result.level == .admin)
        #expect(result.conditional)
    }

    @Test func noAssignmentsIsNoneAndADeletedPrincipalGrantsNothing() {
        #expect(level { _, _ in }.level == .none)
        var b = AzureBuilder()
        let gone = b.deletedPrincipal("x")
        b.assign("Owner", AzureBuilder.owner, to: gone, at: AzureBuilder.subscription)
        let index = EstateIndex([b.estate])
        #expect(PrivilegeEvaluators.assess(index.identitiesById[gone]!, in: index).level == .none)
    }

    @Test func actionWildcardsMatchAsAzureDoes() {
        #expect(AzureRoleMeaning.judge(role: "custom", AzureRolePermissions(actions: ["Microsoft.Authorization/*"]), scope: AzureBuilder.subscription).level == .admin)
        #expect(AzureRoleMeaning.judge(role: "custom", AzureRolePermissions(actions: ["microsoft.authorization/roleassignments/*"]), scope: AzureBuilder.subscription).level == .admin)
        #expect(AzureRoleMeaning.judge(role: "custom", AzureRolePermissions(actions: ["Microsoft.Compute/*/read"]), scope: AzureBuilder.subscription).level == .read)
        #expect(AzureRoleMeaning.judge(role: "custom", AzureRolePermissions(actions: ["Microsoft.Network/dnsZones/*"]), scope: AzureBuilder.subscription).level == .write)
        #expect(AzureRoleMeaning.judge(role: "custom", AzureRolePermissions(actions: ["*"], notActions: ["Microsoft.Authorization/*"]), scope: AzureBuilder.subscription).level == .write)
    }
}

/// The example estate end to end: every planted risk found, nothing healthy flagged.
struct AzureExampleEstateTests {
    static let analysis: Analysis? = {
        guard let estates = try? AzureFixture.read([AzureFixture.example]).estates else { return nil }
        return Analyzer.run(estates)
    }()

    static let risky: [String: Set<String>] = [
        // Owner of the subscription with a two-year client secret: exposed and admin, the toxic combination.
        "legacy-terraform-sp": ["azure.role.privileged-broad-scope", "azure.client-secret.long-lived", "nhi.owner.missing", "graph.toxic-combination"],
        "svc-backup-runner": ["azure.credential.expiring"],
        "svc-invoice-mailer": ["azure.credential.expired"],
        "vm-batch-worker": ["azure.role.privileged-broad-scope", "nhi.owner.missing"],
    ]

    static let healthy = [
        "gh-deploy-payments", "svc-reporting-export", "svc-ci-rotating", "acme-partner-portal", "mi-payments-api", "CloudHealth",
        "Microsoft Graph", "Azure Kubernetes Service AAD Server",
        // The apps users consented to in examples/estate/saas: their service principals, with no roles here
        "Contoso Mail Archiver", "Miro", "Notion", "acme-hr-sync", "Microsoft Graph Command Line Tools",
    ]

    @Test(arguments: risky.keys.sorted())
    func plantedRisksAreFound(_ name: String) throws {
        let analysis = try #require(Self.analysis)
        let rules = analysis.ruleIds(on: name).subtracting(["nhi.admin"])
        #expect(rules == Self.risky[name], "\(name): \(rules)")
    }

    @Test(arguments: healthy)
    func healthyIdentitiesHaveNoFindings(_ name: String) throws {
        let analysis = try #require(Self.analysis)
        #expect(analysis.profile(named: name) != nil, "\(name) missing")
        #expect(analysis.findings(on: name).isEmpty, "\(name): \(analysis.findings(on: name).map(\.ruleId))")
    }

    @Test func orphanedAssignmentsAreReported() throws {
        let analysis = try #require(Self.analysis)
        let orphaned = analysis.findings.filter { $0.ruleId == "azure.role-assignment.deleted-principal" }
        #expect(orphaned.count == 2)
        #expect(orphaned.contains { $0.evidence.contains { $0.contains("Owner at subscription /subscriptions/2b9e4f1a") } })
    }

    @Test func privilegeLevelsFollowTheRoles() throws {
        let analysis = try #require(Self.analysis)
        #expect(analysis.profile(named: "legacy-terraform-sp")?.privilege.level == .admin)
        #expect(analysis.profile(named: "gh-deploy-payments")?.privilege.level == .write)
        #expect(analysis.profile(named: "svc-reporting-export")?.privilege.level == .read)
        #expect(analysis.profile(named: "CloudHealth")?.privilege.level == .read)
        #expect(analysis.profile(named: "svc-ci-rotating")?.privilege.level == .write)
    }
}
