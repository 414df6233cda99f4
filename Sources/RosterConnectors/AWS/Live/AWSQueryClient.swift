import AsyncHTTPClient
public import Foundation
import NIOCore
import NIOHTTP1

/// How hard to try before giving up on throttling and transient failures.
///
/// Delays grow exponentially with full jitter (a random delay up to `base × 2ⁿ`, capped at
/// `maxDelay`), and every client shares one budget of retries, so a throttled collection
/// ends with a clear error instead of running forever.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var baseDelay: Double
    public var maxDelay: Double
    /// Retries allowed across all calls of one client.
    public var budget: Int
    public var timeout: Double

    public init(maxAttempts: Int = 6, baseDelay: Double = 0.2, maxDelay: Double = 5, budget: Int = 200, timeout: Double = 30) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.budget = budget
        self.timeout = timeout
    }
}

/// Where a service's API is and how requests to it are signed.
public struct AWSEndpoint: Sendable, Hashable {
    public var url: URL
    public var signingRegion: String
    public var service: String
    public var apiVersion: String

    public init(url: URL, signingRegion: String, service: String, apiVersion: String) {
        self.url = url
        self.signingRegion = signingRegion
        self.service = service
        self.apiVersion = apiVersion
    }
}

/// Calls an AWS Query-protocol API (IAM, STS): a signed form POST, an XML answer.
///
/// Throttling (`Throttling`, HTTP 429) and transient failures (5xx, timeouts, dropped
/// connections) are retried under ``RetryPolicy``; authentication failures are reported at once
/// with the key (shortened), where it came from, the region and what AWS said.
final class AWSQueryClient: Sendable {
    let http: HTTPClient
    let endpoint: AWSEndpoint
    let credentials: AWSCredentials
    let retry: RetryPolicy
    private let retriesLeft: RetryBudget

