// swift-tools-version: 6.1
import PackageDescription

// Modules by concern, each depending only on the ones above it:
//   GamedayModel        scenario model, YAML loading with located diagnostics, JSON
//   GamedayRandom       addressed Philox4x32-10 randomness and inverse-CDF sampling (pure)
//   GamedayStatistics   intervals, mergeable histograms, deterministic reductions (pure)
//   GamedaySimulation   the discrete-event engine and Monte Carlo runs (pure, no I/O)
//   GamedayCounterfactual  paired runs: whatif with attribution, replay, checks (pure, no I/O)
//   GamedayReports      text, Markdown and HTML reports of results
//   GamedayAnalysis     static barrier analysis: exact bow-tie/LOPA numbers, findings, diagrams
//   GamedayRecords      postmortem records, evidence appends, reports per audience, knowledge base
//   GamedayDrill        tabletop drills: the drill engine, scripts, replay, scoring and feedback
//   GamedayStore        the embedded SQLite store (GRDB): drills, participants, results, runs
//   gameday             the thin command line (argument parsing, output, exit codes)
let package = Package(
    name: "gameday",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gameday", targets: ["gameday"]),
        .library(name: "GamedayModel", targets: ["GamedayModel"]),
        .library(name: "GamedayRandom", targets: ["GamedayRandom"]),
        .library(name: "GamedayStatistics", targets: ["GamedayStatistics"]),
        .library(name: "GamedaySimulation", targets: ["GamedaySimulation"]),
        .library(name: "GamedayCounterfactual", targets: ["GamedayCounterfactual"]),
        .library(name: "GamedayReports", targets: ["GamedayReports"]),
        .library(name: "GamedayAnalysis", targets: ["GamedayAnalysis"]),
        .library(name: "GamedayRecords", targets: ["GamedayRecords"]),
        .library(name: "GamedayDrill", targets: ["GamedayDrill"]),
        .library(name: "GamedayStore", targets: ["GamedayStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", exact: "1.6.0"),
        .package(url: "https://github.com/onevcat/Rainbow", exact: "4.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/apple/swift-numerics", exact: "1.1.1"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    ],
    targets: [
        .target(
            name: "GamedayModel",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(name: "GamedayRandom", dependencies: [.product(name: "RealModule", package: "swift-numerics")]),
        .target(
            name: "GamedayStatistics",
            dependencies: ["GamedayRandom", .product(name: "RealModule", package: "swift-numerics")]
        ),
        .target(
            name: "GamedaySimulation",
            dependencies: [
                "GamedayModel", "GamedayRandom", "GamedayStatistics",
                .product(name: "HeapModule", package: "swift-collections"),
            ]
        ),
        .target(name: "GamedayCounterfactual", dependencies: ["GamedayModel", "GamedaySimulation", "GamedayStatistics"]),
        .target(
            name: "GamedayReports",
            dependencies: [
                "GamedayModel", "GamedaySimulation", "GamedayStatistics", "GamedayCounterfactual",
                .product(name: "RealModule", package: "swift-numerics"),
            ]
        ),
        .target(name: "GamedayAnalysis", dependencies: ["GamedayModel"]),
        .target(
            name: "GamedayRecords",
            dependencies: [
                "GamedayModel",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "GamedayDrill",
            dependencies: ["GamedayModel", "GamedayRandom", "GamedaySimulation", "GamedayReports"]
        ),
        .target(
            name: "GamedayStore",
            dependencies: ["GamedayModel", "GamedayDrill", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .executableTarget(
            name: "gameday",
            dependencies: [
                "GamedayModel",
                "GamedaySimulation",
                "GamedayCounterfactual",
                "GamedayReports",
                "GamedayAnalysis",
                "GamedayRecords",
                "GamedayDrill",
                "GamedayStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Rainbow", package: "Rainbow"),
            ]
        ),
        // Shared by the test targets: running child processes and finding the built executable.
        .target(name: "GamedayTestSupport", path: "Tests/GamedayTestSupport"),
        .testTarget(name: "GamedayModelTests", dependencies: ["GamedayModel", "GamedayTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "GamedayRandomTests", dependencies: ["GamedayRandom"]),
        .testTarget(name: "GamedayStatisticsTests", dependencies: ["GamedayStatistics", "GamedayRandom"]),
        .testTarget(name: "GamedaySimulationTests", dependencies: ["GamedaySimulation"], exclude: ["Fixtures"]),
        .testTarget(name: "GamedayDrillTests", dependencies: ["GamedayDrill", "GamedayModel", "GamedaySimulation", "GamedayRandom", "GamedayTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "GamedayStoreTests", dependencies: ["GamedayStore", "GamedayDrill", "GamedayModel", "GamedayTestSupport", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "GamedayCounterfactualTests",
            dependencies: ["GamedayCounterfactual", "GamedayModel", "GamedayRandom", "GamedaySimulation", "GamedayStatistics"]
        ),
        .testTarget(
            name: "GamedayReportsTests",
            dependencies: ["GamedayReports", "GamedayCounterfactual", "GamedayModel", "GamedaySimulation", "GamedayTestSupport"],
            exclude: ["browser_check.py"]
        ),
        .testTarget(
            name: "GamedayAnalysisTests",
            dependencies: ["GamedayAnalysis", "GamedayModel", "GamedaySimulation", "GamedayStatistics", "GamedayTestSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "GamedayRecordsTests", dependencies: ["GamedayRecords", "GamedayModel", "GamedayTestSupport"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
