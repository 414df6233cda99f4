import Foundation
import RosterAnalysis
@testable import RosterConnectors
import RosterModel
import Testing

/// Paths and helpers for the Azure and SaaS example estates and fixtures.
enum AzureFixture {
    static let tenant = "3f2a1c9e-5b7d-4e8a-9c1f-2d6b8a4e7f10"
    static let example = Fixture.packageRoot.appendingPathComponent("examples/estate/azure").path
    static let fixtures = Fixture.packageRoot.appendingPathComponent("Tests/Fixtures/azure")
    /// The example's newest timestamp: the platform-admins group's role assignment.
    static let observedAt = utc("2026-01-14T09:00:00Z")

    static func path(_ relative: String) -> String { fixtures.appendingPathComponent(relative).path }

    static func read(_ paths: [String], asOf: Date? = nil) throws -> ConnectorResult {
        let connector = AzureConnector(asOf: asOf)
        return try connector.read(connector.discover(paths).files)
    }

    static func error(_ paths: [String]) -> ConnectorError? {
        do {
            _ = try read(paths)
            return nil
        } catch let error as ConnectorError {
            return error
        } catch {
            return nil
        }
    }

    /// Writes `files` (relative path → content) into a fresh directory and runs `body` on it.
    static func withFiles<T>(_ files: [String: String], _ body: (URL) throws -> T) throws -> T {
        try withTemporaryDirectory { dir in
            for (name, text) in files {
                let url = dir.appendingPathComponent(name)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text.utf8).write(to: url)
            }
            return try body(dir)
        }
    }

    static let account = #"{"cloudName": "AzureCloud", "id": "7c1d2b4e-0a3f-4e7a-9b21-5f8a6c3d9e01", "name": "acme-prod", "tenantId": "\#(tenant)", "isDefault": true}"#

    static func sp(_ name: String, id: String, appId: String, type: String = "Application", extra: String = "") -> String {
        #"{"id": "\#(id)", "appId": "\#(appId)", "displayName": "\#(name)", "servicePrincipalType": "\#(type)", "appOwnerOrganizationId": "\#(tenant)", "accountEnabled": true, "passwordCredentials": [], "keyCredentials": [], "servicePrincipalNames": ["\#(appId)"]\#(extra)}"#
    }
}

struct AzureConnectorTests {
    let estate: Estate
    let warnings: [String]

    init() throws {
        let result = try AzureFixture.read([AzureFixture.example])
        estate = try #require(result.estates.first)
        warnings = result.warnings
    }

