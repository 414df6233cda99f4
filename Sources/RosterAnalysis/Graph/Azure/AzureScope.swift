import RosterModel

/// An Azure Resource Manager scope, read case-insensitively: the tenant root (`/`), a management
/// group, a subscription, a resource group or a resource.
///
/// ARM ids are case-insensitive (https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules),
/// so a scope is compared by its lowercased path without a trailing slash. An assignment at a scope
/// applies to the scope and to everything beneath it
/// (https://learn.microsoft.com/azure/role-based-access-control/scope-overview).
///
/// For example:
/// ```swift
/// AzureScope("/subscriptions/S/resourceGroups/RG").contains(AzureScope("/subscriptions/s/resourcegroups/rg/providers/X/y/z"), tenant: t)   // .yes
/// ```
struct AzureScope: Hashable, Sendable, CustomStringConvertible {
    enum Kind: Hashable, Sendable {
        case root
        case managementGroup(String)
        case subscription(String)
        case resourceGroup(subscription: String, name: String)
        case resource(subscription: String?)
    }

    /// The scope as written.
    let text: String
    /// Lowercased, with a leading and no trailing slash; empty for the root.
    let path: String
    let kind: Kind

    init(_ text: String) {
        self.text = text
        let parts = text.lowercased().split(separator: "/").map(String.init)
        path = parts.isEmpty ? "" : "/" + parts.joined(separator: "/")
        if parts.isEmpty {
            kind = .root
        } else if parts.count >= 4, parts[0] == "providers", parts[1] == "microsoft.management", parts[2] == "managementgroups" {
            kind = parts.count == 4 ? .managementGroup(parts[3]) : .resource(subscription: nil)
        } else if parts[0] == "subscriptions", parts.count >= 2 {
            if parts.count == 2 {
                kind = .subscription(parts[1])
            } else if parts.count == 4, parts[2] == "resourcegroups" {
                kind = .resourceGroup(subscription: parts[1], name: parts[3])
            } else {
                kind = .resource(subscription: parts[1])
            }
        } else {
            kind = .resource(subscription: nil)
        }
    }

    enum Containment: Equatable {
        case yes
        case no
        /// Beneath a management group or not: the export does not hold the hierarchy.
        case unknown
    }

    /// Whether an assignment at this scope applies to `other`.
    ///
    /// The tenant root group (`/`, or the management group whose id is the tenant's) holds every
    /// subscription. Which subscriptions another management group holds is not in the export.
    func contains(_ other: AzureScope, tenant: String) -> Containment {
        if other.path == path || other.path.hasPrefix(path + "/") || path.isEmpty { return .yes }
        switch kind {
        case .managementGroup(let id):
            if id == tenant.lowercased() { return .yes }
            switch other.kind {
            case .root: return .no
            case .resource(nil): return other.path.hasPrefix("/providers/microsoft.management/") ? .unknown : .no
            default: return .unknown
            }
        default:
            return .no
        }
    }

    /// The admin node of whoever controls this scope, or nil for a single resource (controlling one
    /// resource is not controlling a scope, and Roster draws no edge for it).
    ///
    /// - the tenant root (`/` or the tenant root group): the estate's own, `admin:azure:<tenant>`;
    /// - a management group: `admin:azure:managementGroups/<id>`;
    /// - a subscription: `admin:azure:<subscription>`, the main one;
    /// - a resource group: `admin:azure:<subscription>/resourceGroups/<name>`.
    /// Ids are lowercased, as ARM compares them.
    func adminNode(tenant: String, estateScope: String) -> String? {
        switch kind {
        case .root: return GraphFragment.adminNode(estateScope)
        case .managementGroup(let id):
            return id == tenant.lowercased() ? GraphFragment.adminNode(estateScope) : GraphFragment.adminNode("azure:managementGroups/\(id)")
        case .subscription(let id): return GraphFragment.adminNode("azure:\(id)")
        case .resourceGroup(let subscription, let name): return GraphFragment.adminNode("azure:\(subscription)/resourceGroups/\(name)")
        case .resource: return nil
        }
    }

    /// "subscription /subscriptions/…", for sentences.
    var description: String {
        switch kind {
        case .root: "the tenant root (/)"
        case .managementGroup: "management group \(text)"
        case .subscription: "subscription \(text)"
        case .resourceGroup: "resource group \(text)"
        case .resource: "resource \(text)"
        }
    }

    /// What an admin node of this scope is, for people.
    var adminLabel: String {
        switch kind {
        case .root: "administrator of the Azure tenant (root management group)"
        case .managementGroup(let id): "administrator of Azure management group \(id)"
        case .subscription(let id): "administrator of Azure subscription \(id)"
        case .resourceGroup(let subscription, let name): "administrator of Azure resource group \(name) in subscription \(subscription)"
        case .resource: "administrator of Azure resource \(text)"
        }
    }
}
