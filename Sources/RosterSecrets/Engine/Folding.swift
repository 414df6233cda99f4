/// Turns candidates into one finding per secret.
///
/// - The same bytes matched by two rules are one secret: a specific rule wins over a generic
///   one (an AWS secret assigned to `aws_secret_access_key` is that, not a generic secret), and
///   a longer match over a shorter one inside it.
/// - An AWS secret access key within a few lines of an access key id is paired with it: one
///   finding for the key, carrying the secret's fingerprint.
/// - A private key inside a GCP service-account key file is part of that key, not a second leak.
enum Folding {
    /// How far (in bytes) a secret access key may be from its key id to be paired with it.
    static let pairingDistance = 1024

    static func fold(_ raw: [SecretScanner.Candidate], rules: [SecretRule], buffer: UnsafeRawBufferPointer, ownedPrefixes: [String] = []) -> [SecretScanner.Candidate] {
        var candidates = raw.filter { candidate in
            guard rules[candidate.rule].provider == "generic", !ownedPrefixes.isEmpty else { return true }
            let lower = candidate.value.lowercased()
            return !ownedPrefixes.contains { lower.hasPrefix($0) }
        }
        // Position, then longer first, then rule order: the same input always folds the same way.
        // A value decoded from its encoding says more than the encoded text matched as it stands.
        candidates.sort {
            ($0.range.lowerBound, -$0.range.count, $0.rule, $0.attributes["encoding"] == nil ? 1 : 0)
                < ($1.range.lowerBound, -$1.range.count, $1.rule, $1.attributes["encoding"] == nil ? 1 : 0)
        }
        // One per rule and place.
        var seen = Set<[Int]>()
        candidates = candidates.filter { seen.insert([$0.rule, $0.range.lowerBound, $0.range.upperBound]).inserted }
        // Overlaps.
        var kept: [SecretScanner.Candidate] = []
        for candidate in candidates {
            if let last = kept.indices.last(where: { kept[$0].range.overlaps(candidate.range) }) {
                let other = kept[last]
                if prefer(candidate, over: other, rules: rules) { kept[last] = candidate }
                continue
            }
            kept.append(candidate)
        }
        // A key file's private key belongs to the key.
        let keyFiles = kept.filter { rules[$0.rule].fingerprint == .gcpServiceAccountKeyId }.map(\.range)
        if !keyFiles.isEmpty {
            kept.removeAll { candidate in
                rules[candidate.rule].id.hasPrefix("private-key.")
                    && keyFiles.contains { abs($0.lowerBound - candidate.range.lowerBound) < 8 * 1024 }
            }
        }
        return pairAWS(kept, rules: rules)
    }

    private static func prefer(_ a: SecretScanner.Candidate, over b: SecretScanner.Candidate, rules: [SecretRule]) -> Bool {
        let aGeneric = rules[a.rule].provider == "generic"
        let bGeneric = rules[b.rule].provider == "generic"
        if aGeneric != bGeneric { return bGeneric }
        if a.range == b.range { return a.attributes["encoding"] != nil && b.attributes["encoding"] == nil }
        return a.range.count > b.range.count
    }

    private static func pairAWS(_ candidates: [SecretScanner.Candidate], rules: [SecretRule]) -> [SecretScanner.Candidate] {
        let keyIds = candidates.indices.filter { rules[candidates[$0].rule].fingerprint == .awsAccessKeyId }
        let secrets = candidates.indices.filter { rules[candidates[$0].rule].fingerprint == .awsSecretAccessKey }
        guard !keyIds.isEmpty, !secrets.isEmpty else { return candidates }
        var result = candidates
        var used = Set<Int>()
        for k in keyIds where result[k].paired == nil {
            let key = result[k].range.lowerBound
            let nearest = secrets.filter { !used.contains($0) }
                .min { abs(candidates[$0].range.lowerBound - key) < abs(candidates[$1].range.lowerBound - key) }
            guard let s = nearest, abs(candidates[s].range.lowerBound - key) <= pairingDistance else { continue }
            used.insert(s)
            result[k].paired = (candidates[s].rule, candidates[s].range, candidates[s].value)
        }
        return result.enumerated().filter { !used.contains($0.offset) }.map(\.element)
    }

    /// `roster:allow` (or gitleaks' `gitleaks:allow`) on the secret's line accepts it.
    static func allowedInline(_ buffer: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        let line = CompiledRule.lineWindow(buffer, around: offset)
        let markers = [Array("roster:allow".utf8), Array("gitleaks:allow".utf8)]
        for marker in markers where ArmoredKey.find(marker, in: buffer, from: line.lowerBound, limit: line.upperBound) != nil { return true }
        return false
    }
}
