import Foundation

/// The IAM credential report, read from its decoded CSV or from `aws iam get-credential-report` JSON.
///
/// Columns are found by name, so reports with extra or reordered columns still read. AWS's
/// placeholders keep their documented meaning: `N/A` (not applicable: no password, no key in
/// that slot, key never used), `no_information` (password never used), `not_supported` (root).
struct AWSCredentialReport {
    struct KeySlot {
        var active: Bool
        var lastRotated: Date
        var lastUsed: Date?
        var lastUsedRegion: String?
        var lastUsedService: String?
    }

    struct CertSlot {
        var active: Bool
        var lastRotated: Date
    }

    struct Row {
        var user: String
        var arn: String
        var created: Date?
        /// nil for the root user, whose column reads `not_supported`.
        var passwordEnabled: Bool?
        var passwordLastUsed: Date?
        var passwordLastChanged: Date?
        var mfaActive: Bool
        var keys: [KeySlot]
        var certs: [CertSlot]
        /// The line in the CSV, for messages.
        var line: Int

        var isRoot: Bool { user == "<root_account>" || arn.hasSuffix(":root") }
    }

    var generatedAt: Date?
    var rows: [Row]

    static let requiredColumns = [
        "user", "arn", "user_creation_time", "password_enabled", "password_last_used", "password_last_changed", "mfa_active",
        "access_key_1_active", "access_key_1_last_rotated", "access_key_1_last_used_date",
        "access_key_2_active", "access_key_2_last_rotated", "access_key_2_last_used_date",
    ]

    /// Reads `aws iam get-credential-report` JSON: base64 `Content` plus `GeneratedTime`.
    static func parse(json file: SourceFile) throws -> AWSCredentialReport {
        struct Envelope: Decodable {
            var Content: String
            var ReportFormat: String?
            var GeneratedTime: AWSDate?
        }
        let envelope = try file.decodeJSON(Envelope.self, expecting: "aws iam get-credential-report output")
        if let format = envelope.ReportFormat, format != "text/csv" {
            throw ConnectorError(.wrongShape, "expected ReportFormat \"text/csv\", found \"\(format.prefix(40))\"", file: file.path, location: "$.ReportFormat")
        }
        guard let csv = Data(base64Encoded: envelope.Content, options: .ignoreUnknownCharacters) else {
            throw ConnectorError(.wrongShape, "expected base64-encoded CSV in Content", file: file.path, location: "$.Content")
        }
        var report = try parse(csv: csv, path: file.path + " (Content)")
        report.generatedAt = envelope.GeneratedTime?.date
        return report
    }

    static func parse(csv data: Data, path: String) throws -> AWSCredentialReport {
        let records = try CSV.records(in: data, path: path)
        guard let header = records.first else { throw ConnectorError(.wrongShape, "empty credential report: expected a header line", file: path, location: "line 1") }
        var column: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() { column[name.trimmingCharacters(in: .whitespaces)] = index }
        let missing = requiredColumns.filter { column[$0] == nil }
        guard missing.isEmpty else {
            throw ConnectorError(
                .wrongShape, "not an IAM credential report: header lacks \(missing.prefix(3).joined(separator: ", "))\(missing.count > 3 ? " and \(missing.count - 3) more" : "")",
                file: path, location: "line 1")
        }
        var rows: [Row] = []
        rows.reserveCapacity(records.count - 1)
        for record in records.dropFirst() {
            if record.fields.count == 1 && record.fields[0].isEmpty { continue }
            guard record.fields.count == header.fields.count else {
                throw ConnectorError(
                    .malformed, "expected \(header.fields.count) fields as in the header, found \(record.fields.count) (truncated or hand-edited?)",
                    file: path, location: "line \(record.line)")
            }
            let reader = FieldReader(fields: record.fields, column: column, line: record.line, path: path)
            var keys: [KeySlot] = []
            for n in 1...2 {
                guard let rotated = try reader.date("access_key_\(n)_last_rotated") else { continue }
                keys.append(KeySlot(
                    active: try reader.bool("access_key_\(n)_active"),
                    lastRotated: rotated,
                    lastUsed: try reader.date("access_key_\(n)_last_used_date"),
                    lastUsedRegion: reader.text("access_key_\(n)_last_used_region"),
                    lastUsedService: reader.text("access_key_\(n)_last_used_service")))
            }
            var certs: [CertSlot] = []
            for n in 1...2 where column["cert_\(n)_last_rotated"] != nil {
                guard let rotated = try reader.date("cert_\(n)_last_rotated") else { continue }
                certs.append(CertSlot(active: try reader.bool("cert_\(n)_active"), lastRotated: rotated))
            }
            let passwordText = reader.raw("password_enabled")
            rows.append(Row(
                user: reader.raw("user"),
                arn: reader.raw("arn"),
                created: try reader.date("user_creation_time"),
                passwordEnabled: passwordText == "not_supported" ? nil : try reader.bool("password_enabled"),
                passwordLastUsed: try reader.date("password_last_used"),
                passwordLastChanged: try reader.date("password_last_changed"),
                mfaActive: try reader.bool("mfa_active"),
                keys: keys,
                certs: certs,
                line: record.line))
        }
        return AWSCredentialReport(generatedAt: nil, rows: rows)
    }