    func identity(_ name: String) throws -> Identity { try #require(estate.identities.first { $0.name == name }, "no identity \(name)") }

    @Test func theExampleIsOneTenantObservedAtItsNewestTimestamp() throws {
        // Given examples/estate/azure (az account list names the tenant)
        // Then it is one estate for the tenant, observed at the newest creation date it holds, and says so
        #expect(estate.scope == "azure:\(AzureFixture.tenant)")
        #expect(estate.observedAt == AzureFixture.observedAt)
        #expect(warnings.contains { $0.contains("observation time 2026-01-14T09:00:00Z") })
    }

    @Test func servicePrincipalsAppsAndManagedIdentitiesAreIdentities() throws {
        // Then each service principal is an identity with the contract's id, its appId as native id and the tenant as account
        let sp = try identity("legacy-terraform-sp")
        #expect(sp.id.hasPrefix("azure:servicePrincipal:"))
        #expect(sp.kind == .azureServicePrincipal)
        #expect(sp.nativeId == "56cab518-76bb-55c9-8e54-02af07bb3afd")
        #expect(sp.account == AzureFixture.tenant)
        #expect(sp.nature == .machine)
        // And an app registration without a service principal is an identity of its own
        let portal = try identity("acme-partner-portal")
        #expect(portal.kind == .azureApplication)
        #expect(portal.id.hasPrefix("azure:application:"))
        // And a user-assigned managed identity carries its resource, and its ARM tags (az identity list) give owner and environment
        let mi = try identity("mi-payments-api")
        #expect(mi.kind == .azureManagedIdentity)
        #expect(mi.path?.hasSuffix("/userAssignedIdentities/mi-payments-api") == true)
        #expect(mi.owner == "payments-team@acme.example")
        #expect(mi.environment == "production")
        #expect(mi.tags["managedIdentity"] == "user-assigned")
        // And a system-assigned one takes its environment from its resource group
        #expect(try identity("vm-batch-worker").environment == "development")
        // And Microsoft's own apps are inventoried but marked as Microsoft's
        #expect(try identity("Microsoft Graph").managedBy == "microsoft")
        // And owners come from the app's tags
        #expect(try identity("gh-deploy-payments").owner == "payments-team@acme.example")
        // And where an identity holds its roles says its environment when nothing else does (Owner on acme-prod)
        #expect(try identity("legacy-terraform-sp").environment == "production")
    }

    @Test func credentialsFromEveryFileMeetOnTheActingIdentityWithoutSecrets() throws {
        // Given secrets listed by az ad app list and by az ad app credential list files named after the appId
        let backup = try identity("svc-backup-runner")
        let mailer = try identity("svc-invoice-mailer")
        let backupCredentials = estate.credentials.filter { $0.identityId == backup.id }
        let mailerCredentials = estate.credentials.filter { $0.identityId == mailer.id }
        // Then they belong to the service principal, as client secrets and certificates
        #expect(backupCredentials.map(\.kind) == [.clientSecret])
        #expect(Set(mailerCredentials.map(\.kind)) == [.clientSecret, .certificate])
        // And an expired one is marked expired against the observation time
        #expect(mailerCredentials.first { $0.kind == .clientSecret }?.status == .expired)
        // And each has a fingerprint of its keyId and a preview that holds only the hint
        let secret = try #require(backupCredentials.first)
        #expect(secret.fingerprint?.hasPrefix("azure.client-secret-key-id:sha256:") == true)
        #expect(secret.preview == "Mn3… (backup-2025)")
        #expect(secret.expiresAt == utc("2026-02-01T00:00:00Z"))
        #expect(mailerCredentials.first { $0.kind == .certificate }?.fingerprint?.hasPrefix("azure.certificate-key-id:sha256:") == true)
    }

    @Test func federatedCredentialsBecomeTheTrustPolicyOfTheServicePrincipal() throws {
        // Given gh-deploy-payments' federated credential (file named after its appId)
        let sp = try identity("gh-deploy-payments")
        let grant = try #require(estate.grants.first { $0.subjectId == sp.id && $0.via == .trust })
        #expect(grant.policyId == "\(sp.id)#federated-credentials")
        let policy = try #require(estate.policies.first { $0.id == grant.policyId })
        #expect(policy.kind == .trust)
        // Then the policy holds issuer, subject and audiences exactly as Entra does
        guard case .other(let type, .array(let entries)) = policy.body, case .object(let entry)? = entries.first else {
            Issue.record("unexpected body \(policy.body)")
            return
        }
        #expect(type == "azure.federated-credentials")
        #expect(entry["issuer"] == .string("https://token.actions.githubusercontent.com"))
        #expect(entry["subject"] == .string("repo:acme/payments-api:environment:production"))
        #expect(entry["audiences"] == .array([.string("api://AzureADTokenExchange")]))
        #expect(entry["name"] == .string("payments-api-production"))
        // And a managed identity's federated credential finds its identity by its ARM id
        let mi = try identity("mi-payments-api")
        #expect(estate.grants.contains { $0.subjectId == mi.id && $0.via == .trust })
    }

    @Test func roleAssignmentsBecomeGrantsAtTheirScope() throws {
        // Given Owner on the prod subscription and Contributor on a resource group
        let terraform = try identity("legacy-terraform-sp")
        let owner = try #require(estate.grants.first { $0.subjectId == terraform.id && $0.via == .binding })
        #expect(owner.policyId == "azure:roleDefinition:8e3af657-a8ff-443c-a75c-2fe8c4bcb635")
        #expect(owner.scope == GrantScope(.subscription, "/subscriptions/7c1d2b4e-0a3f-4e7a-9b21-5f8a6c3d9e01"))
        let deploy = try #require(estate.grants.first { $0.subjectId == (try? identity("gh-deploy-payments").id) && $0.via == .binding })
        #expect(deploy.scope?.kind == .resourceGroup)
        // Then built-in roles carry their documented permissions
        let contributor = try #require(estate.policies.first { $0.id == deploy.policyId })
        #expect(contributor.kind == .providerManaged)
        guard case .azureRole(let permissions) = contributor.body else {
            Issue.record("Contributor has no permissions")
            return
        }
        #expect(permissions.actions == ["*"])
        #expect(permissions.notActions.contains("Microsoft.Authorization/*/Write"))
        // And a custom role comes from az role definition list
        let dns = try #require(estate.policies.first { $0.name == "acme-dns-operator" })
        #expect(dns.kind == .customerManaged)
        // And a storage account scope is a resource
        #expect(estate.grants.contains { $0.scope?.kind == .resource && $0.scope?.id.hasSuffix("storageAccounts/acmebackupprod") == true })
    }

    @Test func peopleAndGroupsAreLeftOutButOrphanedAssignmentsAreKept() throws {
        // Then alice's Owner and the platform-admins group's Contributor are not machine identities
        #expect(!estate.identities.contains { $0.name.contains("alice") || $0.name.contains("platform-admins") })
        // And assignments whose principal is gone become deleted principals
        let deleted = estate.identities.filter { $0.kind == .azureDeletedPrincipal }
        #expect(deleted.count == 2)
        #expect(deleted.allSatisfy { $0.id.hasPrefix("azure:deletedPrincipal:") && $0.managedBy != nil })
    }

    @Test func aServicePrincipalSeenOnlyInAssignmentsIsStillJudged() throws {
        try AzureFixture.withFiles([
            "account.json": AzureFixture.account,
            "ra.json": #"[{"principalId": "11111111-2222-3333-4444-555555555555", "principalName": "svc-unlisted", "principalType": "ServicePrincipal", "roleDefinitionId": "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "roleDefinitionName": "Owner", "scope": "/subscriptions/x"}]"#,
        ]) { dir in
            // Given only role assignments
            let estate = try #require(try AzureFixture.read([dir.path]).estates.first)
            // Then the service principal they name is an identity with its grant
            let sp = try #require(estate.identities.first)
            #expect(sp.id == "azure:servicePrincipal:11111111-2222-3333-4444-555555555555")
            #expect(sp.name == "svc-unlisted")
            #expect(estate.grants.count == 1)
        }
    }

    @Test func unknownRolesAreKeptByNameWithUnknownPermissions() throws {
        try AzureFixture.withFiles([
            "account.json": AzureFixture.account,
            "ra.json": #"[{"principalId": "11111111-2222-3333-4444-555555555555", "principalName": "svc", "principalType": "ServicePrincipal", "roleDefinitionId": "/subscriptions/x/providers/Microsoft.Authorization/roleDefinitions/99999999-aaaa-bbbb-cccc-dddddddddddd", "roleDefinitionName": "Mystery Role", "scope": "/subscriptions/x"}]"#,
        ]) { dir in
            let estate = try #require(try AzureFixture.read([dir.path]).estates.first)
            let policy = try #require(estate.policies.first)
            #expect(policy.name == "Mystery Role")
            #expect(policy.body.type == "azure.role-reference")
        }
    }

    @Test func theAADGraphEraFormIsReadToo() throws {
        // Given az CLI before 2.37: objectId, startDate/endDate, accountEnabled as a string
        try AzureFixture.withFiles([
            "account.json": AzureFixture.account,
            "sp.json": #"[{"objectId": "aaaaaaaa-0000-0000-0000-000000000001", "objectType": "ServicePrincipal", "appId": "bbbbbbbb-0000-0000-0000-000000000001", "displayName": "old-sp", "servicePrincipalType": "Application", "servicePrincipalNames": ["bbbbbbbb-0000-0000-0000-000000000001"], "accountEnabled": "False", "passwordCredentials": [{"customKeyIdentifier": null, "endDate": "2030-01-01T00:00:00+00:00", "keyId": "cccccccc-0000-0000-0000-000000000001", "startDate": "2020-01-01T00:00:00+00:00", "value": null}]}]"#,
        ]) { dir in
            let estate = try #require(try AzureFixture.read([dir.path], asOf: utc("2025-01-01T00:00:00Z")).estates.first)
            let sp = try #require(estate.identities.first)
            #expect(sp.id == "azure:servicePrincipal:aaaaaaaa-0000-0000-0000-000000000001")
            #expect(sp.tags["accountEnabled"] == "false")
            let secret = try #require(estate.credentials.first)
            #expect(secret.createdAt == utc("2020-01-01T00:00:00Z"))
            #expect(secret.expiresAt == utc("2030-01-01T00:00:00Z"))
        }
    }

    @Test func theTenantComesFromTheAppsRegisteredInItWhenNoAccountFileIsGiven() throws {
        let app = #"[{"id": "dddddddd-0000-0000-0000-000000000001", "appId": "eeeeeeee-0000-0000-0000-000000000001", "displayName": "local", "signInAudience": "AzureADMyOrg", "identifierUris": [], "passwordCredentials": [], "keyCredentials": []}]"#
        try AzureFixture.withFiles([
            "apps.json": app,
            "sps.json": "[" + AzureFixture.sp("local", id: "ffffffff-0000-0000-0000-000000000001", appId: "eeeeeeee-0000-0000-0000-000000000001") + "]",
        ]) { dir in
            let scope = try AzureFixture.read([dir.path]).estates.first?.scope
            #expect(scope == "azure:\(AzureFixture.tenant)")
        }
        // And without either, the error says which file to add
        try AzureFixture.withFiles(["sps.json": "[" + AzureFixture.sp("x", id: "ffffffff-0000-0000-0000-000000000001", appId: "eeeeeeee-0000-0000-0000-000000000001") + "]"]) { dir in
            let error = try #require(AzureFixture.error([dir.path]))
            #expect(error.code == .inconsistent)
            #expect(error.message.contains("az account show"))
        }
    }

    @Test func twoTenantsAreRefused() throws {
        try AzureFixture.withFiles([
            "a.json": AzureFixture.account,
            "b.json": #"{"cloudName": "AzureCloud", "id": "s2", "tenantId": "99999999-0000-0000-0000-000000000000", "isDefault": false}"#,
        ]) { dir in
            let error = try #require(AzureFixture.error([dir.path]))
            #expect(error.message.contains("2 tenants"))
        }
    }
}

struct AzureCredentialOwnerTests {
    static let appId = "eeeeeeee-0000-0000-0000-000000000001"
    static let secret = #"[{"customKeyIdentifier": null, "displayName": "s", "endDateTime": "2026-06-01T00:00:00Z", "hint": "abc", "keyId": "12345678-0000-0000-0000-000000000001", "secretText": null, "startDateTime": "2026-01-01T00:00:00Z"}]"#

