import Foundation
import RosterModel

/// Reads an IAM policy document in any form AWS hands it out: a JSON object (AWS CLI output),
/// a JSON string, or a URL-encoded JSON string (raw IAM API responses).
enum AWSPolicyDocument {
    struct Invalid: Error {
        var path: String
        var expected: String
    }

    static func parse(_ value: JSONValue) throws(Invalid) -> PolicyDocument {
        switch value {
        case .object(let object):
            return try parse(object: object)
        case .string(let text):
            // URL-encoded in raw API answers; plain JSON in some (moto's trust policies). Percent-decoding
            // plain JSON would corrupt a literal % in a condition value, so decode only what is not JSON.
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            let decoded = trimmed.hasPrefix("{") ? trimmed : (trimmed.removingPercentEncoding ?? trimmed)
            let data = Data(decoded.utf8)
            // The file's own check cannot see inside this text, so repeated keys are looked for here.
            if let problem = JSONSyntax.check(data), problem.kind == .duplicateKey {
                throw Invalid(path: "", expected: "each key once in the encoded policy document, but at \(problem.path) \(problem.message)")
            }
            guard let inner = try? JSONDecoder().decode(JSONValue.self, from: data) else {
                throw Invalid(path: "", expected: "a policy document (a JSON object, or URL-encoded JSON text)")
            }
            if case .string = inner { throw Invalid(path: "", expected: "a policy document object") }
            return try parse(inner)
        default:
            throw Invalid(path: "", expected: "a policy document object with \"Statement\"")
        }
    }

    private static func parse(object: [String: JSONValue]) throws(Invalid) -> PolicyDocument {
        let version = try text(object["Version"], at: ".Version")
        let statements: [JSONValue]
        switch object["Statement"] {
        case .array(let list): statements = list
        case .object(let single): statements = [.object(single)]
        case nil: statements = []
        default: throw Invalid(path: ".Statement", expected: "an object or an array of objects")
        }
        var parsed: [PolicyStatement] = []
        parsed.reserveCapacity(statements.count)
        for (index, statement) in statements.enumerated() {
            guard case .object(let fields) = statement else {
                throw Invalid(path: ".Statement[\(index)]", expected: "a statement object")
            }
            parsed.append(try parse(statement: fields, at: ".Statement[\(index)]"))
        }
        return PolicyDocument(version: version, statements: parsed)
    }

    private static func parse(statement s: [String: JSONValue], at path: String) throws(Invalid) -> PolicyStatement {
        let effect: PolicyStatement.Effect
        switch s["Effect"]?.scalarText {
        case "Allow": effect = .allow
        case "Deny": effect = .deny
        default: throw Invalid(path: path + ".Effect", expected: "\"Allow\" or \"Deny\"")
        }
        func list(_ key: String) throws(Invalid) -> [String]? {
            guard let value = s[key] else { return nil }
            return try strings(value, at: "\(path).\(key)")
        }
        func match(_ key: String, _ notKey: String) throws(Invalid) -> PolicyStatement.ActionMatch? {
            if let only = try list(key) { return .only(only) }
            if let except = try list(notKey) { return .except(except) }
            return nil
        }
        var principals: PolicyStatement.Match<PrincipalSet>?
        if let value = s["Principal"] {
            principals = .only(try principalSet(value, at: path + ".Principal"))
        } else if let value = s["NotPrincipal"] {
            principals = .except(try principalSet(value, at: path + ".NotPrincipal"))
        }
        var conditions: [PolicyCondition] = []
        if let block = s["Condition"] {
            guard case .object(let operators) = block else { throw Invalid(path: path + ".Condition", expected: "an object of operators") }
            for (op, tests) in operators.sorted(by: { $0.key < $1.key }) {
                guard case .object(let keys) = tests else { throw Invalid(path: "\(path).Condition.\(op)", expected: "an object of condition keys") }
                for (key, value) in keys.sorted(by: { $0.key < $1.key }) {
                    guard let values = value.stringList else {
                        throw Invalid(path: "\(path).Condition.\(op).\(key)", expected: "a string or a list of strings")
                    }
                    conditions.append(PolicyCondition(operator: op, key: key, values: values))
                }
            }
        }
        return PolicyStatement(
            sid: try text(s["Sid"], at: path + ".Sid"),
            effect: effect,
            principals: principals,
            actions: try match("Action", "NotAction"),
            resources: try match("Resource", "NotResource"),
            conditions: conditions
        )
    }

    /// A string or a list of strings, refusing a number, `true` or an object, as IAM does, with the path to it.
    private static func strings(_ value: JSONValue, at path: String) throws(Invalid) -> [String] {
        if let list = value.strings { return list }
        if case .array(let items) = value, let index = items.firstIndex(where: { $0.kindName != "a string" }) {
            throw Invalid(path: "\(path)[\(index)]", expected: "a string, found \(items[index].kindName)")
        }
        throw Invalid(path: path, expected: "a string or a list of strings, found \(value.kindName)")
    }

    /// An optional string member (Version, Sid), refusing any other type.
    private static func text(_ value: JSONValue?, at path: String) throws(Invalid) -> String? {
        switch value {
        case nil: return nil
        case .string(let text): return text
        case let other?: throw Invalid(path: path, expected: "a string, found \(other.kindName)")
        }
    }

    private static func principalSet(_ value: JSONValue, at path: String) throws(Invalid) -> PrincipalSet {
        switch value {
        case .string("*"):
            return PrincipalSet(everyone: true)
        case .object(let types):
            var set = PrincipalSet()
            for (type, ids) in types {
                let list = try strings(ids, at: "\(path).\(type)")
                switch type {
                case "AWS": set.aws += list
                case "Service": set.service += list
                case "Federated": set.federated += list
                case "CanonicalUser": set.canonicalUser += list
                default: throw Invalid(path: "\(path).\(type)", expected: "a principal type: AWS, Service, Federated or CanonicalUser")
                }
            }
            set.aws.sort()
            set.service.sort()
            set.federated.sort()
            set.canonicalUser.sort()
            return set
        default:
            throw Invalid(path: path, expected: "\"*\" or an object such as {\"AWS\": \"arn:aws:iam::123456789012:root\"}")
        }
    }
}
