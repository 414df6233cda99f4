import Foundation
import RosterModel

/// Role assignments: grants of role definitions at ARM scopes, and orphaned ones.
extension AzureMapper {
    // MARK: Role assignments

    mutating func assignRoles(
        tenant: String, drafts: inout [String: Draft], idByObjectId: [String: String], policies: inout [String: Policy], grants: inout Set<Grant>
    ) {
        var definitions: [String: AzureRoleDefinition] = [:]
        for (_, items) in sources.definitions { for definition in items { definitions[definition.name.lowercased()] = definition } }
        let spListed = !sources.servicePrincipals.isEmpty
        var scopes: [String: GrantScope] = [:]
        for (path, items) in sources.assignments {
            let file = (path as NSString).lastPathComponent
            // az fills principalName from Graph; when no assignment has one, the export was made without directory read access.
            let namesResolved = items.contains { !($0.principalName ?? "").isEmpty }
            if !namesResolved && !items.isEmpty {
                warnings.append("\(path): no role assignment has a principalName (az could not read the directory); only assignments of type Unknown are reported as orphaned")
            }
            for assignment in items {
                let principal = assignment.principalId.lowercased()
                let type = assignment.principalType ?? "Unknown"
                let name = assignment.principalName ?? ""
                var subject: String
                if let id = idByObjectId[principal] {
                    subject = id
                } else if type == "Unknown" || (namesResolved && name.isEmpty) {
                    subject = "azure:deletedPrincipal:\(principal)"
                    if drafts[subject] == nil {
                        drafts[subject] = Draft(identity: Identity(
                            id: subject, provider: .azure, kind: .azureDeletedPrincipal, name: "deleted \(Self.principalWords[type] ?? "principal") \(principal)",
                            nativeId: principal, account: tenant, nature: .unknown,
                            natureReason: "role assignments name object \(principal) (principalType \(type)), which no longer exists in Entra ID (\(file))",
                            managedBy: "nobody: deleted from Entra ID"))
                    }
                } else if type == "ServicePrincipal" {
                    // Listed by the assignments but not by the service principal list (az ad sp list without --all stops at 100).
                    subject = "azure:servicePrincipal:\(principal)"
                    if drafts[subject] == nil {
                        if spListed {
                            warnings.append("\(path): service principal \(name) (\(principal)) has role assignments but is not in the imported `az ad sp list`; was it run with --all?")
                        }
                        drafts[subject] = Draft(identity: Identity(
                            id: subject, provider: .azure, kind: .azureServicePrincipal, name: name, account: tenant,
                            environment: EnvironmentName.guess([name]), nature: .machine,
                            natureReason: "a service principal known only from its role assignments (\(file))"))
                    }
                } else {
                    continue  // a person or a group: not a machine identity
                }
                let policyId = "azure:roleDefinition:\(assignment.roleGUID)"
                if policies[policyId] == nil { policies[policyId] = rolePolicy(assignment, definitions: definitions) }
                // Many assignments share a scope: read each once.
                let scope = scopes[assignment.scope] ?? ARMScope(assignment.scope).grantScope
                scopes[assignment.scope] = scope
                grants.insert(Grant(subjectId: subject, policyId: policyId, via: .binding, scope: scope, condition: assignment.condition))
            }
        }
    }

    /// Where an identity holds its roles says where it works, when its own names and tags do not: the
    /// resource groups' and subscriptions' names, if they all say the same environment.
    func inferEnvironments(_ drafts: inout [String: Draft], grants: Set<Grant>, subscriptions: [String: String]) {
        var seen: [String: Set<String>] = [:]
        var byScope: [String: String] = [:]
        for grant in grants where grant.via == .binding && drafts[grant.subjectId]?.identity.environment == nil {
            guard let scope = grant.scope else { continue }
            let environment = byScope[scope.id] ?? {
                let arm = ARMScope(scope.id)
                return EnvironmentName.guess([arm.resourceGroup, arm.subscription.flatMap { subscriptions[$0.lowercased()] }]) ?? ""
            }()
            byScope[scope.id] = environment
            seen[grant.subjectId, default: []].insert(environment)
        }
        for (id, environments) in seen where environments.count == 1 {
            if let environment = environments.first, !environment.isEmpty { drafts[id]!.identity.environment = environment }
        }
    }

    func rolePolicy(_ assignment: AzureRoleAssignment, definitions: [String: AzureRoleDefinition]) -> Policy {
        let guid = assignment.roleGUID
        let id = "azure:roleDefinition:\(guid)"
        if let definition = definitions[guid] {
            var merged = AzureRolePermissions()
            for block in definition.permissions {
                merged.actions += block.actions ?? []
                merged.notActions += block.notActions ?? []
                merged.dataActions += block.dataActions ?? []
                merged.notDataActions += block.notDataActions ?? []
            }
            let custom = definition.roleType?.caseInsensitiveCompare("CustomRole") == .orderedSame
            return Policy(id: id, name: definition.roleName, provider: .azure, kind: custom ? .customerManaged : .providerManaged, body: .azureRole(merged))
        }
        if let role = AzureBuiltInRoles.byGUID[guid] {
            return Policy(id: id, name: role.name, provider: .azure, kind: .providerManaged, body: .azureRole(role.permissions))
        }
        let name = assignment.roleDefinitionName ?? guid
        return Policy(
            id: id, name: name, provider: .azure, kind: .customerManaged,
            body: .other(type: "azure.role-reference", content: .object([
                "roleDefinitionId": .string(assignment.roleDefinitionId), "roleDefinitionName": .string(name),
            ])))
    }

}
