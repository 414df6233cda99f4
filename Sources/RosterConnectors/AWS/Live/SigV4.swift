import Crypto
public import Foundation
import RosterModel

/// AWS credentials: an access key pair and, for temporary credentials, a session token.
///
/// `source` says where they came from ("environment", "profile ci"), for error messages; the
/// secret is never printed.
public struct AWSCredentials: Sendable, Hashable, CustomStringConvertible {
    public var accessKeyId: String
    public var secretAccessKey: String
    public var sessionToken: String?
    public var source: String

    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, source: String) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.source = source
    }

    /// The key id shortened for messages, and where it came from; never the secret.
    public var description: String { "key \(CredentialFingerprint.preview(accessKeyId)) from \(source)" }
}

/// Signature Version 4, as AWS documents it: canonical request, string to sign, derived key, signature.
///
/// Each step is a public function so the published test vectors can check them one by one.
///
/// For example:
/// ```swift
/// let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "iam")
/// let headers = signer.signedHeaders(method: "POST", url: url, headers: [...], body: body, date: Date())
/// ```
public struct SigV4Signer: Sendable {
    public var credentials: AWSCredentials
    public var region: String
    public var service: String

    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The headers to send: the given ones plus `X-Amz-Date`, `X-Amz-Security-Token` (for session
    /// credentials) and `Authorization`. `headers` must include `host` as it goes on the wire.
    public func signedHeaders(method: String, url: URL, headers: [(String, String)], body: Data, date: Date) -> [(String, String)] {
        var all = headers
        let amzDate = Self.amzDate(date)
        all.append(("X-Amz-Date", amzDate))
        if let token = credentials.sessionToken { all.append(("X-Amz-Security-Token", token)) }
        let canonical = canonicalRequest(method: method, url: url, headers: all, body: body)
        let toSign = stringToSign(canonicalRequest: canonical.text, amzDate: amzDate)
        let key = SymmetricKey(data: signingKey(date: String(amzDate.prefix(8))))
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Data(toSign.utf8), using: key))
        let scope = "\(amzDate.prefix(8))/\(region)/\(service)/aws4_request"
        all.append(("Authorization", "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyId)/\(scope), SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"))
        return all
    }

    /// Step 1: the canonical request and the list of signed header names.
    public func canonicalRequest(method: String, url: URL, headers: [(String, String)], body: Data) -> (text: String, signedHeaders: String) {
        var byName: [String: [String]] = [:]
        for (name, value) in headers {
            let collapsed = value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            byName[name.lowercased(), default: []].append(collapsed)
        }
        let names = byName.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(byName[$0]!.joined(separator: ","))\n" }.joined()
        let signed = names.joined(separator: ";")
        let path = url.path.isEmpty ? "/" : url.path.split(separator: "/", omittingEmptySubsequences: false).map { Self.encode(String($0)) }.joined(separator: "/")
        let query = Self.canonicalQuery(URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedQuery)
        let payload = Self.hex(SHA256.hash(data: body))
        return ([method, path, query, canonicalHeaders, signed, payload].joined(separator: "\n"), signed)
    }

    /// Step 2: the string to sign.
    public func stringToSign(canonicalRequest: String, amzDate: String) -> String {
        let scope = "\(amzDate.prefix(8))/\(region)/\(service)/aws4_request"
        return "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(Self.hex(SHA256.hash(data: Data(canonicalRequest.utf8))))"
    }

    /// Step 3: the signing key for a `yyyyMMdd` date (raw bytes; print with `hex`).
    public func signingKey(date: String) -> Data {
        func hmac(_ key: Data, _ text: String) -> Data {
            Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: key)))
        }
        let secret = Data("AWS4\(credentials.secretAccessKey)".utf8)
        return hmac(hmac(hmac(hmac(secret, date), region), service), "aws4_request")
    }

    public static func amzDate(_ date: Date) -> String {
        let t = Int(date.timeIntervalSince1970)
        let day = Date(timeIntervalSince1970: TimeInterval(t)).utcDay.replacingOccurrences(of: "-", with: "")
        let seconds = ((t % 86_400) + 86_400) % 86_400
        return String(format: "%@T%02d%02d%02dZ", day, seconds / 3600, seconds / 60 % 60, seconds % 60)
    }

    /// RFC 3986 encoding as SigV4 wants it: unreserved characters kept, everything else `%XX`.
    public static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    static func canonicalQuery(_ query: String?) -> String {
        guard let query, !query.isEmpty else { return "" }
        let pairs = query.split(separator: "&").map { pair -> (String, String) in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            return (encode(name), encode(value))
        }
        return pairs.sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    public static func hex<D: Sequence>(_ bytes: D) -> String where D.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
