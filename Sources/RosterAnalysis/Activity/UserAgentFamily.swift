import Foundation

/// A user agent reduced to the program that sent it and, when it says, the operating system:
/// version bumps keep the family, so an SDK upgrade is not a new client.
///
/// For example:
/// ```swift
/// UserAgentFamily("aws-cli/2.15.3 Python/3.11.6 Linux/5.10 exe/x86_64")   // aws-cli, linux
/// UserAgentFamily("Boto3/1.34.0 md/Botocore#1.34.0 os/linux#5.10")        // boto3, linux
/// UserAgentFamily("signin.amazonaws.com")                                  // console
/// ```
public struct UserAgentFamily: Sendable, Hashable, Codable {
    /// `aws-cli`, `boto3`, `aws-sdk-go-v2`, `console`, `s3-console`, `terraform`, `kubectl`,
    /// `aws-internal`, another client's first product token lowercased, or `unknown`.
    public var family: String
    /// `linux`, `macos` or `windows` when the agent names one.
    public var os: String?

    public init(family: String, os: String? = nil) {
        self.family = family
        self.os = os
    }

    public init(_ userAgent: String?) {
        var text = (userAgent ?? "").trimmingCharacters(in: .whitespaces)
        // S3 data events wrap the agent in brackets: `[S3Console/0.4, aws-internal/3 …]`, `[aws-cli/2.15 …]`.
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        let lower = text.lowercased()
        os = Self.os(in: lower)
        if lower.isEmpty {
            family = "unknown"
        } else if lower.hasPrefix("s3console") {
            family = "s3-console"
        } else if lower.hasSuffix("signin.amazonaws.com") || lower.hasSuffix("console.amazonaws.com") || lower.hasPrefix("console.") {
            family = "console"
        } else if lower == "aws internal" || lower.hasPrefix("aws-internal") {
            family = "aws-internal"
        } else if lower.contains("terraform") || lower.contains("hashicorp") {
            family = "terraform"
        } else if lower.hasPrefix("kubectl") {
            family = "kubectl"
        } else if lower.hasPrefix("awspowershell") || lower.contains("aws-tools-for-powershell") {
            family = "aws-powershell"
        } else {
            let token = lower.prefix { $0 != "/" && $0 != " " && $0 != "," && $0 != "(" }
            family = token.isEmpty ? "other" : String(token)
        }
    }

    /// The key stored per day: `family` or `family/os`.
    public var key: String { os.map { "\(family)/\($0)" } ?? family }

    /// Parses a stored key back.
    public init(key: String) {
        let parts = key.split(separator: "/", maxSplits: 1)
        self.init(family: String(parts.first ?? ""), os: parts.count > 1 ? String(parts[1]) : nil)
    }

    /// Someone at a browser: the console, the S3 console.
    public var isConsole: Bool { family == "console" || family == "s3-console" }

    /// A command-line tool a person types into, on a workstation operating system.
    public var isWorkstationCLI: Bool {
        ["aws-cli", "kubectl", "aws-powershell", "terraform"].contains(family) && (os == "macos" || os == "windows")
    }

    private static func os(in lower: String) -> String? {
        if lower.contains("darwin") || lower.contains("macos") || lower.contains("mac os") || lower.contains("os/macos") { return "macos" }
        if lower.contains("windows") || lower.contains("win32") || lower.contains("win64") { return "windows" }
        if lower.contains("linux") { return "linux" }
        return nil
    }
}
