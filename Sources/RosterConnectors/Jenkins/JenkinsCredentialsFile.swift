import Foundation

/// A Jenkins controller's `$JENKINS_HOME/credentials.xml` (the system credentials store), as
/// XStream writes it, read with ``StrictXML``, with every secret value dropped at parse time.
///
/// ```xml
/// <com.cloudbees.plugins.credentials.SystemCredentialsProvider plugin="credentials@1337.v60b_d7b_c7b_c9f">
///   <domainCredentialsMap class="hudson.util.CopyOnWriteMap$Hash">
///     <entry>
///       <com.cloudbees.plugins.credentials.domains.Domain><specifications/></com.cloudbees.plugins.credentials.domains.Domain>
///       <java.util.concurrent.CopyOnWriteArrayList>
///         <com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl>
///           <scope>GLOBAL</scope><id>nexus</id><description>…</description>
///           <username>ci</username><password>{AQAAABAAAAAQ…}</password>
/// ```
///
/// Each `<entry>` pairs a domain (the global one has no `<name>`) with a list of credentials
/// (`java.util.concurrent.CopyOnWriteArrayList`, or `list` in older files). A credential is an
/// element named by its Java class; its fields are child elements, nested ones such as
/// `privateKeySource` with a `class` attribute. Fields that hold secrets keep only their name and
/// whether the value is encrypted: Jenkins encrypts them with the controller's master key
/// (`{AQAAABAAAA…}`), and a hash of that ciphertext would say nothing about the secret itself.
struct JenkinsCredentialsFile: Sendable {
    static let rootElement = "com.cloudbees.plugins.credentials.SystemCredentialsProvider"
    static let domainElement = "com.cloudbees.plugins.credentials.domains.Domain"

    /// `credentials@<version>`, from the root element's `plugin` attribute.
    var plugin: String?
    var credentials: [JenkinsStoredCredential]
}

/// One credential of the store, with its non-secret fields and the state of its secret ones.
struct JenkinsStoredCredential: Sendable {
    /// The element name: the Java class as XStream writes it (`$` as `_-`).
    var className: String
    /// `plain-credentials@1.8`, when the element says.
    var plugin: String?
    /// The domain's name; nil for the global domain (`_` in Jenkins URLs).
    var domain: String?
    /// Where the element is, for messages: `entry 2, credential 3`.
    var place: String
    /// Non-secret field values by path (`id`, `username`, `privateKeySource/@class`), trimmed.
    var fields: [String: String]
    /// The fields that hold secrets, in document order: never their values.
    var secrets: [JenkinsSecretField]

    /// The class's last name component: `UsernamePasswordCredentialsImpl`.
    var shortClassName: String { className.lastIndex(of: ".").map { String(className[className.index(after: $0)...]) } ?? className }

    /// A field's value when present and not blank.
    subscript(_ path: String) -> String? {
        guard let value = fields[path], !value.isEmpty else { return nil }
        return value
    }
}

/// A field holding a secret: its path in the credential element and how its value is stored.
struct JenkinsSecretField: Sendable, Hashable {
    var path: String
    var state: JenkinsSecretState
}

/// How a secret field's value is stored in the file.
enum JenkinsSecretState: String, Sendable, Hashable {
    /// Encrypted with the controller's key: `{base64}`, or the pre-2017 bare base64 form of `hudson.util.Secret`.
    case encrypted
    /// Readable by anyone who can read the file or a backup of it.
    case plaintext
    /// No value.
    case empty
    /// A template variable (`${SECRET}`) a provisioning tool had yet to fill in: no secret.
    case placeholder
}

extension JenkinsCredentialsFile {
    /// Field names (the last component of a path) that hold secrets in the credential classes
    /// Jenkins and its common plugins ship; a field of another name counts when its value is
    /// Jenkins-encrypted.
    static let secretFieldNames: Set<String> = [
        "password", "secret", "secretKey", "privateKey", "passphrase", "secretBytes", "uploadedKeystoreBytes", "uploadedKeystore",
        "token", "apiToken", "accessToken", "clientSecret", "privateKeyPassphrase", "keyStorePassword", "jsonKey", "p12Key",
    ]

    /// Fields whose plain form is base64 of bytes (`com.cloudbees.plugins.credentials.SecretBytes`), so only `{…}` is encrypted.
    static let bytesFieldNames: Set<String> = ["secretBytes", "uploadedKeystoreBytes"]

    /// The longest value of a non-secret field (an id, a description) Roster keeps.
    static let fieldLimit = 64 << 10