    func read(_ files: [String: String]) throws -> (Estate?, ConnectorError?) {
        var all = files
        all["account.json"] = AzureFixture.account
        all["sps.json"] = "[" + AzureFixture.sp("deployer", id: "ffffffff-0000-0000-0000-000000000001", appId: Self.appId) + "]"
        return try AzureFixture.withFiles(all) { dir in
            do {
                return (try AzureFixture.read([dir.path]).estates.first, nil)
            } catch let error as ConnectorError {
                return (nil, error)
            }
        }
    }

    @Test(arguments: [
        "credentials/\(appId).json", "credentials/\(appId)/password.json", "credentials/deployer.secrets.json", "creds-\(appId.uppercased()).json",
    ])
    func theAppComesFromTheFileName(_ name: String) throws {
        // Given a bare az ad app credential list output, named after the app
        let (estate, error) = try read([name: Self.secret])
        // Then the secret belongs to the app's service principal
        #expect(error == nil, "\(String(describing: error))")
        #expect(estate?.credentials.first?.identityId == "azure:servicePrincipal:ffffffff-0000-0000-0000-000000000001")
    }

    @Test func aFileThatNamesNoKnownAppIsAClearError() throws {
        let (_, error) = try read(["credentials/secrets.json": Self.secret])
        let found = try #require(error)
        #expect(found.code == .inconsistent)
        #expect(found.file.hasSuffix("credentials/secrets.json"))
        #expect(found.message.contains("cannot tell which app this credential list belongs to"))
        #expect(found.message.contains("<appId>.json"))
    }

