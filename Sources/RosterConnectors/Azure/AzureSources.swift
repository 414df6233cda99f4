import Foundation

/// Everything read from the Azure files, before mapping.
struct AzureSources {
    var servicePrincipals: [(path: String, items: [AzureDirectoryObject])] = []
    var applications: [(path: String, items: [AzureDirectoryObject])] = []
    /// Credential and federated-credential lists, with the app they belong to as the file names it.
    var credentialLists: [(path: String, owner: String, certificates: Bool, items: [AzureCredential])] = []
    var federatedLists: [(path: String, owner: String, items: [AzureFederatedCredential])] = []
    var assignments: [(path: String, items: [AzureRoleAssignment])] = []
    var definitions: [(path: String, items: [AzureRoleDefinition])] = []
    var accounts: [(path: String, items: [AzureAccount])] = []
    var identities: [(path: String, items: [AzureUserAssignedIdentity])] = []
    /// When the newest input file was written, for the observation time of last resort.
    var newestFileDate: Date?
}

/// Which app a credential list belongs to: `az ad app credential list --id X` prints a bare list,
/// so the file must be named after the app.
///
/// Read in this order: a GUID in the file's name (`0f1e2d3c-….json`, `0f1e2d3c-….cert.json`), a
/// GUID in its folder's name (`credentials/0f1e2d3c-…/password.json`), else the part of the
/// name before the first dot (`gh-deploy-payments.federated.json`), matched against app and
/// service principal display names. A GUID may be the appId or either object id.
enum AzureOwnerHint {
    static func from(path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let base = url.deletingPathExtension().lastPathComponent
        if let guid = firstGUID(in: base) { return guid }
        if let guid = firstGUID(in: url.deletingLastPathComponent().lastPathComponent) { return guid }
        return String(base.split(separator: ".", maxSplits: 1).first ?? Substring(base))
    }

    /// The first `8-4-4-4-12` hex GUID in `text`, lowercased.
    static func firstGUID(in text: String) -> String? {
        let chars = Array(text.utf8)
        guard chars.count >= 36 else { return nil }
        let dashes: Set<Int> = [8, 13, 18, 23]
        func isHex(_ c: UInt8) -> Bool { (48...57).contains(c) || (97...102).contains(c) || (65...70).contains(c) }
        for start in 0...(chars.count - 36) {
            var ok = true
            for offset in 0..<36 {
                let c = chars[start + offset]
                if dashes.contains(offset) ? c != UInt8(ascii: "-") : !isHex(c) {
                    ok = false
                    break
                }
            }
            if ok { return String(decoding: chars[start..<(start + 36)], as: UTF8.self).lowercased() }
        }
        return nil
    }
}
