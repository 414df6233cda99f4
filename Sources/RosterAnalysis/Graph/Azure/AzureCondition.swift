import Foundation

/// Which actions an Azure role assignment's condition (ABAC) restricts.
///
/// Conditions are written as `(!(ActionMatches{'A'} …)) OR (…)`: an action the condition does not
/// name is allowed as if there were no condition, and a named one only when the expression after
/// `OR` holds (https://learn.microsoft.com/azure/role-based-access-control/conditions-format).
/// Roster decides no expression (they test request and resource attributes the export does not
/// hold), so a named action is undecided and any other is unrestricted. A condition that names no
/// action is taken to restrict every one.
///
/// For example:
/// ```swift
/// let c = "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[…] ForAnyOfAnyValues:GuidEquals {…}))"
/// AzureCondition.restricts(c, "Microsoft.Authorization/roleAssignments/write")   // true
/// AzureCondition.restricts(c, "Microsoft.Compute/virtualMachines/write")          // false
/// ```
enum AzureCondition {
    /// The actions the condition's `ActionMatches{…}` clauses name.
    static func actions(in condition: String) -> [String] {
        var out: [String] = []
        var rest = Substring(condition)
        while let start = rest.range(of: "ActionMatches{", options: .caseInsensitive) {
            let inside = rest[start.upperBound...]
            let end = inside.firstIndex(of: "}") ?? inside.endIndex
            let parts = inside[..<end].split(separator: "'", omittingEmptySubsequences: false)
            // Between quotes: the odd-numbered parts.
            for (i, part) in parts.enumerated() where i % 2 == 1 && !part.isEmpty { out.append(String(part)) }
            rest = inside[end...]
        }
        return out
    }

    /// Whether the condition may keep `action` from being allowed.
    static func restricts(_ condition: String, _ action: String) -> Bool {
        let named = actions(in: condition)
        if named.isEmpty { return true }
        return named.contains { AzureRoleMeaning.matches($0, action) }
    }
}
