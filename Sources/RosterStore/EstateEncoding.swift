import Crypto
import Foundation
import RosterModel

/// The kinds of versioned objects a snapshot is made of.
enum ObjectType: String, Sendable, CaseIterable {
    case identity, credential, policy, grant, resource, edge
}

/// One version of one object, encoded: its canonical JSON and the id derived from it.
struct EncodedObject: Sendable {
    var type: ObjectType
    var key: String
    var fingerprint: String?
    var data: Data
    /// The first 8 bytes of SHA-256(type, data): equal content, equal id, in every database.
    var vid: Int64
}

/// Canonical encoding of estates into versioned objects, and back.
enum EstateEncoding {
    /// Every object of `estate` (which must be sorted), in a fixed order.
    static func encode(_ estate: Estate) throws -> [EncodedObject] {
        var out: [EncodedObject] = []
        out.reserveCapacity(estate.identities.count + estate.credentials.count + estate.policies.count + estate.grants.count + estate.resources.count
            + estate.edges.count)
        func add<T: Encodable & Sendable>(_ values: [T], _ type: ObjectType, key: (T) -> String, fingerprint: (T) -> String? = { _ in nil }) throws {
            try Parallel.map(values, { value in
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                let data = try encoder.encode(value)
                return (data, vid(type, data))
            }) { value, encoded in
                out.append(EncodedObject(type: type, key: key(value), fingerprint: fingerprint(value), data: encoded.0, vid: encoded.1))
            }
        }
        try add(estate.identities, .identity, key: \.id)
        try add(estate.credentials, .credential, key: \.id, fingerprint: \.fingerprint)
        try add(estate.policies, .policy, key: \.id)
        try add(estate.grants, .grant, key: { "\($0.subjectId)\u{1F}\($0.policyId)\u{1F}\($0.via.rawValue)" })
        try add(estate.resources, .resource, key: \.id)
        try add(estate.edges, .edge, key: { "\($0.from)\u{1F}\($0.to)\u{1F}\($0.kind.rawValue)" })
        return out
    }

    static func vid(_ type: ObjectType, _ data: Data) -> Int64 {
        var hasher = SHA256()
        hasher.update(data: Data(type.rawValue.utf8))
        hasher.update(data: [0])
        hasher.update(data: data)
        var value: UInt64 = 0
        for byte in hasher.finalize().prefix(8) { value = value << 8 | UInt64(byte) }
        return Int64(bitPattern: value)
    }

    /// The content digest of a snapshot: its scope and its objects' ids, in order.
    static func digest(scope: String, objects: [EncodedObject]) -> String {
        var hasher = SHA256()
        hasher.update(data: Data(scope.utf8))
        for object in objects {
            withUnsafeBytes(of: object.vid.bigEndian) { hasher.update(bufferPointer: $0) }
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    /// Adds one stored object to `estate`.
    /// - Throws: ``StoreError/Code/corrupt`` for a type or content this build cannot read.
    static func decode(type: String, data: Data, into estate: inout Estate, decoder: JSONDecoder) throws {
        func value<T: Decodable>(_ t: T.Type) throws -> T {
            do {
                return try decoder.decode(T.self, from: data)
            } catch {
                throw StoreError(.corrupt, "a stored \(type) cannot be read (\(error)); the database may come from a newer Roster")
            }
        }
        switch ObjectType(rawValue: type) {
        case .identity: estate.identities.append(try value(Identity.self))
        case .credential: estate.credentials.append(try value(Credential.self))
        case .policy: estate.policies.append(try value(Policy.self))
        case .grant: estate.grants.append(try value(Grant.self))
        case .resource: estate.resources.append(try value(Resource.self))
        case .edge: estate.edges.append(try value(Edge.self))
        case nil: throw StoreError(.corrupt, "the database holds objects of type \"\(type)\", which this Roster does not know; it may come from a newer Roster")
        }
    }
}