    @Test func aCertificateListIsRecognisedByItsFields() throws {
        let cert = #"[{"customKeyIdentifier": "AAEC", "displayName": "CN=x", "endDateTime": "2027-01-01T00:00:00Z", "key": null, "keyId": "12345678-0000-0000-0000-000000000002", "startDateTime": "2026-01-01T00:00:00Z", "type": "AsymmetricX509Cert", "usage": "Verify"}]"#
        let (estate, _) = try read(["\(Self.appId).cert.json": cert])
        #expect(estate?.credentials.first?.kind == .certificate)
    }
}

struct AzureRecognitionTests {
    func kind(_ text: String) -> AzureFileKind? { AzureFileKind.recognise(Data(text.utf8)) }

    @Test func eachCLIOutputIsRecognisedByContent() {
        #expect(kind("[" + AzureFixture.sp("a", id: "1", appId: "2") + "]") == .servicePrincipals)
        #expect(kind(AzureFixture.sp("a", id: "1", appId: "2")) == .servicePrincipal)
        #expect(kind(#"[{"id": "1", "appId": "2", "signInAudience": "AzureADMyOrg", "identifierUris": []}]"#) == .applications)
        #expect(kind(#"[{"keyId": "k", "endDateTime": "2026-01-01T00:00:00Z", "hint": "abc"}]"#) == .passwordCredentials)
        #expect(kind(#"[{"keyId": "k", "endDateTime": "2026-01-01T00:00:00Z", "type": "AsymmetricX509Cert", "usage": "Verify"}]"#) == .certificateCredentials)
        #expect(kind(#"[{"name": "n", "issuer": "i", "subject": "s", "audiences": []}]"#) == .federatedCredentials)
        #expect(kind(#"[{"principalId": "p", "roleDefinitionId": "r", "scope": "/"}]"#) == .roleAssignments)
        #expect(kind(#"[{"roleName": "Owner", "permissions": [], "name": "g"}]"#) == .roleDefinitions)
        #expect(kind(AzureFixture.account) == .accounts)
        #expect(kind(#"[{"principalId": "p", "clientId": "c", "tenantId": "t", "id": "/subscriptions/x"}]"#) == .userAssignedIdentities)
        // Leading whitespace and a large first member do not hide what a file is
        #expect(kind("\n\n   [ {\"notes\": \"" + String(repeating: "x", count: 100_000) + "\", \"appId\": \"a\", \"servicePrincipalType\": \"Application\"}]") == .servicePrincipals)
    }

