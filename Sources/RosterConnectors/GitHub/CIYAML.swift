import Foundation
import Yams

/// YAML reading shared by the GitHub and GitLab connectors: one parse with Yams, every parser
/// error mapped to a ``ConnectorError`` with its line and column, and located access to nodes.
///
/// Pipeline files are read as node trees (`Yams.compose`) with no tag resolution at all, so a key
/// such as `on:` stays the text `on` (YAML 1.1 would read it as `true`), repeated keys are compared
/// as written, no scalar is matched against type patterns (the costly part of a parse), and every
/// value keeps its place in the file for messages.
enum CIYAML {
    /// The most nodes one file may expand to. Aliases share nodes, so a few lines can name
    /// billions of them ("billion laughs"); walking those is refused, not attempted.
    static let nodeBudget = 2_000_000
    /// The longest value Roster keeps (a job name, a role ARN, a secret name).
    static let keptValueLimit = 4096

    /// Parses one document, refusing anything but a mapping at the top.
    /// - Throws: ``ConnectorError`` with the line and column of a syntax error or a repeated key.
    static func parse(_ file: SourceFile, expecting what: String) throws -> Node.Mapping {
        guard let text = String(data: file.data, encoding: .utf8) else {
            throw ConnectorError(.malformed, "not valid UTF-8; save the file as UTF-8", file: file.path)
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text, Resolver.basic, Constructor.default, .utf8)
        } catch let error as YamlError {
            throw located(error, file: file.path)
        }
        guard let node else {
            throw ConnectorError(.malformed, "the file is empty; expected \(what)", file: file.path, location: "line 1, column 1")
        }
        guard let mapping = node.mapping else {
            throw ConnectorError(.wrongShape, "expected \(what) (a mapping of keys at the top), found \(describe(node))", file: file.path,
                                 location: location(node))
        }
        return mapping
    }

    /// The node tree of a YAML text, or nil when it does not parse (for tests and small fragments).
    static func node(_ text: String) -> Node? { try? Yams.compose(yaml: text, Resolver.basic) }

    /// A Yams error as a located ``ConnectorError``; never quotes the file's text (it may hold secrets).
    static func located(_ error: YamlError, file: String) -> ConnectorError {
        func at(_ mark: Mark) -> String { "line \(mark.line), column \(mark.column)" }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let while_ = context.map { " (\($0.text))" } ?? ""
            return ConnectorError(.malformed, "not valid YAML: \(problem)\(while_)", file: file, location: at(mark))
        case .reader(let problem, let offset, _, _):
            return ConnectorError(.malformed, "not valid YAML text: \(problem)", file: file, location: offset.map { "byte offset \($0)" })
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.prefix(3).map { "\"\($0.prefix(80))\"" }.joined(separator: ", ")
            return ConnectorError(
                .duplicateKey, "a mapping names \(names) more than once, so tools disagree on its value; keep one", file: file,
                location: at(context.mark))
        case .dataCouldNotBeDecoded:
            return ConnectorError(.malformed, "not valid UTF-8; save the file as UTF-8", file: file)
        default:
            return ConnectorError(.malformed, "not valid YAML: \(error)", file: file)
        }
    }

    static func location(_ node: Node) -> String? {
        node.mark.map { "line \($0.line), column \($0.column)" }
    }

    /// What a node is, for messages: "a list", "a mapping", "the text \"x\"".
    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .scalar(let scalar): scalar.string.isEmpty ? "nothing" : "a single value"
        case .alias: "an alias"
        }
    }
}

extension Node {
    /// The text of a scalar, as written (no YAML 1.1 booleans): nil for lists and mappings.
    var text: String? {
        if case .scalar(let scalar) = self { return scalar.string }
        return nil
    }

    /// Whether the node is a scalar that says nothing: empty, `~` or `null` as written.
    var isNull: Bool {
        guard case .scalar(let scalar) = self, scalar.style == .plain else { return false }
        return scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null" || scalar.string == "Null" || scalar.string == "NULL"
    }

    /// A scalar's text or each scalar of a list: `branches: main` and `branches: [main, dev]` alike.
    var texts: [String] {
        switch self {
        case .scalar(let scalar): return isNull ? [] : [scalar.string]
        case .sequence(let items): return items.compactMap(\.text)
        default: return []
        }
    }
}

extension Node.Mapping {
    /// The pairs whose key is a scalar, by its text, with YAML merge keys (`<<: *defaults`) expanded
    /// the way YAML defines them: keys written in the mapping win over merged ones.
    var entries: [(key: String, value: Node)] {
        var own: [(key: String, value: Node)] = []
        var merged: [(key: String, value: Node)] = []
        for (key, value) in self {
            guard case .scalar(let scalar) = key else { continue }
            if scalar.string == "<<" && scalar.style == .plain {
                switch value {
                case .mapping(let mapping): merged += mapping.entries
                case .sequence(let items): for case .mapping(let mapping) in items { merged += mapping.entries }
                default: break
                }
            } else {
                own.append((scalar.string, value))
            }
        }
        guard !merged.isEmpty else { return own }
        let ownKeys = Set(own.map(\.key))
        var seen: Set<String> = []
        let extra = merged.filter { !ownKeys.contains($0.key) && seen.insert($0.key).inserted }
        return extra + own
    }

    /// The value of the key written as `key` (merges included), or nil.
    func value(_ key: String) -> Node? {
        for (name, value) in entries where name == key { return value }
        return nil
    }
}

/// Walks nodes with a budget, so aliases that expand without end are refused rather than followed.
struct NodeWalk {
    var remaining = CIYAML.nodeBudget
    let file: String

    init(file: String) { self.file = file }

    /// Calls `visit` on every scalar under `node` (keys included), depth first.
    mutating func scalars(_ node: Node, _ visit: (String) -> Void) throws {
        remaining -= 1
        if remaining < 0 {
            throw ConnectorError(
                .tooLarge, "the file expands to more than \(CIYAML.nodeBudget) YAML nodes (through aliases); it looks hostile or damaged",
                file: file, location: CIYAML.location(node))
        }
        switch node {
        case .scalar(let scalar): visit(scalar.string)
        case .sequence(let items): for item in items { try scalars(item, visit) }
        case .mapping(let mapping):
            for (key, value) in mapping {
                try scalars(key, visit)
                try scalars(value, visit)
            }
        case .alias: break
        }
    }
}

extension String {
    /// The value, refused when longer than Roster keeps (a hostile or damaged file).
    func kept(_ what: String, file: String, at node: Node) throws -> String {
        guard utf8.count <= CIYAML.keptValueLimit else {
            throw ConnectorError(
                .tooLarge, "\(what) is \(utf8.count) bytes long, over Roster's limit of \(CIYAML.keptValueLimit) for a single name or value",
                file: file, location: CIYAML.location(node))
        }
        return self
    }
}
