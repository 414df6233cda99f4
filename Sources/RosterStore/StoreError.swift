/// The one error the store throws.
///
/// Messages never include SQL arguments (which could hold imported data).
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case cannotOpen, notFound, corrupt, writeFailed
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        public static let cannotOpen = Code(.cannotOpen)
        public static let notFound = Code(.notFound)
        public static let corrupt = Code(.corrupt)
        public static let writeFailed = Code(.writeFailed)

        public var description: String { base.rawValue }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