    @Test func otherProvidersAndLookAlikesAreNotTakenForAzureExports() {
        // AWS, GCP, Kubernetes and Graph-wrapped files are someone else's
        #expect(kind(#"{"UserDetailList": [], "RoleDetailList": []}"#) == nil)
        #expect(kind(#"[{"email": "sa@p.iam.gserviceaccount.com", "uniqueId": "1", "name": "projects/p/serviceAccounts/sa"}]"#) == nil)
        #expect(kind(#"{"apiVersion": "v1", "kind": "List", "items": []}"#) == nil)
        #expect(kind(#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals", "value": []}"#) == .graphResponse)
        #expect(kind(#"[{"userPrincipalName": "a@b", "id": "1"}]"#) == .users)
        #expect(kind("[]") == .emptyList)
        #expect(kind("not json") == nil)
        #expect(kind("[1, 2]") == nil)
    }

    @Test func aDirectorySkipsWhatIsNotAnAzureExportAndSaysWhy() throws {
        try AzureFixture.withFiles([
            "account.json": AzureFixture.account,
            "users.json": #"[{"userPrincipalName": "a@b", "id": "1"}]"#,
            "aws.json": #"{"UserDetailList": []}"#,
            "empty.json": "[]",
            "notes.txt": "hello",
        ]) { dir in
            let found = try AzureConnector().discover([dir.path])
            #expect(found.files.map(\.kind) == [.accounts])
            let reasons = Dictionary(uniqueKeysWithValues: found.skips.map { (($0.path as NSString).lastPathComponent, $0.reason) })
            #expect(reasons["users.json"]?.contains("az ad user list") == true)
            #expect(reasons["aws.json"] == "not an Azure CLI export Roster reads")
            #expect(reasons["empty.json"]?.contains("empty list") == true)
            #expect(reasons["notes.txt"] == nil)
        }
    }

