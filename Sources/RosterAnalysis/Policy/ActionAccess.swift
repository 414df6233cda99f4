import RosterModel

/// Whether an action reads or changes things, judged from its name the way AWS names actions,
/// and the representative requests that privilege levels are computed from.
///
/// AWS action names start with a verb. The read verbs below are those of the actions that AWS's
/// own read-only job-function policies grant (`ReadOnlyAccess`, `ViewOnlyAccess`, `SecurityAudit`):
/// `Get*`, `List*`, `Describe*`, `BatchGet*`, `Lookup*`, `Search*`, `Select*`, `Simulate*`,
/// `Validate*`, `Generate*` (IAM's reports), `Estimate*`, `Preview*`, `Test*`, `DownloadDBLogFilePortion`…
/// Any other verb is a write, so an unfamiliar action is never under-rated.
enum ActionAccess {
    /// Verbs of read actions, as they start an action name (matched case-insensitively, ending at a word boundary).
    static let readVerbs = [
        "Get", "List", "Describe", "Head", "BatchGet", "BatchCheck", "BatchDescribe", "BatchRead", "Query", "Scan", "Search",
        "Lookup", "Select", "View", "Check", "Preview", "Simulate", "Validate", "Estimate", "Test", "Detect", "Discover",
        "Evaluate", "Filter", "Retrieve", "Verify", "Is", "Download", "Read", "Resolve", "Sample", "Generate", "GitPull",
        "ESHttpGet", "ESHttpHead", "Contains", "Classify", "Compare",
    ]
    // `Poll*` is not a read: codepipeline:PollForJobs claims the jobs it returns.

    /// Actions whose verb reads as a read but which AWS classes as writes.
    ///
    /// KMS's `Generate*` (GenerateDataKey, GenerateMac, GenerateRandom…) hands out key material to
    /// encrypt or sign with: a use of the key, like Encrypt, not a look at configuration; IAM's
    /// `Generate*` (credential and last-accessed reports) only prepares a report to read.
    static let writesDespiteVerb = ["kms:Generate*"]

    /// Verbs that start write actions, used to stand for the writes a wildcard such as `s3:*` allows.
    static let writeVerbs = [
        "Put", "Create", "Delete", "Update", "Modify", "Attach", "Detach", "Add", "Remove", "Set", "Run", "Start", "Stop",
        "Terminate", "Reboot", "Invoke", "Publish", "Send", "Tag", "Untag", "Pass", "Assume", "Enable", "Disable", "Register",
        "Deregister", "Associate", "Disassociate", "Import", "Export", "Upload", "Copy", "Restore", "Replace", "Revoke",
        "Authorize", "Reset", "Change", "Execute", "Encrypt", "Decrypt", "Sign", "Write", "Abort", "Cancel", "Replicate",
        "Initiate", "Complete", "Accept", "Reject", "Rotate", "Poll", "Deliver", "Request",
    ]

    /// Services probed when a statement names every service (`*`, `NotAction`), with any the policies name.
    static let probeServices = [
        "s3", "ec2", "iam", "sts", "kms", "lambda", "dynamodb", "rds", "secretsmanager", "ssm", "sqs", "sns", "logs", "cloudwatch",
        "cloudformation", "cloudtrail", "organizations", "ecr", "ecs", "eks",
    ]

    /// The verbs lowercased as bytes, computed once: `isRead` runs for every probe of every policy set.
    static let readVerbBytes: [[UInt8]] = readVerbs.map { Array($0.lowercased().utf8) }
    /// ``writesDespiteVerb`` as (service, name prefix), lowercased bytes.
    static let writesDespiteVerbBytes: [(service: [UInt8], prefix: [UInt8])] = writesDespiteVerb.map { entry in
        let parts = entry.lowercased().split(separator: ":", maxSplits: 1)
        return (Array(parts[0].utf8), Array(parts[1].filter { $0 != "*" }.utf8))
    }
    static let writeVerbBytes: [[UInt8]] = writeVerbs.map { Array($0.lowercased().utf8) }

