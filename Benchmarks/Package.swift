// swift-tools-version: 6.1
import PackageDescription

// Benchmarks of the gameday engine (docs/performance.md). A separate package so that the main
// `swift test` never builds ordo-one/benchmark: run with
//   swift package --package-path Benchmarks benchmark
// A path dependency's identity is its folder's name, which differs between clones and worktrees.
let gameday = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "gameday")

let package = Package(
    name: "gameday-benchmarks",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "engine-scaling", targets: ["EngineScaling"]),
    ],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Cost per trial against scenario size, as a plain table (docs/performance.md).
        .executableTarget(
            name: "EngineScaling",
            dependencies: [
                .product(name: "GamedayModel", package: gameday),
                .product(name: "GamedaySimulation", package: gameday),
            ],
            path: "Sources/EngineScaling"
        ),
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "GamedayModel", package: gameday),
                .product(name: "GamedaySimulation", package: gameday),
            ],
            path: "Benchmarks/EngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