    private struct FieldReader {
        let fields: [String]
        let column: [String: Int]
        let line: Int
        let path: String

        func raw(_ name: String) -> String { column[name].map { fields[$0] } ?? "" }

        /// The value, or nil for AWS's placeholders.
        func text(_ name: String) -> String? {
            let value = raw(name)
            return ["", "N/A", "no_information", "not_supported"].contains(value) ? nil : value
        }

        func date(_ name: String) throws -> Date? {
            guard let value = text(name) else { return nil }
            guard let date = Timestamp.parse(value) else {
                throw ConnectorError(.wrongShape, "column \(name): expected an ISO 8601 timestamp, N/A or no_information, found \"\(value.prefix(40))\"", file: path, location: "line \(line)")
            }
            return date
        }

        func bool(_ name: String) throws -> Bool {
            switch raw(name).lowercased() {
            case "true": return true
            case "false", "n/a", "": return false
            case let other:
                throw ConnectorError(.wrongShape, "column \(name): expected true or false, found \"\(other.prefix(40))\"", file: path, location: "line \(line)")
            }
        }
    }
}

/// A small RFC 4180 CSV reader that remembers each record's line.
enum CSV {
    struct Record {
        var fields: [String]
        var line: Int
    }

    static func records(in data: Data, path: String) throws -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var quoteLine = 1
        let bytes = [UInt8](data)
        var i = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        while i < bytes.count {
            let byte = bytes[i]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == 0x0A { line += 1 }
                    field.append(byte)
                }
            } else {
                switch byte {
                case UInt8(ascii: ","):
                    endField()
                case UInt8(ascii: "\""):
                    guard field.isEmpty else {
                        throw ConnectorError(.malformed, "not valid CSV: a quote in the middle of an unquoted field", file: path, location: "line \(line)")
                    }
                    inQuotes = true
                    quoteLine = line
                case 0x0A:
                    endField()
                    records.append(Record(fields: fields, line: recordLine))
                    fields.removeAll(keepingCapacity: true)
                    line += 1
                    recordLine = line
                case 0x0D:
                    break
                case 0x00:
                    throw ConnectorError(.malformed, "not a text file: found a NUL byte", file: path, location: "line \(line)")
                default:
                    field.append(byte)
                }
            }
            i += 1
        }
        if inQuotes {
            throw ConnectorError(.malformed, "not valid CSV: the quoted field opened here never closes (truncated?)", file: path, location: "line \(quoteLine)")
        }
        if !field.isEmpty || !fields.isEmpty {
            endField()
            records.append(Record(fields: fields, line: recordLine))
        }
        return records
    }
}
