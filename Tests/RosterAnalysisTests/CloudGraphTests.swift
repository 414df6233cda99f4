import Foundation
import RosterAnalysis
import RosterConnectors
import RosterModel
import Testing

// MARK: Hand-built estates

/// A tiny GCP project estate, shaped as the GCP connector maps one: service accounts, role
/// policies `gcp:<role>` and one grant per binding member.
private struct GCPProject {
    static let project = "p-main-1001"
    var estate = Estate(observedAt: testNow, scope: "gcp:\(GCPProject.project)")

    static func id(_ name: String, project: String = GCPProject.project) -> String { "gcp:serviceAccount:\(name)@\(project).iam.gserviceaccount.com" }

    @discardableResult
    mutating func account(_ name: String, managedBy: String? = nil) -> String {
        let id = Self.id(name)
        estate.identities.append(Identity(
            id: id, provider: .gcp, kind: .gcpServiceAccount, name: "\(name)@\(Self.project).iam.gserviceaccount.com", account: Self.project,
            nature: .machine, managedBy: managedBy))
        return id
    }

    /// Binds `role` to `members` on the project (`on: nil`) or on a service account; `permissions` defines a custom role.
    mutating func bind(_ role: String, _ members: [String], on account: String? = nil, condition: String? = nil, permissions: [String]? = nil, defined: Bool = true) {
        let policyId = "gcp:" + role
        if defined, !estate.policies.contains(where: { $0.id == policyId }) {
            estate.policies.append(Policy(
                id: policyId, name: role, provider: .gcp, kind: role.hasPrefix("roles/") ? .providerManaged : .customerManaged,
                body: .gcpRole(permissions: permissions ?? [])))
        }
        let scope = account.map { GrantScope(.resource, $0) } ?? GrantScope(.project, Self.project)
        for member in members {
            estate.grants.append(Grant(subjectId: member, policyId: policyId, via: .binding, scope: scope, condition: condition))
        }
    }

    var fragment: GraphFragment { GCPGraph.fragment(for: estate) }
    var iam: GCPPermissionEvaluator { GCPPermissionEvaluator(estate: estate) }
}

/// A tiny Entra ID tenant estate, shaped as the Azure connector maps one.
private struct AzureTenant {
    static let tenant = "5d2c9a4e-1b3f-4c6d-8e7f-9a0b1c2d3e4f"
    static let sub = "0b8f3c2a-6d4e-4f1a-9c7b-2e5d8a1f4c60"
    static let other = "9e1d4b7c-3a2f-4e8d-b6c5-1f0a2d3e4b71"
    static let owner = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
    static let contributor = "b24988ac-6180-42a0-ab88-20f7382dd24c"
    static let reader = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
    static let userAccessAdministrator = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
    static let blobDataReader = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
    var estate = Estate(observedAt: testNow, scope: "azure:\(AzureTenant.tenant)")

    @discardableResult
    mutating func principal(_ name: String) -> String {
        let id = "azure:servicePrincipal:\(name)"
        estate.identities.append(Identity(id: id, provider: .azure, kind: .azureServicePrincipal, name: name, account: Self.tenant, nature: .machine))
        return id
    }