    /// Parses the file's text.
    ///
    /// - Throws: ``ConnectorError`` naming the file and the line and column of an XML syntax error,
    ///   or the element of a shape error; a DOCTYPE is refused before anything else is read.
    static func parse(_ file: SourceFile) throws -> JenkinsCredentialsFile {
        let prolog = XMLProlog.read(file.data)
        if let place = prolog.doctype {
            throw ConnectorError(
                .malformed,
                "the file declares a DOCTYPE, which Jenkins never writes; Roster does not expand XML entities (they can "
                    + "make a small file expand to gigabytes or read other files), so it refuses the file",
                file: file.path,
                location: place
            )
        }
        guard prolog.root == rootElement else {
            throw ConnectorError(
                .unrecognised,
                "not a Jenkins credentials.xml: the root element is <\(prolog.root?.prefix(80) ?? "?")>, not <\(rootElement)>",
                file: file.path
            )
        }
        if let declaration = prolog.declaration, file.encoding == .utf8 || file.encoding == .utf8BOM {
            // The text is UTF-8 (SourceFile transcodes UTF-16, whose declaration then no longer applies); anything else declared is refused.
            let text = String(decoding: file.data[declaration], as: UTF8.self)
            if let encoding = Self.pseudoAttribute("encoding", in: text), !["utf-8", "utf8"].contains(encoding.lowercased()) {
                throw ConnectorError(
                    .malformed,
                    "the file declares encoding \(encoding.prefix(40)); Jenkins writes credentials.xml in UTF-8, save it as UTF-8",
                    file: file.path,
                    location: "line 1, column 1"
                )
            }
        }
        let document: StrictXML
        do {
            document = try StrictXML(file.data)
        } catch let problem as StrictXML.Problem {
            let place = StrictXML.location(of: problem.offset, in: file.data)
            throw ConnectorError(.malformed, "not well-formed XML: \(problem.message)", file: file.path, location: place)
        }
        var reader = ElementReader(path: file.path, document: document)
        return try reader.read()
    }

    /// A pseudo-attribute's value in an XML declaration: `encoding` in `<?xml version='1.1' encoding='UTF-8'?>`.
    static func pseudoAttribute(_ name: String, in declaration: String) -> String? {
        guard let range = declaration.range(of: name + "=") else { return nil }
        let rest = declaration[range.upperBound...]
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        return String(rest.dropFirst().prefix { $0 != quote })
    }

    /// Whether a secret value is stored encrypted, and how.
    static func state(of raw: String, field: String) -> JenkinsSecretState {
        var raw = raw
        return raw.withUTF8 { state(ofBytes: UnsafeRawBufferPointer($0), field: field) }
    }

    /// Whether a secret value, as the bytes written in the file, is stored encrypted, and how; nothing is copied.
    static func state(ofBytes raw: UnsafeRawBufferPointer, field: String) -> JenkinsSecretState {
        var start = 0
        var end = raw.count
        while start < end && isSpace(raw[start]) { start += 1 }
        while end > start && isSpace(raw[end - 1]) { end -= 1 }
        if start == end { return .empty }
        let value = UnsafeRawBufferPointer(rebasing: raw[start..<end])
        let open = UInt8(ascii: "{")
        let close = UInt8(ascii: "}")
        if value.count > 3, value[0] == UInt8(ascii: "$"), value[1] == open, value[value.count - 1] == close,
            !value[2..<(value.count - 1)].contains(open)
        {
            return .placeholder
        }
        if value.count > 2, value[0] == open, value[value.count - 1] == close,
            let decoded = base64Length(UnsafeRawBufferPointer(rebasing: value[1..<(value.count - 1)])), decoded >= 16
        {
            return .encrypted
        }
        // hudson.util.Secret's legacy form: bare base64 of AES blocks (ciphertext of the value and a magic suffix).
        if !bytesFieldNames.contains(field), let decoded = base64Length(value), decoded >= 16, decoded % 16 == 0 {
            return .encrypted
        }
        return .plaintext
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }

    /// The number of bytes `text` decodes to when it is canonical base64 (padded, no whitespace), else nil.
    static func base64Length(_ text: UnsafeRawBufferPointer) -> Int? {
        guard !text.isEmpty, text.count % 4 == 0 else { return nil }
        var padding = 0
        for (index, byte) in text.enumerated() {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "+"), UInt8(ascii: "/"):
                if padding > 0 { return nil }
            case UInt8(ascii: "="):
                guard index >= text.count - 2 else { return nil }
                padding += 1
            default:
                return nil
            }
        }
        return text.count / 4 * 3 - padding
    }
}

/// Walks the parsed tree, keeping element paths for messages.
private struct ElementReader {
    let path: String
    let document: StrictXML

