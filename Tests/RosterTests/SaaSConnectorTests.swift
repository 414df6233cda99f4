import Foundation
import RosterAnalysis
@testable import RosterConnectors
import RosterModel
import Testing

enum SaaSFixture {
    static let example = Fixture.packageRoot.appendingPathComponent("examples/estate/saas").path
    static let tenant = AzureFixture.tenant
    static let observedAt = utc("2026-01-14T09:00:00Z")
    static let google = "saas:google-workspace:acme.example"
    static let entra = "saas:entra:\(tenant)"

    static func read(_ paths: [String], asOf: Date? = nil) throws -> ConnectorResult {
        let connector = SaaSConnector(asOf: asOf)
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

    static let organization = #"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#organization", "value": [{"id": "\#(tenant)", "displayName": "Acme"}]}"#

    static func tokens(_ items: String) -> String { #"{"kind": "admin#directory#tokenList", "etag": "e", "items": [\#(items)]}"# }

    static func token(_ clientId: String, _ name: String, scopes: [String], userKey: String = "1234567890") -> String {
        #"{"kind": "admin#directory#token", "clientId": "\#(clientId)", "displayText": "\#(name)", "scopes": [\#(scopes.map { "\"\($0)\"" }.joined(separator: ", "))], "userKey": "\#(userKey)", "anonymous": false, "nativeApp": false}"#
    }
}

struct SaaSConnectorTests {
    let estates: [String: Estate]
    let warnings: [String]

    init() throws {
        let result = try SaaSFixture.read([SaaSFixture.example])
        estates = Dictionary(uniqueKeysWithValues: result.estates.map { ($0.scope, $0) })
        warnings = result.warnings
    }

    func google() throws -> Estate { try #require(estates[SaaSFixture.google]) }
    func entra() throws -> Estate { try #require(estates[SaaSFixture.entra]) }

    @Test func theExampleIsOneEstatePerDomainAndTenant() throws {
        // Given examples/estate/saas (Google Workspace acme.example, Entra tenant)
        // Then there is one estate for each, observed at the newest timestamp the data holds
        #expect(Set(estates.keys) == [SaaSFixture.google, SaaSFixture.entra])
        #expect(try google().observedAt == SaaSFixture.observedAt)
        #expect(try entra().observedAt == SaaSFixture.observedAt)
    }

    @Test func eachGoogleOAuthClientIsAnIdentity() throws {
        let estate = try google()
        let pdf = try #require(estate.identities.first { $0.name == "PDF Merge Pro" })
        #expect(pdf.id == "\(SaaSFixture.google):app:3044556677-pdfm1n2b3v4c5x6z.apps.googleusercontent.com")
        #expect(pdf.kind == .saasOAuthApp)
        #expect(pdf.provider == .saas)
        #expect(pdf.nature == .machine)
        #expect(pdf.account == "google-workspace:acme.example")
        // And the Reports API's token activity says when it was last used and first authorized
        #expect(pdf.usageTracked)
        #expect(pdf.lastUsedAt == utc("2025-09-16T09:00:00Z"))
        #expect(pdf.createdAt == utc("2025-07-23T09:00:00Z"))
        #expect(Set(estate.identities.map(\.name)) == ["Slack", "Lucidchart", "PDF Merge Pro", "Mailmeteor", "Zoom"])
    }

    @Test func consentsAreGrantsOfTheScopesAndEdgesFromTheUser() throws {
        let estate = try google()
        let pdf = try #require(estate.identities.first { $0.name == "PDF Merge Pro" })
        // Then alice's and bob's consents are grants of one scope policy, each on behalf of one user
        let grants = estate.grants.filter { $0.subjectId == pdf.id }
        #expect(grants.count == 2)
        #expect(Set(grants.map(\.policyId)).count == 1)
        #expect(Set(grants.compactMap(\.scope)) == [
            GrantScope(.saasUser, "\(SaaSFixture.google):user:alice@acme.example"), GrantScope(.saasUser, "\(SaaSFixture.google):user:bob@acme.example"),
        ])
        let policy = try #require(estate.policies.first { $0.id == grants[0].policyId })
        #expect(policy.body.type == "saas.oauth-scopes")
        // And each consent is an edge from the user, saying who granted it, since when and when it was last used
        let edge = try #require(estate.edges.first { $0.to == pdf.id && $0.from.hasSuffix("alice@acme.example") })
        #expect(edge.kind == .consentedTo)
        #expect(edge.rule == "saas.import")
        #expect(edge.conditions.contains("scope=https://www.googleapis.com/auth/drive"))
        #expect(edge.conditions.contains("granted=2025-07-23"))
        #expect(edge.conditions.contains("lastUsed=2025-09-15"))
        #expect(edge.reason.contains("alice@acme.example consented to PDF Merge Pro (alice@acme.example.json)"))
    }

    @Test func usersAreResourcesWithTheirState() throws {
        let estate = try google()
        let carol = try #require(estate.resources.first { $0.name == "carol@acme.example" })
        #expect(carol.attributes["state"] == "suspended")
        #expect(estate.resources.first { $0.name == "alice@acme.example" }?.attributes["state"] == "active")
    }

    @Test func entraConsentsResolveAppsByTheirServicePrincipal() throws {
        let estate = try entra()
        let archiver = try #require(estate.identities.first { $0.name == "Contoso Mail Archiver" })
        #expect(archiver.id.hasPrefix("\(SaaSFixture.entra):app:"))
        #expect(archiver.tags["party"] == "third-party")
        #expect(archiver.tags["publisher"] == "Contoso Ltd")
        // Admin consent is a grant for the whole tenant, not an edge from a user
        let grant = try #require(estate.grants.first { $0.subjectId == archiver.id })
        #expect(grant.scope == GrantScope(.saasTenant, SaaSFixture.entra))
        // And sign-in activity gives the last use
        #expect(archiver.lastUsedAt == utc("2026-01-12T09:00:00Z"))
        // And an application permission names the app role's value
        let hr = try #require(estate.identities.first { $0.name == "acme-hr-sync" })
        #expect(hr.tags["party"] == "first-party")
        #expect(hr.owner == "people-systems@acme.example")
        let permission = try #require(estate.grants.first { $0.subjectId == hr.id })
        #expect(permission.via == .applicationPermission)
        let policy = try #require(estate.policies.first { $0.id == permission.policyId })
        #expect(SaaSScopes.scopeList(policy).contains("User.ReadWrite.All"))
        // And each non-Microsoft app claims to be its Entra app, for the cross-system link to the Azure estate
        let claim = try #require(estate.edges.first { $0.from == archiver.id && $0.kind == .actsAs })
        #expect(claim.to == "azure:appId:\(archiver.nativeId ?? "")")
        #expect(claim.rule == "saas.import")
        // And Microsoft's own apps are marked as Microsoft's
        #expect(estate.identities.first { $0.name == "Microsoft Graph Command Line Tools" }?.managedBy == "microsoft")
        // And a disabled user is a departed one
        #expect(estate.resources.first { $0.name == "henry@acme.example" }?.attributes["state"] == "disabled")
    }

    @Test func whoseTokensComesFromTheUserListOrTheFileName() throws {
        try AzureFixture.withFiles([
            // userKey is an id: the file name says whose tokens they are
            "tokens/erin@acme.example.json": SaaSFixture.tokens(SaaSFixture.token("1-a.apps.googleusercontent.com", "A", scopes: ["openid"])),
            // here the users.list export maps the id
            "tokens/t2.json": SaaSFixture.tokens(SaaSFixture.token("2-b.apps.googleusercontent.com", "B", scopes: ["openid"], userKey: "42")),
            "users.json": #"{"kind": "admin#directory#users", "users": [{"id": "42", "primaryEmail": "frank@acme.example", "suspended": false}]}"#,
        ]) { dir in
            let estate = try #require(try SaaSFixture.read([dir.path], asOf: SaaSFixture.observedAt).estates.first)
            #expect(estate.scope == SaaSFixture.google)
            #expect(Set(estate.edges.map(\.from)) == ["\(SaaSFixture.google):user:erin@acme.example", "\(SaaSFixture.google):user:frank@acme.example"])
        }
        // And when neither says, the error names the item and what to add
        try AzureFixture.withFiles(["t.json": SaaSFixture.tokens(SaaSFixture.token("1-a", "A", scopes: ["openid"]))]) { dir in
            let error = try #require(SaaSFixture.error([dir.path]))
            #expect(error.code == .inconsistent)
            #expect(error.location == "$.items[0].userKey")
            #expect(error.message.contains("alice@example.com.json"))
        }
    }

    @Test func aConsentSeenOnlyInTheReportsIsKeptUnlessRevoked() throws {
        func activity(_ name: String, _ time: String, scope: Bool = false) -> String {
            #"{"kind": "admin#reports#activity", "id": {"time": "\#(time)", "applicationName": "token"}, "actor": {"email": "gina@acme.example"}, "events": [{"type": "auth", "name": "\#(name)", "parameters": [{"name": "client_id", "value": "9-z.apps.googleusercontent.com"}, {"name": "app_name", "value": "Z"}\#(scope ? #", {"name": "scope", "multiValue": ["https://mail.google.com/"]}"# : "")]}]}"#
        }
        let authorized = #"{"kind": "admin#reports#activities", "items": [\#(activity("authorize", "2025-12-01T00:00:00Z", scope: true))]}"#
        try AzureFixture.withFiles(["a.json": authorized]) { dir in
            let estate = try #require(try SaaSFixture.read([dir.path]).estates.first)
            let policy = try #require(estate.policies.first)
            #expect(SaaSScopes.scopeList(policy) == ["https://mail.google.com/"])
        }
        let revoked = #"{"kind": "admin#reports#activities", "items": [\#(activity("revoke", "2025-12-02T00:00:00Z")), \#(activity("authorize", "2025-12-01T00:00:00Z", scope: true))]}"#
        try AzureFixture.withFiles(["a.json": revoked]) { dir in
            let estate = try #require(try SaaSFixture.read([dir.path]).estates.first)
            #expect(estate.identities.isEmpty)
        }
    }

    @Test func entraNeedsTheOrganizationToKnowItsTenant() throws {
        let grants = #"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#oauth2PermissionGrants", "value": [{"clientId": "c", "consentType": "AllPrincipals", "principalId": null, "resourceId": "r", "scope": "User.Read"}]}"#
        try AzureFixture.withFiles(["grants.json": grants]) { dir in
            let error = try #require(SaaSFixture.error([dir.path]))
            #expect(error.message.contains("/organization"))
        }
        // And with it, an unresolved client is named by its object id, with a warning
        try AzureFixture.withFiles(["grants.json": grants, "org.json": SaaSFixture.organization]) { dir in
            let result = try SaaSFixture.read([dir.path], asOf: SaaSFixture.observedAt)
            #expect(result.estates.first?.identities.first?.id == "\(SaaSFixture.entra):servicePrincipal:c")
            #expect(result.warnings.contains { $0.contains("not in the imported servicePrincipals") })
        }
    }

    @Test func filesWithoutConsentsImportNothingAndSaySo() throws {
        try AzureFixture.withFiles(["org.json": SaaSFixture.organization]) { dir in
            let result = try SaaSFixture.read([dir.path], asOf: SaaSFixture.observedAt)
            #expect(result.estates.isEmpty)
            #expect(result.warnings.contains { $0.contains("no consents") })
        }
    }
}

struct SaaSRecognitionTests {
    func kind(_ text: String) -> SaaSFileKind? { SaaSFileKind.recognise(Data(text.utf8)) }

    @Test func eachResponseIsRecognisedByKindContextOrFields() {
        #expect(kind(SaaSFixture.tokens("")) == .googleTokens)
        #expect(kind(#"{"kind": "admin#directory#users", "users": []}"#) == .googleUsers)
        #expect(kind(#"{"etag": "x", "kind": "admin#reports#activities", "items": []}"#) == .googleActivities)
        #expect(kind(#"{"kind": "admin#directory#groups", "groups": []}"#) == .googleOther)
        #expect(kind(SaaSFixture.organization) == .entraOrganization)
        for (context, expected) in [
            ("oauth2PermissionGrants", SaaSFileKind.entraGrants), ("servicePrincipals", .entraServicePrincipals),
            ("reports/servicePrincipalSignInActivities", .entraSignIns), ("servicePrincipals('x')/appRoleAssignedTo", .entraAppRoleAssignments),
            ("users(id,accountEnabled)", .entraUsers), ("directory/deletedItems/microsoft.graph.user", .entraDeletedUsers), ("groups", .graphOther),
        ] {
            #expect(kind(#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#\#(context)", "value": []}"#) == expected, "\(context)")
        }
        // A paged export that lost its context is known by its first item
        #expect(kind(#"{"value": [{"clientId": "c", "consentType": "Principal", "resourceId": "r", "scope": "x"}]}"#) == .entraGrants)
        #expect(kind(#"{"value": [{"appId": "a", "lastSignInActivity": {}}]}"#) == .entraSignIns)
    }

    @Test func otherProvidersFilesAreNotSaaSExports() {
        #expect(kind(#"{"UserDetailList": []}"#) == nil)
        #expect(kind(#"[{"appId": "a", "servicePrincipalType": "Application"}]"#) == nil)
        #expect(kind(#"{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {}}"#) == nil)
        #expect(kind(#"{"value": [{"name": "x"}]}"#) == nil)
    }

    @Test func theRegistryOffersEachFileToTheRightConnector() throws {
        // Given the Azure and SaaS examples side by side, imported as `roster import <dir>` does
        let found = try Connectors.recogniseAll([AzureFixture.example, SaaSFixture.example])
        let byProvider = Dictionary(uniqueKeysWithValues: found.map { ($0.provider, $0.paths.count) })
        // Then each provider takes its own files, and every file is some provider's
        #expect(byProvider[.azure] == 10)
        #expect(byProvider[.saas] == 12)
        let accepted = Set(found.flatMap(\.paths))
        #expect(found.flatMap(\.skips).filter { !accepted.contains($0.path) }.isEmpty)
    }
}

struct SaaSBadInputTests {
    func error(_ name: String, _ text: String) throws -> ConnectorError {
        try AzureFixture.withFiles([name: text, "org.json": SaaSFixture.organization]) { dir in try #require(SaaSFixture.error([dir.path])) }
    }

    @Test func truncatedGivesLineAndColumn() throws {
        let found = try error("alice@acme.example.json", #"{"kind": "admin#directory#tokenList", "items": [{"clientId": "1", "scopes": ["openid""#)
        #expect(found.code == .malformed)
        #expect(found.location?.hasPrefix("line 1") == true)
    }

    @Test func wrongTypeGivesThePath() throws {
        let found = try error("g.json", #"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#oauth2PermissionGrants", "value": [{"clientId": "c", "consentType": "Principal", "resourceId": "r", "scope": ["Mail.Read"]}]}"#)
        #expect(found.code == .wrongShape)
        #expect(found.location == "$.value[0].scope")
    }

    @Test func badTimestampNamesTheField() throws {
        let found = try error("a.json", #"{"kind": "admin#reports#activities", "items": [{"id": {"time": "yesterday", "applicationName": "token"}}]}"#)
        #expect(found.location == "$.items[0].id.time")
    }

    @Test func duplicateKeysAndHugeFieldsAreRefused() throws {
        #expect(try error("alice@acme.example.json", #"{"kind": "admin#directory#tokenList", "items": [{"clientId": "1", "clientId": "2"}]}"#).code == .duplicateKey)
        #expect(try error("alice@acme.example.json", #"{"kind": "admin#directory#tokenList", "items": [{"clientId": ""# + String(repeating: "x", count: 70_000) + "\"}]}").code == .tooLarge)
    }
}

struct SaaSInputHardeningTests {
    @Test func utf16AndBOMAreRead() throws {
        try withTemporaryDirectory { dir in
            var utf16 = Data([0xFF, 0xFE])
            utf16.append(SaaSFixture.tokens(SaaSFixture.token("1-a.apps.googleusercontent.com", "A", scopes: ["openid"])).data(using: .utf16LittleEndian)!)
            try utf16.write(to: dir.appendingPathComponent("ann@acme.example.json"))
            try (Data([0xEF, 0xBB, 0xBF]) + Data(SaaSFixture.tokens(SaaSFixture.token("2-b", "B", scopes: ["openid"])).utf8))
                .write(to: dir.appendingPathComponent("ben@acme.example.json"))
            let estate = try #require(try SaaSFixture.read([dir.path], asOf: SaaSFixture.observedAt).estates.first)
            #expect(Set(estate.identities.map(\.name)) == ["A", "B"])
        }
    }

    @Test func hostileStringsAreKeptAsData() throws {
        let name = #"<img src=x onerror=alert(1)>\n\"; DROP TABLE identity; --\u202e"#
        try AzureFixture.withFiles(["eve@acme.example.json": SaaSFixture.tokens(SaaSFixture.token("1-a", name, scopes: ["openid"]))]) { dir in
            let estate = try #require(try SaaSFixture.read([dir.path], asOf: SaaSFixture.observedAt).estates.first)
            #expect(estate.identities.first?.name == "<img src=x onerror=alert(1)>\n\"; DROP TABLE identity; --\u{202E}")
        }
    }

    @Test func aNamedResponseOfAnotherKindIsTheWrongKind() throws {
        try AzureFixture.withFiles(["groups.json": #"{"kind": "admin#directory#groups", "groups": []}"#, "x.json": #"{"value": 3}"#]) { dir in
            for (file, code) in [("groups.json", ConnectorError.Code.wrongKind), ("x.json", .unrecognised)] {
                do {
                    _ = try SaaSConnector().discover([dir.appendingPathComponent(file).path])
                    Issue.record("expected an error for \(file)")
                } catch let error as ConnectorError {
                    #expect(error.code == code)
                    #expect(error.file.hasSuffix(file))
                }
            }
        }
    }

    @Test func googleNeverLoggedInDatesDoNotSetTheObservationTime() throws {
        // Given users.list with lastLoginTime 1970-01-01 (never) and a token list
        try AzureFixture.withFiles([
            "users.json": #"{"kind": "admin#directory#users", "users": [{"id": "1", "primaryEmail": "ann@acme.example", "lastLoginTime": "1970-01-01T00:00:00.000Z", "creationTime": "2025-03-01T00:00:00.000Z"}]}"#,
            "t.json": SaaSFixture.tokens(SaaSFixture.token("1-a", "A", scopes: ["openid"], userKey: "1")),
        ]) { dir in
            // Then the observation time is the newest real date
            let estate = try #require(try SaaSFixture.read([dir.path]).estates.first)
            #expect(estate.observedAt == utc("2025-03-01T00:00:00Z"))
        }
    }
}
