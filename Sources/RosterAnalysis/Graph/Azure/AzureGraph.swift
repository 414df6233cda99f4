public import RosterModel

/// Builds an Entra ID tenant's part of the access graph from its Azure role assignments: every
/// edge rule over every assignment.
///
/// An assignment that lets its principal grant any role (Owner, User Access Administrator, a custom
/// role with `Microsoft.Authorization/roleAssignments/write`) gives an edge from the principal to
/// the admin node of the assignment's scope:
/// - a subscription: `admin:azure:<subscription>` (the main admin node: what "administrator" means
///   in Azure for most estates);
/// - a resource group: `admin:azure:<subscription>/resourceGroups/<name>`, since controlling one
///   resource group is not controlling its subscription;
/// - a management group: `admin:azure:managementGroups/<id>`; the tenant root (`/` or the tenant
///   root group): `admin:azure:<tenant>`, the estate's own admin node.
/// Ids are lowercased (ARM ids are case-insensitive). Nothing is drawn for one resource.
///
/// For example:
/// ```swift
/// let fragment = AzureGraph.fragment(for: estate)
/// fragment.edges.filter { GraphFragment.isAdminNode($0.to) }   // who controls which scope, and how
/// ```
public enum AzureGraph {
    public static let rules: [EdgeRule<AzureGraphContext>] = AzureEdgeRules.all

    public static func fragment(for estate: Estate) -> GraphFragment {
        guard estate.scope.hasPrefix("azure:") else { return GraphFragment() }
        let context = AzureGraphContext(estate: estate)
        var fragment = GraphFragment()
        for index in 0..<context.assignmentCount {
            for rule in rules {
                for edge in rule.edges(in: context, principal: index) {
                    fragment.nodes[edge.to] = context.assignment(index).scope.adminLabel
                    fragment.edges.append(edge)
                }
            }
        }
        return fragment
    }
}