    func read() throws -> JenkinsCredentialsFile {
        guard let root = document.root else { throw ConnectorError(.malformed, "no root element", file: path) }
        let rootName = document.name(of: root)
        var file = JenkinsCredentialsFile(plugin: document.attribute("plugin", of: root), credentials: [])
        let maps = document.children(of: root).filter { document.hasName($0, "domainCredentialsMap") }
        guard let map = maps.first else {
            throw shape("expected a <domainCredentialsMap> element in <\(JenkinsCredentialsFile.rootElement)>", at: "/\(rootName)")
        }
        guard maps.count == 1 else { throw shape("<domainCredentialsMap> appears \(maps.count) times; Jenkins writes one", at: "/\(rootName)") }
        for (entryIndex, entry) in document.children(of: map).enumerated() {
            let place = "/\(rootName)/domainCredentialsMap/\(document.name(of: entry))[\(entryIndex + 1)]"
            guard document.hasName(entry, "entry") else {
                throw shape("expected <entry> elements in <domainCredentialsMap>, found <\(document.name(of: entry).prefix(80))>", at: place)
            }
            let parts = document.children(of: entry)
            guard let domain = parts.first, document.hasName(domain, "com.cloudbees.plugins.credentials.domains.Domain") else {
                throw shape("expected each <entry> to start with a <\(JenkinsCredentialsFile.domainElement)>", at: place)
            }
            guard parts.count <= 2 else {
                throw shape("expected a domain and one list of credentials in <entry>, found \(parts.count) elements", at: place)
            }
            let name = try text(
                of: document.children(of: domain).first { document.hasName($0, "name") },
                at: place + "/\(JenkinsCredentialsFile.domainElement)/name"
            )
            guard let list = parts.dropFirst().first else { continue }
            let listName = document.name(of: list)
            for (index, element) in document.children(of: list).enumerated() {
                var credential = JenkinsStoredCredential(
                    className: document.name(of: element),
                    plugin: document.attribute("plugin", of: element),
                    domain: name.flatMap { $0.isEmpty ? nil : $0 },
                    place: "",
                    fields: [:],
                    secrets: []
                )
                credential.place = "\(place)/\(listName)/\(credential.className)[\(index + 1)]"
                try collect(element, prefix: "", into: &credential)
                file.credentials.append(credential)
            }
        }
        return file
    }

    /// Adds an element's fields (its leaf descendants and `class` attributes) to `credential`.
    private func collect(_ element: Int, prefix: String, into credential: inout JenkinsStoredCredential) throws {
        for child in document.children(of: element) {
            let childName = document.name(of: child)
            let path = prefix + childName
            if let kind = document.attribute("class", of: child) { credential.fields[path + "/@class"] = kind }
            let isSecretName = JenkinsCredentialsFile.secretFieldNames.contains(childName)
            if document.nodes[child].hasChildren && !isSecretName {
                try collect(child, prefix: path + "/", into: &credential)
                continue
            }
            if isSecretName {
                // A secret is judged from its bytes in the file, never copied or kept; a redaction marker (`<secret-redacted/>`) leaves none.
                let state =
                    document.withLeafBytes(of: child) { JenkinsCredentialsFile.state(ofBytes: $0, field: childName) }
                    ?? JenkinsCredentialsFile.state(of: document.text(of: child), field: childName)
                credential.secrets.append(JenkinsSecretField(path: path, state: state))
                continue
            }
            let value = try text(of: child, at: "\(credential.place)/\(path)") ?? ""
            let state = JenkinsCredentialsFile.state(of: value, field: childName)
            if state == .encrypted && value.hasPrefix("{") {
                // A field of another name holding a Jenkins-encrypted value is a secret too.
                credential.secrets.append(JenkinsSecretField(path: path, state: state))
            } else {
                credential.fields[path] = value
            }
        }
    }

    /// The element's trimmed text, refusing one longer than any id or description.
    private func text(of element: Int?, at place: String) throws -> String? {
        guard let element else { return nil }
        let size = document.contentSize(of: element)
        guard size <= JenkinsCredentialsFile.fieldLimit else {
            throw ConnectorError(
                .tooLarge,
                "<\(document.name(of: element).prefix(80))> is \(size) bytes long, over Roster's limit of "
                    + "\(JenkinsSecretLimits.text) for a field such as an id or a description; the file looks damaged or hand-made",
                file: path,
                location: place
            )
        }
        return document.text(of: element).trimmingXMLSpace
    }

    private func shape(_ message: String, at place: String) -> ConnectorError {
        ConnectorError(.wrongShape, message, file: path, location: place)
    }
}

private enum JenkinsSecretLimits {
    static let text = JSONSyntax.bytesText(JenkinsCredentialsFile.fieldLimit)
}

extension String {
    /// The string without leading and trailing XML whitespace (space, tab, CR, LF); the same string when there is none.
    var trimmingXMLSpace: String {
        let bytes = utf8
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }
        guard let first = bytes.first, let last = bytes.last, isSpace(first) || isSpace(last) else { return self }
        guard let start = bytes.firstIndex(where: { !isSpace($0) }) else { return "" }
        let end = bytes.lastIndex(where: { !isSpace($0) })!
        return String(self[start...end])
    }
}
