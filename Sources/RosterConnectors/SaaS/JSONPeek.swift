import Foundation

/// A glance at a JSON document's outline without decoding it: what the top level is, its keys,
/// a few of its string values, and the keys of the first element of its arrays.
///
/// Cloud CLIs print lists as bare arrays (`az ad sp list`) and APIs wrap them (`{"value": […]}`,
/// `{"kind": "admin#directory#tokenList", "items": […]}`), so recognising a file by content needs
/// more than its top-level keys. One pass over the bytes, no allocation per value; values that
/// are not asked for are skipped, and a broken document yields what was read before the break
/// (the decoder reports the break later, with its place).
struct JSONOutline: Sendable {
    enum Top: Sendable { case object, array, other }

    var top: Top = .other
    /// Top-level keys of an object, in order; for an array, the keys of its first element (when an object).
    var keys: [String] = []
    /// The array's element count is zero (`[]`).
    var isEmptyArray = false
    /// Top-level string members that were asked for, by key.
    var strings: [String: String] = [:]
    /// For top-level members holding arrays that were asked for: the keys of the first element
    /// (empty when the array is empty or its first element is not an object).
    var firstElementKeys: [String: [String]] = [:]

    var keySet: Set<String> { Set(keys) }

    /// Reads the outline of `data`.
    /// - Parameters:
    ///   - strings: top-level keys whose string values to keep (`kind`, `@odata.context`).
    ///   - arrays: top-level keys whose arrays' first element to look into (`value`, `items`).
    ///   - stop: top-level keys whose string value settles what the document is (`kind`): once one is read, the rest is not.
    static func read(_ data: Data, strings: Set<String> = [], arrays: Set<String> = [], stop: Set<String> = []) -> JSONOutline {
        data.withUnsafeBytes { buffer in
            var scanner = Peek(bytes: buffer)
            return scanner.outline(strings: strings, arrays: arrays, stop: stop)
        }
    }

    private struct Peek {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func outline(strings wanted: Set<String>, arrays: Set<String>, stop: Set<String>) -> JSONOutline {
            var out = JSONOutline()
            skipWhitespace()
            switch peek {
            case UInt8(ascii: "["):
                out.top = .array
                index += 1
                skipWhitespace()
                if peek == UInt8(ascii: "]") {
                    out.isEmptyArray = true
                } else if peek == UInt8(ascii: "{") {
                    out.keys = objectKeys()
                }
            case UInt8(ascii: "{"):
                out.top = .object
                index += 1
                while true {
                    skipWhitespace()
                    guard peek == UInt8(ascii: "\""), let key = string() else { break }
                    out.keys.append(key)
                    skipWhitespace()
                    guard peek == UInt8(ascii: ":") else { break }
                    index += 1
                    skipWhitespace()
                    if wanted.contains(key), peek == UInt8(ascii: "\"") {
                        guard let value = string() else { break }
                        out.strings[key] = value
                        if stop.contains(key) { break }
                    } else if arrays.contains(key), peek == UInt8(ascii: "[") {
                        index += 1
                        skipWhitespace()
                        out.firstElementKeys[key] = peek == UInt8(ascii: "{") ? objectKeys() : []
                        guard skipRestOfContainer() else { break }
                    } else {
                        guard skipValue() else { break }
                    }
                    skipWhitespace()
                    guard peek == UInt8(ascii: ",") else { break }
                    index += 1
                }
            default:
                break
            }
            return out
        }

        /// The keys of the object starting at `index`, leaving `index` after it.
        mutating func objectKeys() -> [String] {
            index += 1
            var keys: [String] = []
            while true {
                skipWhitespace()
                guard peek == UInt8(ascii: "\""), let key = string() else { return keys }
                keys.append(key)
                skipWhitespace()
                guard peek == UInt8(ascii: ":") else { return keys }
                index += 1
                guard skipValue() else { return keys }
                skipWhitespace()
                guard peek == UInt8(ascii: ",") else {
                    if peek == UInt8(ascii: "}") { index += 1 }
                    return keys
                }
                index += 1
            }
        }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x0A, 0x0D, 0x09: index += 1
                default: return
                }
            }
        }

        /// Reads a string at `index` (a quote), decoding the common escapes; nil when it is cut off.
        mutating func string() -> String? {
            index += 1
            let start = index
            var escaped = false
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
                    index += 1
                    let text = String(decoding: raw, as: UTF8.self)
                    return escaped ? Self.unescape(text) : text
                case UInt8(ascii: "\\"):
                    escaped = true
                    index += 2
                default:
                    index += 1
                }
            }
            return nil
        }

        static func unescape(_ text: String) -> String {
            guard let data = "\"\(text)\"".data(using: .utf8), let value = try? JSONDecoder().decode(String.self, from: data) else { return text }
            return value
        }

        /// Skips one value (any kind); false when the text breaks off.
        mutating func skipValue() -> Bool {
            skipWhitespace()
            guard let byte = peek else { return false }
            switch byte {
            case UInt8(ascii: "\""):
                return skipString()
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                index += 1
                return skipRestOfContainer()
            default:
                // A number or literal: up to the next delimiter.
                while index < bytes.count {
                    switch bytes[index] {
                    case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09: return true
                    default: index += 1
                    }
                }
                return true
            }
        }

        mutating func skipString() -> Bool {
            index += 1
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    index += 1
                    return true
                case UInt8(ascii: "\\"): index += 2
                default: index += 1
                }
            }
            return false
        }

        /// Skips to just after the bracket that closes the container already entered.
        mutating func skipRestOfContainer() -> Bool {
            var depth = 1
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "\""):
                    guard skipString() else { return false }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        index += 1
                        return true
                    }
                default:
                    break
                }
                index += 1
            }
            return false
        }
    }
}