    /// A built-in role as the connector maps it (Microsoft's definitions, from learn.microsoft.com "Azure built-in roles").
    mutating func assign(builtIn guid: String, to principal: String, at scope: String, condition: String? = nil) {
        let (name, permissions): (String, AzureRolePermissions)
        switch guid {
        case Self.owner: (name, permissions) = ("Owner", AzureRolePermissions(actions: ["*"]))
        case Self.contributor:
            (name, permissions) = ("Contributor", AzureRolePermissions(
                actions: ["*"], notActions: ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action"]))
        case Self.reader: (name, permissions) = ("Reader", AzureRolePermissions(actions: ["*/read"]))
        case Self.userAccessAdministrator:
            (name, permissions) = ("User Access Administrator", AzureRolePermissions(actions: ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"]))
        case Self.blobDataReader:
            (name, permissions) = ("Storage Blob Data Reader", AzureRolePermissions(
                actions: ["Microsoft.Storage/storageAccounts/blobServices/containers/read"],
                dataActions: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"]))
        default: fatalError("unknown built-in role \(guid)")
        }
        add(Policy(id: "azure:roleDefinition:\(guid)", name: name, provider: .azure, kind: .providerManaged, body: .azureRole(permissions)))
        grant("azure:roleDefinition:\(guid)", to: principal, at: scope, condition: condition)
    }

    mutating func assign(custom name: String, _ permissions: AzureRolePermissions, to principal: String, at scope: String, condition: String? = nil) {
        add(Policy(id: "azure:roleDefinition:\(name)", name: name, provider: .azure, kind: .customerManaged, body: .azureRole(permissions)))
        grant("azure:roleDefinition:\(name)", to: principal, at: scope, condition: condition)
    }

    /// A role whose definition the export does not hold (the connector keeps a reference).
    mutating func assign(unknown name: String, to principal: String, at scope: String) {
        add(Policy(id: "azure:roleDefinition:\(name)", name: name, provider: .azure, kind: .customerManaged,
                   body: .other(type: "azure.role-reference", content: .object(["roleDefinitionName": .string(name)]))))
        grant("azure:roleDefinition:\(name)", to: principal, at: scope)
    }

    mutating func add(_ policy: Policy) {
        if !estate.policies.contains(where: { $0.id == policy.id }) { estate.policies.append(policy) }
    }

    mutating func grant(_ policyId: String, to principal: String, at scope: String, condition: String? = nil) {
        estate.grants.append(Grant(subjectId: principal, policyId: policyId, via: .binding, scope: GrantScope(.subscription, scope), condition: condition))
    }

    var fragment: GraphFragment { AzureGraph.fragment(for: estate) }
    var rbac: AzurePermissionEvaluator { AzurePermissionEvaluator(estate: estate) }
}

private extension GraphFragment {
    /// The rules of the edges a principal has, directly or through a binding node it holds.
    func rules(of principal: String) -> Set<String> {
        Set(taking(principal).map(\.rule))
    }

    /// The can-take-over edges a principal has, directly or through a node it holds, as if from it.
    func taking(_ principal: String) -> [Edge] {
        let hubs = Set(edges.filter { $0.from == principal && $0.kind == .holds }.map(\.to))
        return edges.filter { ($0.from == principal || hubs.contains($0.from)) && $0.kind == .canTakeOver }
    }

    func targets(of principal: String, rule: String) -> Set<String> {
        Set(taking(principal).filter { $0.rule == rule }.map(\.to))
    }
}

private let tokenCreator = "roles/iam.serviceAccountTokenCreator"

// MARK: GCP evaluator

struct GCPEvaluatorTests {
    @Test func projectBindingAppliesToEveryAccountOfTheProjectAndAccountBindingOnlyToItsAccount() {
        // Given tokenCreator on the project for `ci`, and on one account only for `ops`
        // (https://cloud.google.com/iam/docs/resource-hierarchy-access-control: a project's policy is inherited by its resources)
        var p = GCPProject()
        let ci = p.account("ci"), ops = p.account("ops"), a = p.account("a"), b = p.account("b")
        p.bind(tokenCreator, [ci])
        p.bind(tokenCreator, [ops], on: a)
        let iam = p.iam
        // Then ci may create tokens for every account of the project, ops for `a` only
        for target in [a, b, ops] { #expect(iam.decide(principal: ci, permission: "iam.serviceAccounts.getAccessToken", resource: target).isAllowed) }
        #expect(iam.decide(principal: ops, permission: "iam.serviceAccounts.getAccessToken", resource: a).isAllowed)
        #expect(iam.decide(principal: ops, permission: "iam.serviceAccounts.getAccessToken", resource: b).outcome == .denied)
        // and not for an account of another project, nor on the project for a binding on an account
        let foreign = GCPProject.id("x", project: "p-other-2002")
        #expect(iam.decide(principal: ci, permission: "iam.serviceAccounts.getAccessToken", resource: foreign).outcome == .denied)
        #expect(iam.decide(principal: ops, permission: "iam.serviceAccounts.getAccessToken", resource: "gcp:project:\(GCPProject.project)").outcome == .denied)
        // and the deciding statement names the role and the binding
        let decision = iam.decide(principal: ops, permission: "iam.serviceAccounts.getAccessToken", resource: a)
        #expect(decision.statements == [StatementRef(policyId: "gcp:\(tokenCreator)", index: 0, sid: "serviceAccounts/a@p-main-1001.iam.gserviceaccount.com \(tokenCreator)")])
    }

    @Test func resourceNamesInIAMFormsAreUnderstood() {
        var p = GCPProject()
        let ci = p.account("ci"), a = p.account("a")
        p.bind(tokenCreator, [ci])
        let iam = p.iam
        for resource in [a, "projects/p-main-1001/serviceAccounts/a@p-main-1001.iam.gserviceaccount.com",
                         "projects/-/serviceAccounts/a@p-main-1001.iam.gserviceaccount.com",
                         "//iam.googleapis.com/projects/p-main-1001/serviceAccounts/a@p-main-1001.iam.gserviceaccount.com"] {
            #expect(iam.decide(principal: ci, permission: "iam.serviceAccounts.getAccessToken", resource: resource).isAllowed, "\(resource)")
        }
        #expect(iam.decide(principal: ci, permission: "iam.serviceAccounts.getAccessToken", resource: "projects/p-main-1001").isAllowed)
    }

    @Test func basicRolesAsGoogleDocumentsThem() {
        // Given the basic roles (https://cloud.google.com/iam/docs/understanding-roles#basic): Editor acts as and creates keys
        // for any account but cannot change IAM policies; Owner can; Viewer reads
        var p = GCPProject()
        let editor = p.account("editor"), owner = p.account("owner"), viewer = p.account("viewer"), target = p.account("target")
        p.bind("roles/editor", [editor])
        p.bind("roles/owner", [owner])
        p.bind("roles/viewer", [viewer])
        let iam = p.iam
        let project = "gcp:project:\(GCPProject.project)"
        #expect(iam.decide(principal: editor, permission: "iam.serviceAccounts.actAs", resource: target).isAllowed)
        #expect(iam.decide(principal: editor, permission: "iam.serviceAccountKeys.create", resource: target).isAllowed)
        #expect(iam.decide(principal: editor, permission: "resourcemanager.projects.setIamPolicy", resource: project).outcome == .denied)
        #expect(iam.decide(principal: owner, permission: "resourcemanager.projects.setIamPolicy", resource: project).isAllowed)
        #expect(iam.decide(principal: viewer, permission: "iam.serviceAccounts.actAs", resource: target).outcome == .denied)
        #expect(iam.decide(principal: viewer, permission: "resourcemanager.projects.getIamPolicy", resource: project).isAllowed)
        // and a permission Roster's table does not track is not guessed for a basic role
        #expect(iam.decide(principal: viewer, permission: "storage.objects.get", resource: project).outcome == .undecided)
    }

    @Test func customRolesByTheirDefinitionAndUnknownOnesUndecided() {
        var p = GCPProject()
        let signer = p.account("signer"), mystery = p.account("mystery"), target = p.account("target")
        p.bind("projects/p-main-1001/roles/signer", [signer], on: target, permissions: ["iam.serviceAccounts.signBlob"])
        p.bind("projects/p-main-1001/roles/mystery", [mystery], on: target, defined: false)
        let iam = p.iam
        #expect(iam.decide(principal: signer, permission: "iam.serviceAccounts.signBlob", resource: target).isAllowed)
        #expect(iam.decide(principal: signer, permission: "iam.serviceAccounts.getAccessToken", resource: target).outcome == .denied)
        let unknown = iam.decide(principal: mystery, permission: "iam.serviceAccounts.getAccessToken", resource: target)
        #expect(unknown.outcome == .undecided)
        #expect(unknown.reasons.joined().contains("gcloud iam roles describe"))
    }

    @Test func predefinedRolesOutsideTheTableAreJudgedByTheirService() {
        // Given a predefined role Roster has no table of and whose definition was not exported
        var p = GCPProject()
        let net = p.account("net")
        p.bind("roles/compute.networkAdmin", [net])
        let iam = p.iam
        let project = "gcp:project:\(GCPProject.project)"
        // Then a permission of its own service is undecided, another service's is not granted
        #expect(iam.decide(principal: net, permission: "compute.instances.create", resource: project).outcome == .undecided)
        #expect(iam.decide(principal: net, permission: "iam.serviceAccounts.actAs", resource: project).outcome == .denied)
    }

    @Test func conditionsAreDecidedOnlyWhenTheObservationTimeDecidesThem() {
        // Given bindings under IAM conditions (https://cloud.google.com/iam/docs/conditions-attribute-reference#date-time)
        var p = GCPProject()
        let expired = p.account("expired"), current = p.account("current"), later = p.account("later"), named = p.account("named"), target = p.account("target")
        p.bind(tokenCreator, [expired], on: target, condition: "request.time < timestamp(\"2024-01-01T00:00:00Z\")")
        p.bind(tokenCreator, [current], on: target, condition: "request.time < timestamp('2030-01-01T00:00:00Z') && true")
        p.bind(tokenCreator, [later], on: target, condition: "request.time > timestamp(\"2030-01-01T00:00:00Z\")")
        p.bind(tokenCreator, [named], on: target, condition: "resource.name.startsWith(\"projects/-/serviceAccounts/target\")")
        let iam = p.iam
        let permission = "iam.serviceAccounts.getAccessToken"
        // Then an expired one grants nothing, and says why
        let dead = iam.decide(principal: expired, permission: permission, resource: target)
        #expect(dead.outcome == .denied)
        #expect(dead.reasons.joined().contains("cannot hold"))
        // one that holds when the export was observed allows
        #expect(iam.decide(principal: current, permission: permission, resource: target).isAllowed)
        // and one on the request, or from a later date, is undecided and names the condition
        for principal in [later, named] {
            let decision = iam.decide(principal: principal, permission: permission, resource: target)
            #expect(decision.outcome == .undecided)
            #expect(decision.reasons.joined().contains("request.time > timestamp") || decision.reasons.joined().contains("resource.name.startsWith"))
        }
    }

    @Test func principalsAllowedListsWhoCanOutright() {
        var p = GCPProject()
        let a = p.account("a"), b = p.account("b"), c = p.account("c"), target = p.account("target")
        p.bind(tokenCreator, [a, b])
        p.bind(tokenCreator, [c], on: target, condition: "resource.name.endsWith(\"x\")")
        #expect(p.iam.principals(allowed: "iam.serviceAccounts.getAccessToken", resource: target) == [a, b].sorted())
    }
}

// MARK: GCP edge rules

struct GCPGraphTests {
    @Test func ruleIdsAreTheContract() {
        #expect(GCPGraph.rules.map(\.id) == [
            "gcp.project-owner", "gcp.iam.set-iam-policy", "gcp.iam.act-as", "gcp.iam.get-access-token", "gcp.iam.sign-jwt", "gcp.iam.keys-create",
        ])
        #expect(AzureGraph.rules.map(\.id) == ["azure.owner", "azure.user-access-admin", "azure.role-assignment-write", "azure.app-credential"])
        #expect((GCPGraph.rules.map(\.info) + AzureGraph.rules.map(\.info)).allSatisfy { !$0.references.isEmpty && !$0.summary.isEmpty })
    }

    @Test func eachServiceAccountTechniqueGivesAnEdgeToTheAccount() throws {
        // Given one principal per technique, each on the account `target`
        var p = GCPProject()
        let target = p.account("target")
        let token = p.account("token"), jwt = p.account("jwt"), blob = p.account("blob"), keys = p.account("keys"), policy = p.account("policy")
        p.bind(tokenCreator, [token], on: target)
        p.bind("projects/p-main-1001/roles/jwt", [jwt], on: target, permissions: ["iam.serviceAccounts.signJwt"])
        p.bind("projects/p-main-1001/roles/blob", [blob], on: target, permissions: ["iam.serviceAccounts.signBlob"])
        p.bind("roles/iam.serviceAccountKeyAdmin", [keys], on: target)
        p.bind("roles/iam.serviceAccountAdmin", [policy], on: target)
        let fragment = p.fragment
        // Then each has its rule's edge to target, naming the permission and the binding
        #expect(fragment.targets(of: token, rule: "gcp.iam.get-access-token") == [target])
        #expect(fragment.targets(of: jwt, rule: "gcp.iam.sign-jwt") == [target])
        #expect(fragment.targets(of: blob, rule: "gcp.iam.sign-jwt") == [target])
        #expect(fragment.targets(of: keys, rule: "gcp.iam.keys-create") == [target])
        #expect(fragment.targets(of: policy, rule: "gcp.iam.set-iam-policy") == [target])
        let edge = try #require(fragment.taking(token).first)
        #expect(edge.kind == .canTakeOver && edge.reason.contains("iam.serviceAccounts.getAccessToken"))
        #expect(edge.statement?.policyId == "gcp:\(tokenCreator)")
        // and tokenCreator alone gives no key, no actAs
        #expect(fragment.rules(of: token) == ["gcp.iam.get-access-token", "gcp.iam.sign-jwt"])
    }

    @Test func projectOwnerAndProjectPolicyWritersReachTheAdminNode() {
        var p = GCPProject()
        let owner = p.account("owner"), iamAdmin = p.account("iam-admin"), security = p.account("security")
        p.bind("roles/owner", [owner])
        p.bind("roles/resourcemanager.projectIamAdmin", [iamAdmin])
        p.bind("roles/iam.securityAdmin", [security])
        let fragment = p.fragment
        let admin = GraphFragment.adminNode("gcp:\(GCPProject.project)")
        #expect(fragment.targets(of: owner, rule: "gcp.project-owner") == [admin])
        #expect(fragment.targets(of: iamAdmin, rule: "gcp.iam.set-iam-policy") == [admin])
        #expect(fragment.targets(of: security, rule: "gcp.iam.set-iam-policy").contains(admin))
        #expect(fragment.nodes[admin] != nil)
        // and an administrator of the project gets only its admin edge: the admin node stands for every account in it
        #expect(fragment.rules(of: owner) == ["gcp.project-owner"])
        #expect(fragment.rules(of: iamAdmin) == ["gcp.iam.set-iam-policy"])
        // roles/owner on one account is not the project's Owner
        var q = GCPProject()
        let x = q.account("x"), y = q.account("y")
        q.bind("roles/owner", [x], on: y)
        #expect(!q.fragment.rules(of: x).contains("gcp.project-owner"))
        #expect(q.fragment.targets(of: x, rule: "gcp.iam.set-iam-policy") == [y])
    }

    @Test func actAsNeedsAWayToRunCode() throws {
        // Given actAs on `target` with a Cloud Run role (another binding), actAs alone, and Cloud Run alone
        // (https://cloud.google.com/iam/docs/service-accounts-actas)
        var p = GCPProject()
        let target = p.account("target"), deployer = p.account("deployer"), user = p.account("user"), runner = p.account("runner")
        p.bind("roles/iam.serviceAccountUser", [deployer, user], on: target)
        p.bind("roles/run.developer", [deployer, runner])
        let fragment = p.fragment
        // Then only the one with both can run code as target, and its edge names both bindings
        let edge = try #require(fragment.taking(deployer).first { $0.rule == "gcp.iam.act-as" })
        #expect(edge.to == target)
        #expect(edge.statements.map(\.policyId) == ["gcp:roles/iam.serviceAccountUser", "gcp:roles/run.developer"])
        #expect(edge.reason.contains("run.services.create"))
        #expect(!fragment.rules(of: user).contains("gcp.iam.act-as"))
        #expect(!fragment.rules(of: runner).contains("gcp.iam.act-as"))
    }

    @Test func membersSharingBothBindingsForActAsShareOneNode() throws {
        // Given 3 members with serviceAccountUser and run.developer on the project, and 2 more accounts
        var p = GCPProject()
        let members = (0..<3).map { p.account("m\($0)") }
        let others = (0..<2).map { p.account("o\($0)") }
        p.bind("roles/iam.serviceAccountUser", members)
        p.bind("roles/run.developer", members)
        let fragment = p.fragment
        // Then the act-as edges hang on one node for the pair of bindings, and name both
        let actAs = fragment.edges.filter { $0.rule == "gcp.iam.act-as" }
        #expect(actAs.count == 5)
        let hub = try #require(Set(actAs.map(\.from)).first)
        #expect(Set(actAs.map(\.from)).count == 1 && hub.contains(" + "))
        #expect(fragment.nodes[hub]?.contains("both bindings") == true)
        #expect(actAs.allSatisfy { $0.statements.count == 2 })
        for member in members { #expect(fragment.targets(of: member, rule: "gcp.iam.act-as") == Set(members + others)) }
    }

    @Test func editorRunsAsAndCreatesKeysForEveryAccount() {
        var p = GCPProject()
        let editor = p.account("editor"), a = p.account("a"), b = p.account("b")
        p.bind("roles/editor", [editor])
        let fragment = p.fragment
        #expect(fragment.targets(of: editor, rule: "gcp.iam.act-as") == [a, b])
        #expect(fragment.targets(of: editor, rule: "gcp.iam.keys-create") == [a, b])
        #expect(!fragment.rules(of: editor).contains("gcp.iam.get-access-token"))
    }

    @Test func aSharedProjectBindingHangsOnOneNode() {
        // Given 5 members of one project-level tokenCreator binding and 10 accounts
        var p = GCPProject()
        let members = (0..<5).map { p.account("m\($0)") }
        let others = (0..<5).map { p.account("o\($0)") }
        p.bind(tokenCreator, members)
        let fragment = p.fragment
        // Then the edges are members + accounts per rule, not members × accounts
        let tokenEdges = fragment.edges.filter { $0.rule == "gcp.iam.get-access-token" }
        #expect(tokenEdges.count == 10)
        #expect(fragment.edges.filter { $0.kind == .holds }.count == 5)
        #expect(Set(tokenEdges.map(\.from)).count == 1)
        let hub = tokenEdges[0].from
        #expect(fragment.nodes[hub]?.contains(tokenCreator) == true)
        // and every member still reaches every account
        for member in members { #expect(fragment.targets(of: member, rule: "gcp.iam.get-access-token") == Set(members + others)) }
        let graph = AccessGraph(edges: fragment.edges)
        let reached = Set(graph.reachable(from: graph.node(members[0])!).map { graph.ids[$0.node] })
        #expect(reached.isSuperset(of: others))
    }

    @Test func conditionalBindingsGiveConditionalEdgesAndDeadOnesNone() throws {
        var p = GCPProject()
        let target = p.account("target"), maybe = p.account("maybe"), dead = p.account("dead")
        let condition = "resource.name.endsWith(\"target@p-main-1001.iam.gserviceaccount.com\")"
        p.bind(tokenCreator, [maybe], on: target, condition: condition)
        p.bind(tokenCreator, [dead], on: target, condition: "request.time < timestamp(\"2020-06-01T00:00:00Z\")")
        let fragment = p.fragment
        let edge = try #require(fragment.taking(maybe).first { $0.rule == "gcp.iam.get-access-token" })
        #expect(edge.conditions == [condition])
        #expect(edge.reason.hasSuffix("if its condition holds"))
        #expect(fragment.taking(dead).isEmpty)
    }

    @Test func serviceAgentsAndUnknownRolesGiveNoEdges() {
        var p = GCPProject()
        let ci = p.account("ci"), mystery = p.account("mystery")
        let agent = p.account("service-agent", managedBy: "google")
        p.bind(tokenCreator, [ci])
        p.bind("projects/p-main-1001/roles/mystery", [mystery], defined: false)
        let fragment = p.fragment
        #expect(!fragment.targets(of: ci, rule: "gcp.iam.get-access-token").contains(agent))
        #expect(fragment.taking(mystery).isEmpty)
    }

    @Test func anotherProjectsEstateGivesNoEdgeToThisProjectsAccounts() {
        // Given tokenCreator for `ci` on project p-other-2002, whose estate has no accounts
        var other = Estate(observedAt: testNow, scope: "gcp:p-other-2002")
        let ci = GCPProject.id("ci")
        other.policies.append(Policy(id: "gcp:\(tokenCreator)", name: tokenCreator, provider: .gcp, kind: .providerManaged, body: .gcpRole(permissions: [])))
        other.grants.append(Grant(subjectId: ci, policyId: "gcp:\(tokenCreator)", via: .binding, scope: GrantScope(.project, "p-other-2002")))
        // Then it can take over nothing
        #expect(GCPGraph.fragment(for: other).edges.isEmpty)
    }

    @Test func conditionGrammar() {
        func verdict(_ text: String) -> String {
            let iam = GCPPermissionEvaluator(estate: {
                var p = GCPProject()
                let a = p.account("a"), t = p.account("t")
                p.bind(tokenCreator, [a], on: t, condition: text)
                return p.estate
            }())
            return iam.decide(principal: GCPProject.id("a"), permission: "iam.serviceAccounts.getAccessToken", resource: GCPProject.id("t")).outcome.rawValue
        }
        #expect(verdict("true") == "allowed")
        #expect(verdict("false") == "denied")
        #expect(verdict("(request.time < timestamp(\"2019-01-01T00:00:00Z\")) || false") == "denied")
        #expect(verdict("request.time < timestamp(\"2019-01-01T00:00:00Z\") || resource.type == \"x\"") == "undecided")
        #expect(verdict("request.time < timestamp(\"2019-01-01T00:00:00Z\") && resource.type == \"x\"") == "denied")
        #expect(verdict("timestamp(\"2019-01-01T00:00:00.000Z\") < request.time") == "allowed")
        #expect(verdict("resource.name.startsWith(\"a || b\")") == "undecided")
    }
}

// MARK: Azure evaluator

struct AzureEvaluatorTests {
    static let sub = "/subscriptions/\(AzureTenant.sub)"
    static let rg = "\(sub)/resourceGroups/rg-app"
    static let vm = "\(rg)/providers/Microsoft.Compute/virtualMachines/vm1"
    static let blob = "\(rg)/providers/Microsoft.Storage/storageAccounts/data1/blobServices/default/containers/c1"

    @Test func assignmentsApplyAtAndBeneathTheirScope() {
        // Given a Reader at the subscription and a Contributor at one resource group
        // (https://learn.microsoft.com/azure/role-based-access-control/scope-overview#scope-levels)
        var t = AzureTenant()
        let reader = t.principal("reader"), contributor = t.principal("contributor")
        t.assign(builtIn: AzureTenant.reader, to: reader, at: Self.sub)
        t.assign(builtIn: AzureTenant.contributor, to: contributor, at: Self.rg)
        let rbac = t.rbac
        let read = "Microsoft.Compute/virtualMachines/read", write = "Microsoft.Compute/virtualMachines/write"
        #expect(rbac.decide(principal: reader, permission: read, resource: Self.vm).isAllowed)
        #expect(rbac.decide(principal: reader, permission: write, resource: Self.vm).outcome == .denied)
        #expect(rbac.decide(principal: contributor, permission: write, resource: Self.vm).isAllowed)
        // not above it, nor beside it, nor in a subscription whose id merely starts the same
        #expect(rbac.decide(principal: contributor, permission: write, resource: Self.sub).outcome == .denied)
        #expect(rbac.decide(principal: contributor, permission: write, resource: "\(Self.sub)/resourceGroups/rg-app2/providers/Microsoft.Compute/virtualMachines/vm1").outcome == .denied)
        #expect(rbac.decide(principal: reader, permission: read, resource: "/subscriptions/\(AzureTenant.sub)0/resourceGroups/x").outcome == .denied)
        let decision = rbac.decide(principal: contributor, permission: write, resource: Self.vm)
        #expect(decision.statements == [StatementRef(policyId: "azure:roleDefinition:\(AzureTenant.contributor)", index: 0, sid: "Contributor at \(Self.rg)")])
    }

    @Test func scopesCompareCaseInsensitively() {
        var t = AzureTenant()
        let p = t.principal("p")
        t.assign(builtIn: AzureTenant.contributor, to: p, at: "/SUBSCRIPTIONS/\(AzureTenant.sub.uppercased())/resourcegroups/RG-APP/")
        #expect(t.rbac.decide(principal: p, permission: "microsoft.compute/VIRTUALMACHINES/write", resource: Self.vm).isAllowed)
    }

    @Test func notActionsSubtractWithinTheirRoleOnly() {
        // Given Contributor, whose notActions remove Microsoft.Authorization/*/Write, alone and beside User Access Administrator
        // (https://learn.microsoft.com/azure/role-based-access-control/role-definitions#notactions: NotActions is not a deny)
        var t = AzureTenant()
        let alone = t.principal("alone"), both = t.principal("both")
        t.assign(builtIn: AzureTenant.contributor, to: alone, at: Self.sub)
        t.assign(builtIn: AzureTenant.contributor, to: both, at: Self.sub)
        t.assign(builtIn: AzureTenant.userAccessAdministrator, to: both, at: Self.sub)
        let rbac = t.rbac
        let assign = "Microsoft.Authorization/roleAssignments/write"
        #expect(rbac.decide(principal: alone, permission: assign, resource: Self.sub).outcome == .denied)
        #expect(rbac.decide(principal: alone, permission: "Microsoft.Authorization/roleAssignments/read", resource: Self.sub).isAllowed)
        #expect(rbac.decide(principal: both, permission: assign, resource: Self.sub).isAllowed)
    }

    @Test func wildcardsMatchAnyRunOfCharacters() {
        var t = AzureTenant()
        let p = t.principal("p")
        t.assign(custom: "compute-all", AzureRolePermissions(actions: ["Microsoft.Compute/*", "*/read"], notActions: ["Microsoft.Compute/*/delete"]), to: p, at: Self.sub)
        let rbac = t.rbac
        #expect(rbac.decide(principal: p, permission: "Microsoft.Compute/virtualMachines/write", resource: Self.vm).isAllowed)
        #expect(rbac.decide(principal: p, permission: "Microsoft.Compute/virtualMachines/delete", resource: Self.vm).outcome == .denied)
        #expect(rbac.decide(principal: p, permission: "Microsoft.Storage/storageAccounts/write", resource: Self.vm).outcome == .denied)
        #expect(rbac.decide(principal: p, permission: "Microsoft.Storage/storageAccounts/read", resource: Self.vm).isAllowed)
    }

    @Test func dataActionsAreDecidedSeparately() {
        // Given Owner, which has actions `*` and no data actions, and Storage Blob Data Reader
        // (https://learn.microsoft.com/azure/role-based-access-control/role-definitions#dataactions)
        var t = AzureTenant()
        let owner = t.principal("owner"), reader = t.principal("blob-reader")
        t.assign(builtIn: AzureTenant.owner, to: owner, at: Self.sub)
        t.assign(builtIn: AzureTenant.blobDataReader, to: reader, at: Self.rg)
        let rbac = t.rbac
        let readBlob = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"
        #expect(rbac.decide(principal: owner, dataAction: readBlob, resource: Self.blob).outcome == .denied)
        #expect(rbac.decide(principal: reader, dataAction: readBlob, resource: Self.blob).isAllowed)
        #expect(rbac.decide(principal: reader, permission: readBlob, resource: Self.blob).outcome == .denied)
    }

    @Test func conditionsLeaveOnlyTheActionsTheyNameUndecided() {
        // Given RBAC-administrator rights constrained to assigning AcrPull
        // (https://learn.microsoft.com/azure/role-based-access-control/delegate-role-assignments-examples)
        let condition = "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR "
            + "(@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {7f951dda-4ed3-4680-a7ca-43fe172d538d}))"
        var t = AzureTenant()
        let p = t.principal("p")
        t.assign(builtIn: AzureTenant.userAccessAdministrator, to: p, at: Self.sub, condition: condition)
        let rbac = t.rbac
        let decision = rbac.decide(principal: p, permission: "Microsoft.Authorization/roleAssignments/write", resource: Self.sub)
        #expect(decision.outcome == .undecided)
        #expect(decision.reasons.joined().contains("ActionMatches"))
        #expect(rbac.decide(principal: p, permission: "Microsoft.Authorization/roleAssignments/delete", resource: Self.sub).isAllowed)
    }

    @Test func managementGroupsAndTheTenantRoot() {
        var t = AzureTenant()
        let root = t.principal("root"), tenantGroup = t.principal("tenant-group"), platform = t.principal("platform")
        t.assign(builtIn: AzureTenant.reader, to: root, at: "/")
        t.assign(builtIn: AzureTenant.reader, to: tenantGroup, at: "/providers/Microsoft.Management/managementGroups/\(AzureTenant.tenant.uppercased())")
        t.assign(builtIn: AzureTenant.reader, to: platform, at: "/providers/Microsoft.Management/managementGroups/platform")
        let rbac = t.rbac
        let read = "Microsoft.Compute/virtualMachines/read"
        #expect(rbac.decide(principal: root, permission: read, resource: Self.vm).isAllowed)
        #expect(rbac.decide(principal: tenantGroup, permission: read, resource: Self.vm).isAllowed)
        let unknown = rbac.decide(principal: platform, permission: read, resource: Self.vm)
        #expect(unknown.outcome == .undecided)
        #expect(unknown.reasons.joined().contains("management group"))
        #expect(rbac.decide(principal: platform, permission: read, resource: "/providers/Microsoft.Management/managementGroups/platform").isAllowed)
    }

    @Test func unknownRolesAreUndecidedAndDeletedPrincipalsGrantNothing() {
        var t = AzureTenant()
        let p = t.principal("p")
        t.assign(unknown: "mystery-role", to: p, at: Self.sub)
        let gone = "azure:deletedPrincipal:0000"
        t.estate.identities.append(Identity(id: gone, provider: .azure, kind: .azureDeletedPrincipal, name: "deleted", account: AzureTenant.tenant))
        t.assign(builtIn: AzureTenant.owner, to: gone, at: Self.sub)
        let rbac = t.rbac
        #expect(rbac.decide(principal: p, permission: "Microsoft.Compute/virtualMachines/read", resource: Self.vm).outcome == .undecided)
        #expect(rbac.decide(principal: gone, permission: "Microsoft.Compute/virtualMachines/read", resource: Self.vm).outcome == .denied)
        #expect(t.fragment.edges.allSatisfy { $0.from != gone })
    }

    @Test func principalsAllowedListsWhoCanOutright() {
        var t = AzureTenant()
        let owner = t.principal("owner"), contributor = t.principal("contributor"), reader = t.principal("reader")
        t.assign(builtIn: AzureTenant.owner, to: owner, at: Self.sub)
        t.assign(builtIn: AzureTenant.contributor, to: contributor, at: Self.rg)
        t.assign(builtIn: AzureTenant.reader, to: reader, at: Self.sub)
        #expect(t.rbac.principals(allowed: "Microsoft.Compute/virtualMachines/write", resource: Self.vm) == [contributor, owner].sorted())
        #expect(t.rbac.principals(allowed: "Microsoft.Authorization/roleAssignments/write", resource: Self.vm) == [owner])
    }
}

// MARK: Azure edge rules

struct AzureGraphTests {
    static let sub = "/subscriptions/\(AzureTenant.sub)"

    @Test func ownerAndRoleGrantersReachTheAdminNodeOfTheirScope() {
        var t = AzureTenant()
        let owner = t.principal("owner"), rgOwner = t.principal("rg-owner"), uaa = t.principal("uaa"), custom = t.principal("custom")
        let star = t.principal("star"), mg = t.principal("mg"), root = t.principal("root"), resource = t.principal("resource")
        t.assign(builtIn: AzureTenant.owner, to: owner, at: Self.sub)
        t.assign(builtIn: AzureTenant.owner, to: rgOwner, at: "/SUBSCRIPTIONS/\(AzureTenant.sub.uppercased())/resourcegroups/RG-App")
        t.assign(builtIn: AzureTenant.userAccessAdministrator, to: uaa, at: "/subscriptions/\(AzureTenant.other)")
        t.assign(custom: "granter", AzureRolePermissions(actions: ["Microsoft.Authorization/roleAssignments/write"]), to: custom, at: Self.sub)
        t.assign(custom: "everything", AzureRolePermissions(actions: ["*"]), to: star, at: Self.sub)
        t.assign(builtIn: AzureTenant.owner, to: mg, at: "/providers/Microsoft.Management/managementGroups/Platform")
        t.assign(builtIn: AzureTenant.owner, to: root, at: "/")
        t.assign(builtIn: AzureTenant.userAccessAdministrator, to: resource, at: "\(Self.sub)/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv1")
        let fragment = t.fragment
        let subAdmin = GraphFragment.adminNode("azure:\(AzureTenant.sub)")
        #expect(fragment.targets(of: owner, rule: "azure.owner") == [subAdmin])
        #expect(fragment.targets(of: rgOwner, rule: "azure.owner") == [GraphFragment.adminNode("azure:\(AzureTenant.sub)/resourceGroups/rg-app")])
        #expect(fragment.targets(of: uaa, rule: "azure.user-access-admin") == [GraphFragment.adminNode("azure:\(AzureTenant.other)")])
        #expect(fragment.targets(of: custom, rule: "azure.role-assignment-write") == [subAdmin])
        #expect(fragment.rules(of: star) == ["azure.owner"])
        #expect(fragment.targets(of: mg, rule: "azure.owner") == [GraphFragment.adminNode("azure:managementGroups/platform")])
        #expect(fragment.targets(of: root, rule: "azure.owner") == [GraphFragment.adminNode("azure:\(AzureTenant.tenant)")])
        #expect(fragment.taking(resource).isEmpty)
        #expect(fragment.rules(of: owner) == ["azure.owner"])
        #expect(fragment.nodes[subAdmin]?.contains("subscription") == true)
        #expect(fragment.edges.allSatisfy { $0.statement != nil && !$0.reason.isEmpty })
    }

    @Test func lookAlikesGiveNoAdminEdge() {
        var t = AzureTenant()
        let contributor = t.principal("contributor"), reader = t.principal("reader"), excluded = t.principal("excluded")
        t.assign(builtIn: AzureTenant.contributor, to: contributor, at: Self.sub)
        t.assign(builtIn: AzureTenant.reader, to: reader, at: Self.sub)
        t.assign(custom: "assignment-reader", AzureRolePermissions(
            actions: ["Microsoft.Authorization/roleAssignments/*"], notActions: ["Microsoft.Authorization/roleAssignments/write"]), to: excluded, at: Self.sub)
        let fragment = t.fragment
        #expect(fragment.edges.isEmpty)
    }

    @Test func aConstrainedDelegationIsAConditionalEdge() throws {
        let condition = "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {7f951dda-4ed3-4680-a7ca-43fe172d538d}))"
        let dataOnly = "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'logs'))"
        var t = AzureTenant()
        let constrained = t.principal("constrained"), owner = t.principal("owner")
        t.assign(builtIn: AzureTenant.userAccessAdministrator, to: constrained, at: Self.sub, condition: condition)
        t.assign(builtIn: AzureTenant.owner, to: owner, at: Self.sub, condition: dataOnly)
        let fragment = t.fragment
        let edge = try #require(fragment.taking(constrained).first)
        #expect(edge.rule == "azure.user-access-admin" && edge.conditions == [condition])
        let ownerEdge = try #require(fragment.taking(owner).first)
        #expect(ownerEdge.conditions.isEmpty)
    }

    @Test func appCredentialIsDeclaredButTheConnectorGivesItNothing() {
        var t = AzureTenant()
        let owner = t.principal("owner")
        t.assign(builtIn: AzureTenant.owner, to: owner, at: Self.sub)
        #expect(!t.fragment.edges.contains { $0.rule == "azure.app-credential" })
        #expect(AzureEdgeRules.appCredential.summary.contains("does not import"))
    }
}

// MARK: Example folders, through the connectors

struct CloudGraphExampleTests {
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/graph")

    struct Expected: Decodable {
        struct Vulnerable: Decodable {
            var principal: String
            var rule: String
            var reachesAdmin: Bool
        }
        struct Safe: Decodable {
            var principal: String
            var notRule: String
        }
        var vulnerable: [Vulnerable]
        var safe: [Safe]
    }

    static func expected(_ folder: String) throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: examples.appendingPathComponent("\(folder)/expected.json")))
    }

    /// Checks a fragment against an example's expectations: each vulnerable principal has its rule's edge and reaches an
    /// admin node (through the rules' edges alone) exactly when expected; no look-alike has the rule it resembles.
    static func check(_ fragment: GraphFragment, _ expected: Expected) throws {
        let graph = AccessGraph(edges: fragment.edges)
        let next = graph.towards(graph.adminNodes).next
        for vulnerable in expected.vulnerable {
            #expect(fragment.rules(of: vulnerable.principal).contains(vulnerable.rule), "\(vulnerable.principal) has no \(vulnerable.rule) edge")
            let node = try #require(graph.node(vulnerable.principal), "\(vulnerable.principal) is not in the graph")
            #expect((next[node] >= 0) == vulnerable.reachesAdmin, "\(vulnerable.principal): \(graph.path(from: node, next: next).map(\.rule))")
            #expect(fragment.taking(vulnerable.principal).allSatisfy { !$0.statements.isEmpty })
        }
        for safe in expected.safe {
            #expect(!fragment.rules(of: safe.principal).contains(safe.notRule), "\(safe.principal) has a \(safe.notRule) edge")
        }
    }

    @Test func gcpExample() throws {
        let connector = GCPConnector(asOf: testNow)
        let result = try connector.read(connector.discover([Self.examples.appendingPathComponent("gcp").path]).files)
        #expect(Set(result.estates.map(\.scope)) == ["gcp:graph-main-1001", "gcp:graph-other-2002"])
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        var fragment = GraphFragment()
        for estate in result.estates { fragment.merge(GCPGraph.fragment(for: estate)) }
        try Self.check(fragment, try Self.expected("gcp"))
        // the conditional binding's edge names its condition; the shared project binding hangs on one node
        let conditional = try #require(fragment.taking("gcp:serviceAccount:cond-token@graph-main-1001.iam.gserviceaccount.com").first)
        #expect(conditional.conditions.first?.contains("resource.name.endsWith") == true)
        #expect(fragment.edges.contains { $0.kind == .holds && $0.from == "gcp:serviceAccount:esc-project-token-a@graph-main-1001.iam.gserviceaccount.com" })
    }

    @Test func azureExample() throws {
        let connector = AzureConnector(asOf: testNow)
        let result = try connector.read(connector.discover([Self.examples.appendingPathComponent("azure").path]).files)
        let estate = try #require(result.estates.first)
        #expect(estate.scope == "azure:5d2c9a4e-1b3f-4c6d-8e7f-9a0b1c2d3e4f")
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        let fragment = AzureGraph.fragment(for: estate)
        try Self.check(fragment, try Self.expected("azure"))
        // the resource-group Owner, written in upper case, reaches the lowercased resource group's admin node
        let rgOwner = fragment.taking("azure:servicePrincipal:6c3b1022-5c45-587a-adf4-f53c1ec14dd5")
        #expect(rgOwner.map(\.to) == ["admin:azure:0b8f3c2a-6d4e-4f1a-9c7b-2e5d8a1f4c60/resourceGroups/rg-payments"])
    }
}
