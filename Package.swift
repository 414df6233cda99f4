// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// RosterConnectors reads files through the C library (`stat`, `mmap`). Which Clang module the
/// compiler attributes those C types to depends on the other modules the target imports
/// (CoreFoundation, CDispatch), so member-import visibility would demand imports that change with
/// the dependency graph and between debug and release; the connectors build without it.
let connectorSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "roster",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "roster", targets: ["roster"]),
        .library(name: "RosterModel", targets: ["RosterModel"]),
        .library(name: "RosterConnectors", targets: ["RosterConnectors"]),
        .library(name: "RosterStore", targets: ["RosterStore"]),
        .library(name: "RosterAnalysis", targets: ["RosterAnalysis"]),
        .library(name: "RosterService", targets: ["RosterService"]),
        .library(name: "RosterSecrets", targets: ["RosterSecrets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
    ],
    targets: [
        .target(
            name: "RosterModel",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RosterConnectors",
            dependencies: [
                "RosterModel",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ],
            swiftSettings: connectorSettings
        ),
        .target(
            name: "RosterStore",
            dependencies: [
                "RosterModel",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RosterAnalysis",
            dependencies: ["RosterModel"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RosterSecrets",
            dependencies: ["RosterModel"],
            swiftSettings: connectorSettings
        ),
        .target(
            name: "RosterService",
            dependencies: [
                "RosterModel", "RosterConnectors", "RosterStore", "RosterAnalysis",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RosterCLI",
            dependencies: [
                "RosterModel", "RosterConnectors", "RosterStore", "RosterAnalysis", "RosterService", "RosterSecrets",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "roster",
            dependencies: ["RosterCLI"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RosterTests",
            dependencies: [
                "RosterModel", "RosterConnectors", "RosterStore", "RosterAnalysis", "RosterService", "RosterCLI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tests/RosterTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RosterSecretsTests",
            dependencies: ["RosterModel", "RosterSecrets"],
            path: "Tests/RosterSecretsTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RosterAnalysisTests",
            dependencies: ["RosterModel", "RosterConnectors", "RosterAnalysis"],
            path: "Tests/RosterAnalysisTests",
            swiftSettings: swiftSettings
        ),
    ]
)