    /// Whether the concrete action (or the literal start of a wildcard, `athena:Batch`) is a read.
    static func isRead(_ action: String) -> Bool {
        var action = action
        return action.withUTF8 { bytes in
            guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return false }
            let service = UnsafeBufferPointer(rebasing: bytes[..<colon])
            let name = UnsafeBufferPointer(rebasing: bytes[(colon + 1)...])
            if writesDespiteVerbBytes.contains(where: { equalsLowercased(service, $0.service) && startsWithVerb(name, $0.prefix, wholeWord: false) }) {
                return false
            }
            if readVerbBytes.contains(where: { startsWithVerb(name, $0, wholeWord: true) }) { return true }
            // The literal start of a wildcard (`athena:Batch*`) reads when it can only continue into a read verb.
            guard !name.isEmpty else { return false }
            return readVerbBytes.contains { isLowercasedPrefix(name, of: $0) } && !writeVerbBytes.contains { isLowercasedPrefix(name, of: $0) }
        }
    }

    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte | 0x20 : byte }

    static func equalsLowercased(_ text: UnsafeBufferPointer<UInt8>, _ lowered: [UInt8]) -> Bool {
        text.count == lowered.count && zip(text, lowered).allSatisfy { lower($0) == $1 }
    }

    /// `text`, lowercased, is a prefix of `verb`.
    static func isLowercasedPrefix(_ text: UnsafeBufferPointer<UInt8>, of verb: [UInt8]) -> Bool {
        text.count <= verb.count && zip(text, verb).allSatisfy { lower($0) == $1 }
    }

    /// `name` starts with `verb` (case-insensitively) and, when `wholeWord`, the verb is a whole word:
    /// `GetObject`, not `Getaway`; `Is`, not `Issue`.
    static func startsWithVerb(_ name: UnsafeBufferPointer<UInt8>, _ verb: [UInt8], wholeWord: Bool) -> Bool {
        guard name.count >= verb.count else { return false }
        for (offset, byte) in verb.enumerated() where lower(name[offset]) != byte { return false }
        guard wholeWord, name.count > verb.count else { return true }
        let next = name[verb.count]
        return (65...90).contains(next) || (48...57).contains(next)
    }

    /// One request to probe: an action and a resource it would be made on.
    struct Probe: Hashable {
        var action: String
        var resource: String
    }

    /// Requests standing for what the `allows` statements allow: each concrete action they name,
    /// the literal start of each wildcard, and, where a wildcard leaves the verb open (`s3:*`,
    /// `*`, `NotAction`), one action per verb of every service in `services`.
    static func probes(allows: [PolicyStatement], services: [String], variables: [String: String]) -> [Probe] {
        var out: [Probe] = []
        var seen: Set<Probe> = []
        let verbs = readVerbs + writeVerbs
        for statement in allows where statement.effect == .allow {
            let resources = probeResources(statement, variables: variables)
            var actions: [String] = []
            switch statement.actions {
            case .only(let patterns):
                for pattern in patterns { actions += expand(pattern, services: services, verbs: verbs) }
            case .except:
                for service in services { actions += verbs.map { "\(service):\($0)" } }
            case nil:
                continue
            }
            for action in actions where statement.coversAction(action) {
                for resource in resources {
                    let probe = Probe(action: action, resource: resource)
                    if seen.insert(probe).inserted { out.append(probe) }
                }
            }
        }
        return out
    }

    static func expand(_ pattern: String, services: [String], verbs: [String]) -> [String] {
        let service: Substring
        let name: Substring
        if let colon = pattern.firstIndex(of: ":") {
            service = pattern[..<colon]
            name = pattern[pattern.index(after: colon)...]
        } else {
            (service, name) = ("*", "*")
        }
        let targets = isWild(service) ? services.filter { Wildcard.matches(String(service), $0, caseInsensitive: true) } : [String(service)]
        let names: [String]
        if let first = name.first, first == "*" || first == "?" {
            // The verb is open: one name per verb, the rest of the pattern kept (`*Object` → GetObject, PutObject…).
            names = verbs.map { verb in fill(name.replacingFirstWildcard(with: verb)) }
        } else {
            names = [fill(String(name))]
        }
        return targets.flatMap { target in names.map { "\(target):\($0)" } }
    }

    static func isWild(_ text: Substring) -> Bool { text.contains("*") || text.contains("?") }

    /// The pattern's literal text: `*` dropped, `?` standing for one letter.
    static func fill(_ text: String) -> String {
        String(text.compactMap { $0 == "*" ? nil : ($0 == "?" ? "X" : $0) })
    }

    /// Resources to probe a statement's actions on: the ARNs (or patterns, which match themselves) it names.
    static func probeResources(_ statement: PolicyStatement, variables: [String: String]) -> [String] {
        switch statement.resources {
        case .only(let patterns):
            return patterns.compactMap { $0.contains("${") ? PolicyVariables.resolve($0, variables) : $0 }
        case .except(let excluded):
            // Anything but the excluded resources: "*" unless excluded, else a resource no pattern names.
            return excluded.contains { Wildcard.matches($0, "*", caseInsensitive: false) } ? ["arn:aws:roster-probe:::not-excluded"] : ["*"]
        case nil:
            return ["*"]
        }
    }
}

extension Substring {
    func replacingFirstWildcard(with text: String) -> String {
        guard let index = firstIndex(where: { $0 == "*" || $0 == "?" }) else { return String(self) }
        return String(self[..<index]) + text + String(self[self.index(after: index)...])
    }
}