    static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "RequestLimitExceeded", "RequestThrottled", "SlowDown", "PriorRequestNotComplete", "BandwidthLimitExceeded",
    ]
    static let authenticationCodes: Set<String> = [
        "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException", "IncompleteSignature",
        "MissingAuthenticationToken", "UnrecognizedClientException", "InvalidAccessKeyId",
    ]

    init(http: HTTPClient, endpoint: AWSEndpoint, credentials: AWSCredentials, retry: RetryPolicy, budget: RetryBudget? = nil) {
        self.http = http
        self.endpoint = endpoint
        self.credentials = credentials
        self.retry = retry
        self.retriesLeft = budget ?? RetryBudget(retry.budget)
    }

    /// Calls `action` and returns its `<ActionResult>` element.
    func call(_ action: String, _ parameters: [(String, String)] = []) async throws -> XMLElement {
        let body = Data((([("Action", action), ("Version", endpoint.apiVersion)] + parameters)
            .map { "\(SigV4Signer.encode($0.0))=\(SigV4Signer.encode($0.1))" }.joined(separator: "&")).utf8)
        let data = try await withRetries(action) { try await self.send(body: body) }
        guard let root = XMLElement.parse(data) else {
            throw failure(.service, action, "answered with something that is not XML")
        }
        return root.first("\(action)Result") ?? root
    }

    /// Calls an operation of an AWS JSON-protocol API (Organizations): `X-Amz-Target: <prefix>.<operation>`,
    /// a JSON body, a JSON answer; errors carry `__type` and `message`. Retries as ``call(_:_:)`` does.
    func callJSON(_ operation: String, target prefix: String, _ payload: [String: String] = [:]) async throws -> [String: Any] {
        let body = try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
        let headers = [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "\(prefix).\(operation)")]
        let data = try await withRetries(operation) { try await self.send(body: body, headers: headers, json: true) }
        guard let object = (try? JSONSerialization.jsonObject(with: data.isEmpty ? Data("{}".utf8) : data)) as? [String: Any] else {
            throw failure(.service, operation, "answered with something that is not a JSON object")
        }
        return object
    }

    /// Sends until an answer: throttling and transient failures are retried under the policy and the shared
    /// budget; authentication and permission failures end at once, each with what AWS said.
    private func withRetries(_ action: String, _ send: () async throws -> Outcome) async throws -> Data {
        var attempt = 0
        while true {
            attempt += 1
            let outcome: Outcome
            do {
                outcome = try await send()
            } catch let error as ConnectorError {
                throw error
            } catch {
                outcome = .transient("\(error)")
            }
            switch outcome {
            case .success(let data):
                return data
            case .failed(let status, let code, let message, let requestId):
                if Self.throttlingCodes.contains(code) || status == 429 || (500...599).contains(status) {
                    try await backoff(action, attempt: attempt, reason: "\(code): \(message)")
                    continue
                }
                let detail = "\(code): \(message) (HTTP \(status)\(requestId.map { ", request id \($0)" } ?? ""))"
                if Self.authenticationCodes.contains(code) {
                    throw failure(.authentication, action, "AWS rejected the credentials: \(detail)")
                }
                if code == "AccessDenied" || code == "AccessDeniedException" || status == 403 {
                    throw failure(.accessDenied, action, "not allowed: \(detail)")
                }
                throw ConnectorError(.service, "\(endpoint.service) \(action) failed: \(detail)", file: endpoint.url.absoluteString, location: code)
            case .transient(let reason):
                try await backoff(action, attempt: attempt, reason: reason)
            }
        }
    }

    /// Every page of a paginated IAM call (`MaxItems`/`Marker` while `IsTruncated` is true).
    func pages(_ action: String, _ parameters: [(String, String)] = []) async throws -> [XMLElement] {
        var pages: [XMLElement] = []
        var marker: String?
        repeat {
            var request = parameters + [("MaxItems", "1000")]
            if let marker { request.append(("Marker", marker)) }
            let page = try await call(action, request)
            pages.append(page)
            // A missing IsTruncated (some emulators leave it out) means the last page.
            marker = page.text("IsTruncated") == "true" ? page.text("Marker") : nil
        } while marker != nil
        return pages
    }

    private enum Outcome {
        case success(Data)
        case failed(status: Int, code: String, message: String, requestId: String?)
        case transient(String)
    }

    private func send(
        body: Data, headers extra: [(String, String)] = [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")], json: Bool = false
    ) async throws -> Outcome {
        var request = HTTPClientRequest(url: endpoint.url.absoluteString)
        request.method = .POST
        let host = endpoint.url.port.map { "\(endpoint.url.host ?? ""):\($0)" } ?? (endpoint.url.host ?? "")
        let signer = SigV4Signer(credentials: credentials, region: endpoint.signingRegion, service: endpoint.service)
        let headers = signer.signedHeaders(method: "POST", url: endpoint.url, headers: extra + [("Host", host)], body: body, date: Date())
        for (name, value) in headers where name != "Host" { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .milliseconds(Int64(retry.timeout * 1000)))
        } catch let error as HTTPClientError where error == .connectTimeout || error == .deadlineExceeded || error == .readTimeout
            || error == .remoteConnectionClosed
        {
            return .transient("\(error)")
        } catch let error as HTTPClientError {
            throw ConnectorError(.network, "cannot reach \(endpoint.url.absoluteString): \(error)", file: endpoint.url.absoluteString)
        } catch {
            // Connection refused and DNS failures surface as NIO errors.
            throw ConnectorError(.network, "cannot reach \(endpoint.url.absoluteString): \(error)", file: endpoint.url.absoluteString)
        }
        let bytes = try await response.body.collect(upTo: 512 << 20)
        let data = Data(bytes.readableBytesView)
        let status = Int(response.status.code)
        if (200..<300).contains(status) { return .success(data) }
        if json {
            // {"__type": "com.amazonaws.organizations#AccessDeniedException", "message": "…"}
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
            let type = (object?["__type"] as? String).map { String($0.split(separator: "#").last ?? Substring($0)) }
            let message = (object?["message"] as? String) ?? (object?["Message"] as? String) ?? response.status.reasonPhrase
            return .failed(status: status, code: type ?? "HTTP\(status)", message: message, requestId: response.headers.first(name: "x-amzn-requestid"))
        }
        let root = XMLElement.parse(data)
        let error = root?.first("Error")
        let requestId = root?.first("RequestId")?.text ?? response.headers.first(name: "x-amzn-requestid")
        return .failed(status: status, code: error?.text("Code") ?? "HTTP\(status)", message: error?.text("Message") ?? response.status.reasonPhrase, requestId: requestId)
    }

    private func backoff(_ action: String, attempt: Int, reason: String) async throws {
        guard attempt < retry.maxAttempts, retriesLeft.take() else {
            throw failure(.throttled, action, "gave up after \(attempt) attempt\(attempt == 1 ? "" : "s") (retry budget spent): \(reason)")
        }
        let cap = min(retry.maxDelay, retry.baseDelay * pow(2, Double(attempt - 1)))
        try await Task.sleep(nanoseconds: UInt64(Double.random(in: 0...cap) * 1_000_000_000))
    }

    private func failure(_ code: ConnectorError.Code, _ action: String, _ message: String) -> ConnectorError {
        ConnectorError(code, "\(endpoint.service) \(action): \(message) [\(credentials), region \(endpoint.signingRegion)]", file: endpoint.url.absoluteString)
    }
}

/// Retries left for a whole collection, shared by concurrent calls.
final class RetryBudget: @unchecked Sendable {
    private let lock = NSLock()
    private var remaining: Int

    init(_ remaining: Int) {
        self.remaining = remaining
    }

    func take() -> Bool {
        lock.withLock {
            guard remaining > 0 else { return false }
            remaining -= 1
            return true
        }
    }
}