    @Test func aNamedFileOfAnotherKindIsTheWrongKind() throws {
        try AzureFixture.withFiles(["users.json": #"[{"userPrincipalName": "a@b", "id": "1"}]"#, "x.json": #"{"a": 1}"#]) { dir in
            do {
                _ = try AzureConnector().discover([dir.appendingPathComponent("users.json").path])
                Issue.record("expected an error")
            } catch let error as ConnectorError {
                #expect(error.code == .wrongKind)
                #expect(error.message.contains("az ad user list"))
            }
            do {
                _ = try AzureConnector().discover([dir.appendingPathComponent("x.json").path])
                Issue.record("expected an error")
            } catch let error as ConnectorError {
                #expect(error.code == .unrecognised)
                #expect(error.message.contains("az ad sp list"))
            }
        }
    }
}

struct AzureBadInputTests {
    func error(_ files: [String: String]) throws -> ConnectorError {
        var all = files
        all["account.json"] = all["account.json"] ?? AzureFixture.account
        return try AzureFixture.withFiles(all) { dir in try #require(AzureFixture.error([dir.path])) }
    }

    @Test func truncatedFileGivesLineAndColumn() throws {
        let text = "[" + AzureFixture.sp("a", id: "1", appId: "2") + ",\n  {\"id\": \"3\", \"appId\": \"4\", \"servicePrincipalType\": \"Appl"
        let found = try error(["sps.json": text])
        #expect(found.code == .malformed)
        #expect(found.location?.hasPrefix("line 2, column") == true)
        #expect(found.file.hasSuffix("sps.json"))
    }

    @Test func wrongTypeGivesTheJSONPath() throws {
        let found = try error(["sps.json": #"[{"id": "1", "appId": 42, "servicePrincipalType": "Application"}]"#])
        #expect(found.code == .wrongShape)
        #expect(found.location == "$[0].appId")
        #expect(found.message.contains("expected a string"))
    }

    @Test func missingKeyIdGivesTheCredentialsPath() throws {
        let found = try error(["sps.json": #"[{"id": "1", "appId": "2", "servicePrincipalType": "Application", "passwordCredentials": [{"endDateTime": "2026-01-01T00:00:00Z"}]}]"#])
        #expect(found.location == "$[0].passwordCredentials[0]")
        #expect(found.message.contains("\"keyId\""))
    }

    @Test func badDateNamesTheField() throws {
        let found = try error(["ra.json": #"[{"principalId": "p", "roleDefinitionId": "r", "scope": "/", "createdOn": "last tuesday"}]"#])
        #expect(found.location == "$[0].createdOn")
        #expect(found.message.contains("ISO 8601"))
    }

    @Test func duplicateKeysAreRefused() throws {
        let found = try error(["ra.json": #"[{"principalId": "p", "roleDefinitionId": "r", "scope": "/", "scope": "/subscriptions/x"}]"#])
        #expect(found.code == .duplicateKey)
        #expect(found.location?.contains("$[0].scope") == true)
    }

    @Test func hugeFieldsAreRefusedBeforeTheyAreKept() throws {
        let found = try error(["sps.json": #"[{"id": "1", "appId": "2", "servicePrincipalType": "Application", "displayName": ""# + String(repeating: "A", count: 70_000) + "\"}]"])
        #expect(found.code == .tooLarge)
        #expect(found.location?.contains("$[0].displayName") == true)
    }

    @Test func byteOrderMarksAndUTF16AreRead() throws {
        // Given az output saved by PowerShell (UTF-16 LE with a BOM) and with a UTF-8 BOM
        try withTemporaryDirectory { dir in
            var utf16 = Data([0xFF, 0xFE])
            utf16.append(AzureFixture.account.data(using: .utf16LittleEndian)!)
            try utf16.write(to: dir.appendingPathComponent("account.json"))
            try (Data([0xEF, 0xBB, 0xBF]) + Data(("[" + AzureFixture.sp("bom", id: "1", appId: "2") + "]").utf8)).write(to: dir.appendingPathComponent("sps.json"))
            let estate = try #require(try AzureFixture.read([dir.path]).estates.first)
            #expect(estate.scope == "azure:\(AzureFixture.tenant)")
            #expect(estate.identities.map(\.name) == ["bom"])
        }
    }

    @Test func hostileStringsAreKeptAsData() throws {
        let name = #"evil\"name\n\u0000 <script>; DROP TABLE identity; -- ‮"#
        try AzureFixture.withFiles(["account.json": AzureFixture.account, "sps.json": "[" + AzureFixture.sp(name, id: "1", appId: "2") + "]"]) { dir in
            let estate = try #require(try AzureFixture.read([dir.path]).estates.first)
            #expect(estate.identities.first?.name == "evil\"name\n\u{0} <script>; DROP TABLE identity; -- \u{202E}")
        }
    }
}
