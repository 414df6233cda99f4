import Foundation
import RosterModel

/// The `userIdentity` fields identity resolution needs, as a record wrote them.
struct CloudTrailIdentity {
    var type: String?
    var principalId: String?
    var arn: String?
    var accountId: String?
    var accessKeyId: String?
    var userName: String?
    var invokedBy: String?
    var identityProvider: String?
    var issuerType: String?
    var issuerArn: String?
    var mfaAuthenticated: Bool?
    var sourceIdentity: String?
    var federatedProvider: String?
}

/// Reads one CloudTrail record object into an ``ActivityEvent``, decoding only the fields it needs.
enum CloudTrailRecord {
    /// The record at the cursor, or nil for a record that is no call by a principal (a CloudTrail Insights event).
    /// Paths in errors are relative to the record (`userIdentity.arn`).
    static func read(_ c: inout JSONCursor) throws(JSONScanError) -> ActivityEvent? {
        _ = try c.peek()
        let recordStart = c.i
        try c.beginObject("")
        var id: String?
        var timeText: (Int, Int)?
        var eventSource: String?
        var eventName: String?
        var region: String?
        var recipient: String?
        var sourceIP: String?
        var userAgent: String?
        var errorCode: String?
        var readOnly: Bool?
        var vpcEndpoint: String?
        var eventType: String?
        var resources: [String] = []
        var identity: CloudTrailIdentity?
        var first = true
        while let key = try c.nextKey(&first) {
            switch key.count {
            case 7 where c.is(key, "eventID"): id = try c.string("eventID")
            case 9 where c.is(key, "eventTime"):
                guard try c.peek() == UInt8(ascii: "\"") else { throw c.wrongType("a timestamp string", "eventTime") }
                let at = c.i
                let (start, count, escaped) = try c.rawString()
                if escaped { throw c.bad("a timestamp with escapes in it", at: at).under("eventTime") }
                timeText = (start, count)
            case 11 where c.is(key, "eventSource"): eventSource = try c.string("eventSource")
            case 9 where c.is(key, "eventName"): eventName = try c.string("eventName")
            case 9 where c.is(key, "awsRegion"): region = try c.string("awsRegion")
            case 18 where c.is(key, "recipientAccountId"): recipient = try c.string("recipientAccountId")
            case 15 where c.is(key, "sourceIPAddress"): sourceIP = try c.string("sourceIPAddress")
            case 9 where c.is(key, "userAgent"): userAgent = try c.string("userAgent")
            case 9 where c.is(key, "errorCode"): errorCode = try c.string("errorCode")
            case 8 where c.is(key, "readOnly"): readOnly = try c.bool("readOnly")
            case 13 where c.is(key, "vpcEndpointId"): vpcEndpoint = try c.string("vpcEndpointId")
            case 9 where c.is(key, "eventType"): eventType = try c.string("eventType")
            case 9 where c.is(key, "resources"): try readResources(&c, into: &resources)
            case 17 where c.is(key, "requestParameters"): try readRequestARNs(&c, into: &resources)
            case 12 where c.is(key, "userIdentity"): identity = try readIdentity(&c)
            default:
                do throws(JSONScanError) { try c.skipValue() } catch { throw error.under(c.name(key)) }
            }
        }
        if eventType == "AwsCloudTrailInsight" { return nil }
        func missing(_ name: String) -> JSONScanError {
            .bad(offset: recordStart, path: "", message: "the record has no \(name)", code: .wrongShape)
        }
        guard let id else { throw missing("eventID") }
        guard let timeText else { throw missing("eventTime") }
        guard let eventSource else { throw missing("eventSource") }
        guard let eventName else { throw missing("eventName") }
        // A record without userIdentity (some service events) is still a call in the account: an unknown caller.
        let caller = identity ?? CloudTrailIdentity()
        guard let time = ActivityTime.parse(c.p + timeText.0, count: timeText.1) else {
            let text = String(decoding: UnsafeBufferPointer(start: c.p + timeText.0, count: min(timeText.1, 40)), as: UTF8.self)
            throw JSONScanError.bad(
                offset: timeText.0 - 1,
                path: "eventTime",
                message: "\"\(text)\" is not an ISO 8601 timestamp",
                code: .wrongShape
            )
        }
        let interactive =
            eventName == "ConsoleLogin" || eventName == "SwitchRole" || eventName == "GetSigninToken"
            || (eventName == "AssumeRole" && (userAgent == "signin.amazonaws.com" || userAgent == "AWS Internal"))
        return ActivityEvent(
            id: id,
            time: time,
            source: "cloudtrail",
            scope: recipient ?? caller.accountId,
            region: region,
            action: "\(ServicePrefix.of(eventSource)):\(eventName)",
            actor: resolve(caller),
            sourceAddress: sourceIP,
            invokedBy: caller.invokedBy,
            vpcEndpoint: vpcEndpoint,
            userAgent: userAgent,
            errorCode: errorCode,
            readOnly: readOnly,
            resources: resources,
            interactive: interactive
        )
    }

    /// `resources[].ARN`.
    private static func readResources(_ c: inout JSONCursor, into resources: inout [String]) throws(JSONScanError) {
        if try c.peek() == UInt8(ascii: "n") { return try c.literal("null") }
        try c.beginArray("resources")
        var first = true
        var index = 0
        while try c.nextElement(&first) {
            do throws(JSONScanError) {
                try c.beginObject("")
                var inner = true
                while let key = try c.nextKey(&inner) {
                    if c.is(key, "ARN") {
                        if let arn = try c.string("ARN") { resources.append(arn) }
                    } else {
                        do throws(JSONScanError) { try c.skipValue() } catch { throw error.under(c.name(key)) }
                    }
                }
            } catch {
                throw error.under("resources[\(index)]")
            }
            index += 1
        }
    }

