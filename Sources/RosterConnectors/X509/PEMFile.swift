import Foundation

/// The blocks of a PEM file (`-----BEGIN CERTIFICATE-----` … `-----END CERTIFICATE-----`), or a
/// DER file's single certificate, found without decoding anything but certificates.
///
/// Private key blocks are recorded by their label and line only: their base64 is never decoded,
/// so no key material is ever held in memory beyond the mapped file. A legacy encrypted key
/// says so in a `Proc-Type: 4,ENCRYPTED` header line, which is read; an OpenSSH key hides it
/// inside the base64, so whether it is encrypted stays unknown.
struct PEMFile: Sendable {
    /// A certificate's DER bytes and the line its block starts on (1 for a DER file).
    struct CertificateBlock: Sendable {
        var der: [UInt8]
        var line: Int
    }

    /// A private key found in the file: its PEM label and whether it is encrypted, never its value.
    struct KeyBlock: Sendable, Hashable {
        /// `PRIVATE KEY`, `RSA PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, `OPENSSH PRIVATE KEY`…
        var label: String
        var line: Int
        /// True or false when the file says; nil when only decoding the key would tell (OpenSSH).
        var encrypted: Bool?
    }

    var certificates: [CertificateBlock] = []
    /// Whether the file is one DER certificate rather than PEM text.
    var isDER = false
    var keys: [KeyBlock] = []
    /// Labels of other blocks (`CERTIFICATE REQUEST`, `X509 CRL`), with their lines, which are not read.
    var others: [(label: String, line: Int)] = []

    /// Splits a file into its blocks; a file without PEM armour is read as one DER certificate.
    ///
    /// - Throws: ``ConnectorError`` naming the line of a block that never ends, or whose base64 is not valid.
    static func read(_ data: Data, path: String) throws -> PEMFile {
        guard data.range(of: Data("-----BEGIN ".utf8)) != nil else {
            guard data.first == 0x30 else {
                throw ConnectorError(.unrecognised, "neither a PEM file (no -----BEGIN line) nor a DER-encoded certificate", file: path)
            }
            return PEMFile(certificates: [CertificateBlock(der: Array(data), line: 1)], isDER: true)
        }
        var file = PEMFile()
        var open: (label: String, line: Int, body: [Substring], encrypted: Bool)?
        var number = 0
        let text = String(decoding: data, as: UTF8.self)
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if var block = open {
                if line.hasPrefix("-----END ") {
                    let label = Self.label(line, after: "-----END ")
                    guard label == block.label else {
                        throw ConnectorError(
                            .malformed, "the \(block.label.prefix(60)) block begun at line \(block.line) ends with END \(label.prefix(60))", file: path,
                            location: "line \(number)")
                    }
                    try file.close(block.label, line: block.line, body: block.body, encrypted: block.encrypted, path: path)
                    open = nil
                } else if line.hasPrefix("-----BEGIN ") {
                    throw ConnectorError(
                        .malformed, "a new block begins before the \(block.label.prefix(60)) block begun at line \(block.line) ends", file: path,
                        location: "line \(number)")
                } else {
                    if line.hasPrefix("Proc-Type:") && line.contains("ENCRYPTED") { block.encrypted = true }
                    // Key bodies are not kept: only certificates are ever decoded.
                    if Self.isCertificate(block.label) { block.body.append(line) }
                    open = block
                }
            } else if line.hasPrefix("-----BEGIN ") {
                open = (Self.label(line, after: "-----BEGIN "), number, [], false)
            }
        }
        if let block = open {
            throw ConnectorError(
                .malformed, "the file ends inside the \(block.label.prefix(60)) block begun at line \(block.line), before its END line (cut off?)",
                file: path, location: "line \(block.line)")
        }
        return file
    }

    private mutating func close(_ label: String, line: Int, body: [Substring], encrypted: Bool, path: String) throws {
        if Self.isCertificate(label) {
            // Header lines ("Key: value") do not occur in certificate blocks; anything but base64 is an error below.
            guard let der = Data(base64Encoded: body.joined(), options: .ignoreUnknownCharacters), !der.isEmpty else {
                throw ConnectorError(.malformed, "the \(label) block's body is not valid base64", file: path, location: "line \(line)")
            }
            certificates.append(CertificateBlock(der: Array(der), line: line))
        } else if label.hasSuffix("PRIVATE KEY") {
            let known: Bool? = label.hasPrefix("ENCRYPTED") || encrypted ? true : (label == "OPENSSH PRIVATE KEY" ? nil : false)
            keys.append(KeyBlock(label: label, line: line, encrypted: known))
        } else {
            others.append((label, line))
        }
    }

    static func isCertificate(_ label: String) -> Bool { label == "CERTIFICATE" || label == "X509 CERTIFICATE" }

    /// The label between `-----BEGIN ` (or `-----END `) and the closing dashes.
    private static func label(_ line: Substring, after prefix: String) -> String {
        var rest = line.dropFirst(prefix.count)
        while rest.hasSuffix("-") { rest = rest.dropLast() }
        return String(rest.trimmingCharacters(in: .whitespaces).prefix(80))
    }
}
