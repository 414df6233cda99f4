public import Foundation

/// One call by one principal, as an activity log recorded it (a CloudTrail record, a Kubernetes
/// audit event): who, what, when, from where. Activity is what an identity does; posture is what
/// it may do.
///
/// Connectors produce these from the logs; analysis folds them into usage, baselines and
/// findings; the store keeps the folded form, not every event.
public struct ActivityEvent: Sendable, Hashable, Codable {
    /// The log's own id (`eventID`, the audit `auditID`): duplicate deliveries share it.
    public var id: String
    public var time: Date
    /// `cloudtrail` or `kubernetes-audit`.
    public var source: String
    /// The account (CloudTrail `recipientAccountId`) or cluster the call was made in.
    public var scope: String?
    public var region: String?
    /// `service:Action` as IAM names it (`iam:ListUsers`, `s3:GetObject`), or for Kubernetes
    /// `verb resource` (`get secrets`).
    public var action: String
    public var actor: ActivityActor
    /// An IP address, or the AWS service that made the call for the principal (`ec2.amazonaws.com`).
    public var sourceAddress: String?
    /// The service that called on the principal's behalf (CloudTrail `userIdentity.invokedBy`).
    public var invokedBy: String?
    public var vpcEndpoint: String?
    public var userAgent: String?
    /// Set when the call failed (`AccessDenied`, `Client.UnauthorizedOperation`, `NoSuchEntity`).
    public var errorCode: String?
    public var readOnly: Bool?
    /// ARNs (or Kubernetes object paths) the call named.
    public var resources: [String]
    /// `ConsoleLogin`, `SwitchRole` and the like: a person at a console, not a program.
    public var interactive: Bool

    public init(
        id: String, time: Date, source: String, scope: String? = nil, region: String? = nil, action: String, actor: ActivityActor,
        sourceAddress: String? = nil, invokedBy: String? = nil, vpcEndpoint: String? = nil, userAgent: String? = nil,
        errorCode: String? = nil, readOnly: Bool? = nil, resources: [String] = [], interactive: Bool = false
    ) {
        self.id = id
        self.time = time
        self.source = source
        self.scope = scope
        self.region = region
        self.action = action
        self.actor = actor
        self.sourceAddress = sourceAddress
        self.invokedBy = invokedBy
        self.vpcEndpoint = vpcEndpoint
        self.userAgent = userAgent
        self.errorCode = errorCode
        self.readOnly = readOnly
        self.resources = resources
        self.interactive = interactive
    }
}

/// Who made a call, resolved as far as the log allows.
public struct ActivityActor: Sendable, Hashable, Codable {
    /// CloudTrail's `userIdentity.type` (`IAMUser`, `AssumedRole`, `Root`, `AWSService`,
    /// `FederatedUser`, `WebIdentityUser`, `SAMLUser`, `AWSAccount`), or `ServiceAccount`/`User`
    /// for Kubernetes.
    public var type: String
    /// The inventory id the call is attributed to: a user's ARN, the role's ARN for a role
    /// session (the session issuer, never the session ARN), `kubernetes:<cluster>/<ns>/<name>`
    /// for a service account; nil when the log names no such identity (an AWS service).
    public var identityId: String?
    /// The principal as the log printed it (a session ARN, a user name).
    public var principal: String
    public var accessKeyId: String?
    /// A role session's name, and the identity that started it when the log says
    /// (`sourceIdentity`, a web-identity provider, a SAML provider).
    public var sessionName: String?
    public var sourceIdentity: String?
    public var mfaAuthenticated: Bool?

    public init(
        type: String, identityId: String?, principal: String, accessKeyId: String? = nil, sessionName: String? = nil,
        sourceIdentity: String? = nil, mfaAuthenticated: Bool? = nil
    ) {
        self.type = type
        self.identityId = identityId
        self.principal = principal
        self.accessKeyId = accessKeyId
        self.sessionName = sessionName
        self.sourceIdentity = sourceIdentity
        self.mfaAuthenticated = mfaAuthenticated
    }
}
