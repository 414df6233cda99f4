/// Any JSON value, for the parts of a source file whose shape is open (policy documents).
enum JSONValue: Decodable, Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        // Policy documents are mostly strings, lists and objects: try those first, since every
        // failed attempt costs a thrown error.
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else {
            self = .number(try container.decode(Double.self))
        }
    }

    /// The value as policy grammar reads a scalar: strings as they are, numbers and booleans as text.
    var scalarText: String? {
        switch self {
        case .string(let s): s
        case .bool(let b): b ? "true" : "false"
        case .number(let n): n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        default: nil
        }
    }

    /// What the value is, for messages: "a number", "an object".
    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "true or false"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// A string or a list of strings, strictly: nil when the value or one of its elements is anything else.
    ///
    /// For the parts of a policy that name things (actions, resources, principals), where IAM
    /// refuses a number or `true`, so Roster must not read one as text.
    var strings: [String]? {
        switch self {
        case .string(let text): return [text]
        case .array(let items):
            var out: [String] = []
            out.reserveCapacity(items.count)
            for item in items {
                guard case .string(let text) = item else { return nil }
                out.append(text)
            }
            return out
        default: return nil
        }
    }

    /// A string or a list of scalars (condition values may be numbers or booleans), as a list of text.
    var stringList: [String]? {
        switch self {
        case .array(let items):
            var out: [String] = []
            for item in items {
                guard let text = item.scalarText else { return nil }
                out.append(text)
            }
            return out
        default:
            return scalarText.map { [$0] }
        }
    }
}
