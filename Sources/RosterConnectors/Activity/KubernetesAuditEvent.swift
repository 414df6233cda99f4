import Foundation
import RosterModel

/// Reads one `audit.k8s.io/v1` `Event` object (one line of an audit log) into an ``ActivityEvent``.
enum KubernetesAuditEvent {
    /// The event at the cursor, or nil for a stage other than `ResponseComplete` (the same call is
    /// logged again when it completes). Paths in errors are relative to the event (`user.username`).
    static func read(_ c: inout JSONCursor, cluster: String) throws(JSONScanError) -> ActivityEvent? {
        _ = try c.peek()
        let eventStart = c.i
        try c.beginObject("")
        var kind: String?
        var auditID: String?
        var stage: String?
        var verb: String?
        var requestURI: String?
        var username: String?
        var sourceIP: String?
        var userAgent: String?
        var resource: String?
        var subresource: String?
        var namespace: String?
        var name: String?
        var code: Int?
        var reason: String?
        var received: (Int, Int)?
        var stageTime: (Int, Int)?
        var first = true
        while let key = try c.nextKey(&first) {
            if c.is(key, "kind") {
                kind = try c.string("kind")
            } else if c.is(key, "auditID") {
                auditID = try c.string("auditID")
            } else if c.is(key, "stage") {
                stage = try c.string("stage")
            } else if c.is(key, "verb") {
                verb = try c.string("verb")
            } else if c.is(key, "requestURI") {
                requestURI = try c.string("requestURI")
            } else if c.is(key, "userAgent") {
                userAgent = try c.string("userAgent")
            } else if c.is(key, "requestReceivedTimestamp") {
                received = try rawTimestamp(&c, "requestReceivedTimestamp")
            } else if c.is(key, "stageTimestamp") {
                stageTime = try rawTimestamp(&c, "stageTimestamp")
            } else if c.is(key, "user") {
                try c.beginObject("user")
                var inner = true
                while let k = try c.nextKey(&inner) {
                    if c.is(k, "username") {
                        username = try c.string("user.username")
                    } else {
                        do throws(JSONScanError) { try c.skipValue() } catch { throw error.under("user.\(c.name(k))") }
                    }
                }
            } else if c.is(key, "sourceIPs") {
                if try c.peek() == UInt8(ascii: "n") {
                    try c.literal("null")
                    continue
                }
                try c.beginArray("sourceIPs")
                var inner = true
                var index = 0
                while try c.nextElement(&inner) {
                    let ip = try c.string("sourceIPs[\(index)]")
                    if index == 0 { sourceIP = ip }
                    index += 1
                }
            } else if c.is(key, "objectRef") {
                if try c.peek() == UInt8(ascii: "n") {
                    try c.literal("null")
                    continue
                }
                try c.beginObject("objectRef")
                var inner = true
                while let k = try c.nextKey(&inner) {
                    if c.is(k, "resource") {
                        resource = try c.string("objectRef.resource")
                    } else if c.is(k, "subresource") {
                        subresource = try c.string("objectRef.subresource")
                    } else if c.is(k, "namespace") {
                        namespace = try c.string("objectRef.namespace")
                    } else if c.is(k, "name") {
                        name = try c.string("objectRef.name")
                    } else {
                        do throws(JSONScanError) { try c.skipValue() } catch { throw error.under("objectRef.\(c.name(k))") }
                    }
                }
            } else if c.is(key, "responseStatus") {
                if try c.peek() == UInt8(ascii: "n") {
                    try c.literal("null")
                    continue
                }
                try c.beginObject("responseStatus")
                var inner = true
                while let k = try c.nextKey(&inner) {
                    if c.is(k, "code") {
                        code = try c.integer("responseStatus.code")
                    } else if c.is(k, "reason") {
                        reason = try c.string("responseStatus.reason")
                    } else {
                        do throws(JSONScanError) { try c.skipValue() } catch { throw error.under("responseStatus.\(c.name(k))") }
                    }
                }
            } else {
                do throws(JSONScanError) { try c.skipValue() } catch { throw error.under(c.name(key)) }
            }
        }
        func missing(_ what: String) -> JSONScanError {
            .bad(offset: eventStart, path: "", message: "the audit event has no \(what)", code: .wrongShape)
        }
        if let kind, kind != "Event" {
            throw JSONScanError.bad(offset: eventStart, path: "kind", message: "this is a \(kind), expected an audit Event", code: .wrongShape)
        }
        if let stage, stage != "ResponseComplete" { return nil }
        guard let auditID else { throw missing("auditID") }
        guard let verb else { throw missing("verb") }
        guard let username else { throw missing("user.username") }
        guard let (start, count) = received ?? stageTime else { throw missing("requestReceivedTimestamp") }
        guard let time = ActivityTime.parse(c.p + start, count: count) else {
            let text = String(decoding: UnsafeBufferPointer(start: c.p + start, count: min(count, 40)), as: UTF8.self)
            let field = received != nil ? "requestReceivedTimestamp" : "stageTimestamp"
            throw JSONScanError.bad(offset: start - 1, path: field, message: "\"\(text)\" is not an ISO 8601 timestamp", code: .wrongShape)
        }
        let action: String
        var resources: [String] = []
        if let resource {
            let what = subresource.map { "\(resource)/\($0)" } ?? resource
            action = "\(verb) \(what)"
            var path = namespace.map { "namespaces/\($0)/\(resource)" } ?? resource
            if let name { path += "/\(name)" }
            if let subresource { path += "/\(subresource)" }
            resources.append(path)
        } else {
            // A non-resource URL (`/healthz`, `/version`): the path without its query.
            let uri = requestURI.map { String($0.prefix { $0 != "?" }) } ?? ""
            action = uri.isEmpty ? verb : "\(verb) \(uri)"
        }
        return ActivityEvent(
            id: auditID,
            time: time,
            source: "kubernetes-audit",
            scope: cluster,
            action: action,
            actor: actor(username, cluster: cluster),
            sourceAddress: sourceIP,
            userAgent: userAgent,
            errorCode: code.flatMap { $0 >= 400 ? (reason ?? String($0)) : nil },
            readOnly: verb == "get" || verb == "list" || verb == "watch",
            resources: resources
        )
    }

    /// `system:serviceaccount:<ns>:<name>` → `kubernetes:<cluster>/<ns>/<name>`; other users have no inventory identity.
    static func actor(_ username: String, cluster: String) -> ActivityActor {
        let prefix = "system:serviceaccount:"
        if username.hasPrefix(prefix) {
            let rest = username.dropFirst(prefix.count).split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            if rest.count == 2, !rest[0].isEmpty, !rest[1].isEmpty {
                return ActivityActor(type: "ServiceAccount", identityId: "kubernetes:\(cluster)/\(rest[0])/\(rest[1])", principal: username)
            }
        }
        return ActivityActor(type: "User", identityId: nil, principal: username)
    }

    private static func rawTimestamp(_ c: inout JSONCursor, _ path: String) throws(JSONScanError) -> (Int, Int)? {
        if try c.peek() == UInt8(ascii: "n") {
            try c.literal("null")
            return nil
        }
        guard try c.peek() == UInt8(ascii: "\"") else { throw c.wrongType("a timestamp string", path) }
        let (start, count, escaped) = try c.rawString()
        if escaped { throw JSONScanError.bad(offset: start - 1, path: path, message: "a timestamp with escapes in it", code: .wrongShape) }
        return (start, count)
    }
}