    /// ARNs among the top-level members of `requestParameters` (`roleArn`, `policyArn`, …): one level, strings only.
    private static func readRequestARNs(_ c: inout JSONCursor, into resources: inout [String]) throws(JSONScanError) {
        guard try c.peek() == UInt8(ascii: "{") else {
            do throws(JSONScanError) { return try c.skipValue() } catch { throw error.under("requestParameters") }
        }
        c.i += 1
        var first = true
        while let key = try c.nextKey(&first) {
            let b = try c.peek()
            if b == UInt8(ascii: "\""), c.end - c.i > 5, c.p[c.i + 1] == UInt8(ascii: "a"), c.p[c.i + 2] == UInt8(ascii: "r"),
                c.p[c.i + 3] == UInt8(ascii: "n"), c.p[c.i + 4] == UInt8(ascii: ":")
            {
                if let arn = try c.string("requestParameters") { resources.append(arn) }
            } else {
                do throws(JSONScanError) { try c.skipValue() } catch { throw error.under("requestParameters.\(c.name(key))") }
            }
        }
    }

    private static func readIdentity(_ c: inout JSONCursor) throws(JSONScanError) -> CloudTrailIdentity {
        var identity = CloudTrailIdentity()
        try c.beginObject("userIdentity")
        var first = true
        while let key = try c.nextKey(&first) {
            switch key.count {
            case 4 where c.is(key, "type"): identity.type = try c.string("userIdentity.type")
            case 11 where c.is(key, "principalId"): identity.principalId = try c.string("userIdentity.principalId")
            case 3 where c.is(key, "arn"): identity.arn = try c.string("userIdentity.arn")
            case 9 where c.is(key, "accountId"): identity.accountId = try c.string("userIdentity.accountId")
            case 11 where c.is(key, "accessKeyId"): identity.accessKeyId = try c.string("userIdentity.accessKeyId")
            case 8 where c.is(key, "userName"): identity.userName = try c.string("userIdentity.userName")
            case 9 where c.is(key, "invokedBy"): identity.invokedBy = try c.string("userIdentity.invokedBy")
            case 16 where c.is(key, "identityProvider"): identity.identityProvider = try c.string("userIdentity.identityProvider")
            case 14 where c.is(key, "sessionContext"): try readSession(&c, into: &identity)
            default:
                do throws(JSONScanError) { try c.skipValue() } catch { throw error.under("userIdentity.\(c.name(key))") }
            }
        }
        return identity
    }

    private static func readSession(_ c: inout JSONCursor, into identity: inout CloudTrailIdentity) throws(JSONScanError) {
        if try c.peek() == UInt8(ascii: "n") { return try c.literal("null") }
        try c.beginObject("userIdentity.sessionContext")
        var first = true
        while let key = try c.nextKey(&first) {
            if c.is(key, "sessionIssuer") {
                if try c.peek() == UInt8(ascii: "n") {
                    try c.literal("null")
                    continue
                }
                try c.beginObject("userIdentity.sessionContext.sessionIssuer")
                var inner = true
                while let k = try c.nextKey(&inner) {
                    if c.is(k, "type") {
                        identity.issuerType = try c.string("userIdentity.sessionContext.sessionIssuer.type")
                    } else if c.is(k, "arn") {
                        identity.issuerArn = try c.string("userIdentity.sessionContext.sessionIssuer.arn")
                    } else {
                        do throws(JSONScanError) { try c.skipValue() } catch {
                            throw error.under("userIdentity.sessionContext.sessionIssuer.\(c.name(k))")
                        }
                    }
                }
            } else if c.is(key, "attributes") {
                if try c.peek() == UInt8(ascii: "n") {
                    try c.literal("null")
                    continue
                }
                try c.beginObject("userIdentity.sessionContext.attributes")
                var inner = true
                while let k = try c.nextKey(&inner) {
                    if c.is(k, "mfaAuthenticated") {
                        identity.mfaAuthenticated = try c.bool("userIdentity.sessionContext.attributes.mfaAuthenticated")
                    } else {
                        do throws(JSONScanError) { try c.skipValue() } catch {
                            throw error.under("userIdentity.sessionContext.attributes.\(c.name(k))")
                        }
                    }
                }
            } else if c.is(key, "sourceIdentity") {
                identity.sourceIdentity = try c.string("userIdentity.sessionContext.sourceIdentity")
            } else if c.is(key, "webIdFederationData") {
                if try c.peek() == UInt8(ascii: "n") {
                    try c.literal("null")
                    continue
                }
                try c.beginObject("userIdentity.sessionContext.webIdFederationData")
                var inner = true
                while let k = try c.nextKey(&inner) {
                    if c.is(k, "federatedProvider") {
                        identity.federatedProvider = try c.string("userIdentity.sessionContext.webIdFederationData.federatedProvider")
                    } else {
                        do throws(JSONScanError) { try c.skipValue() } catch {
                            throw error.under("userIdentity.sessionContext.webIdFederationData.\(c.name(k))")
                        }
                    }
                }
            } else {
                do throws(JSONScanError) { try c.skipValue() } catch { throw error.under("userIdentity.sessionContext.\(c.name(key))") }
            }
        }
    }
}
