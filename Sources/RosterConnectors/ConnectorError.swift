/// The one error a connector throws: what went wrong, in which file, where, and what was expected.
///
/// The message never quotes a secret. `location` is a line and column for syntax errors and a
/// JSON path (`$.RoleDetailList[3].RoleName`) for shape errors.
///
/// For example:
/// ```
/// examples/aws-acme/authorization-details.json: line 812, column 5: expected ',' or '}' after an object member
/// ```
public struct ConnectorError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case malformed, wrongShape, wrongKind, unrecognised, unreadable, inconsistent, duplicateKey, tooLarge
            case configuration, authentication, accessDenied, throttled, network, service
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The bytes are not valid JSON or CSV.
        public static let malformed = Code(.malformed)
        /// Valid syntax, but a field is missing or of the wrong type.
        public static let wrongShape = Code(.wrongShape)
        /// A recognised file of another kind than the one asked for.
        public static let wrongKind = Code(.wrongKind)
        /// Not a file any connector knows.
        public static let unrecognised = Code(.unrecognised)
        /// The file cannot be read.
        public static let unreadable = Code(.unreadable)
        /// An object names the same member twice, so tools disagree on its value.
        public static let duplicateKey = Code(.duplicateKey)
        /// A file or one of its fields is larger than Roster accepts.
        public static let tooLarge = Code(.tooLarge)
        /// Files that contradict each other.
        public static let inconsistent = Code(.inconsistent)
        /// Credentials, profile, region or endpoint settings are missing or wrong.
        public static let configuration = Code(.configuration)
        /// The provider rejected the credentials (unknown key, bad signature, expired token).
        public static let authentication = Code(.authentication)
        /// The credentials are valid but not allowed to make the call.
        public static let accessDenied = Code(.accessDenied)
        /// The provider kept throttling after the retry budget was spent.
        public static let throttled = Code(.throttled)
        /// The endpoint could not be reached or timed out.
        public static let network = Code(.network)
        /// The provider answered with another error.
        public static let service = Code(.service)

        public var description: String { base.rawValue }
    }

    public var code: Code
    public var message: String
    public var file: String
    /// `line 3, column 14` or `$.UserDetailList[2].CreateDate`, when known.
    public var location: String?

    public init(_ code: Code, _ message: String, file: String, location: String? = nil) {
        self.code = code
        self.message = message
        self.file = file
        self.location = location
    }

    public var description: String {
        [file, location, message].compactMap { $0 }.joined(separator: ": ")
    }
}
