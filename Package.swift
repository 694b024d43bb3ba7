// swift-tools-version: 6.0
// specbench: a benchmark harness for the spectral norm of convolutional layers.
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "specbench",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "bench", targets: ["bench"]),
        .library(name: "SpecBenchCore", targets: ["SpecBenchCore"]),
        .library(name: "SpecBenchMethods", targets: ["SpecBenchMethods"]),
        .library(name: "SpecBenchHarness", targets: ["SpecBenchHarness"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // System libraries (Debian packages). Each is a module map over one shim header.
        .systemLibrary(
            name: "CFFTW3", pkgConfig: "fftw3",
            providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(
            name: "COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CLAPACKE", pkgConfig: "lapacke",
            providers: [.apt(["liblapacke-dev"])]),
        .systemLibrary(
            name: "CARPACK", pkgConfig: "arpack",
            providers: [.apt(["libarpack2-dev"])]),

        // Process-lifetime calls Swift cannot import directly (prctl is variadic); header only.
        .systemLibrary(name: "CProcessControl"),
        // cpuid, xgetbv and the clock and FMA timing loops (inline assembly); header only.
        .systemLibrary(name: "CMachineProbe"),

        // A direct stride-1 correlation in AVX-512 intrinsics, called only where the CPU has them.
        .target(name: "CDirectCorrelation"),

        // The only layer that touches C pointers for computing: dense linear algebra, FFTs, the
        // operator's data layouts (im2col, Winograd, direct correlation), worker threads.
        .target(
            name: "NumericCore",
            dependencies: [
                "CFFTW3", "COpenBLAS", "CLAPACKE", "CARPACK", "CDirectCorrelation",
                .product(name: "ComplexModule", package: "swift-numerics"),
                .product(name: "RealModule", package: "swift-numerics"),
            ],
            swiftSettings: strictSettings),
        // The process around the numbers: dying with the parent, standard streams that may be
        // closed, the resident high-water mark of /proc.
        .target(
            name: "ProcessControl",
            dependencies: ["CProcessControl"],
            swiftSettings: strictSettings),
        // The domain: kernels, the convolution operator, the exact reference, and the vocabulary
        // every layer shares (guarantees, operation counts, byte counts, model compositions).
        .target(
            name: "SpecBenchCore",
            dependencies: ["NumericCore"],
            swiftSettings: strictSettings),
        // The machine as the tool sees it: CPU features, the OpenBLAS core and its self-test, the
        // nominal peak, the warnings; what `bench machine` prints and every manifest records.
        .target(
            name: "SpecBenchMachine",
            dependencies: ["NumericCore", "SpecBenchCore", "CMachineProbe"],
            swiftSettings: strictSettings),
        // The published methods behind one protocol.
        .target(
            name: "SpecBenchMethods",
            dependencies: ["SpecBenchCore", "NumericCore", .product(name: "ComplexModule", package: "swift-numerics")],
            swiftSettings: strictSettings),
        // Trained models: ONNX (swift-protobuf, generated code in ONNX/), safetensors listing,
        // batch-norm folding, the spatial sizes that place each layer.
        .target(
            name: "SpecBenchModels",
            dependencies: ["SpecBenchCore", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            exclude: ["ONNX/README.md"],
            swiftSettings: strictSettings),
        // The record schema: results, run records and manifests (the config as recorded), run
        // folders, CSV and text formatting, exit statuses. What reports and the gate read; it
        // links no method, model reader (protobuf, ZIP), sweep runner or YAML.
        .target(
            name: "SpecBenchResults",
            dependencies: ["SpecBenchCore", "SpecBenchMachine", "NumericCore"],
            swiftSettings: strictSettings),
        // Running things: `bench estimate`, sweeps (YAML configs resolved once into a plan, point
        // expansion, model-layer selection), child-process measurement, fault injection, the
        // machine context of a manifest.
        .target(
            name: "SpecBenchHarness",
            dependencies: [
                "SpecBenchResults", "SpecBenchCore", "SpecBenchMethods", "SpecBenchModels", "SpecBenchMachine", "NumericCore",
                "SpecBenchCompare", "ProcessControl",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings),
        // Paper-style figures (gnuplot) and tables (Markdown, LaTeX).
        .target(
            name: "SpecBenchReport",
            dependencies: ["SpecBenchResults", "SpecBenchMethods", "SpecBenchCore", "NumericCore"],
            swiftSettings: strictSettings),
        // Run-to-run comparison: the performance and accuracy gate.
        .target(
            name: "SpecBenchCompare",
            dependencies: ["SpecBenchResults", "NumericCore"],
            swiftSettings: strictSettings),
        // The command line: parses arguments and calls the libraries.
        .executableTarget(
            name: "bench",
            dependencies: [
                "SpecBenchHarness", "SpecBenchResults", "SpecBenchReport", "SpecBenchCompare", "SpecBenchMethods", "NumericCore",
                "SpecBenchModels", "SpecBenchMachine", "SpecBenchCore", "ProcessControl",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings),

        // Fuzz targets (libFuzzer entry points; scripts/fuzz builds them with -sanitize=fuzzer).
        // Built normally, each replays the files it is given: `fuzz-onnx CRASH-FILE`.
        .target(name: "FuzzSupport", path: "Fuzz/FuzzSupport", swiftSettings: strictSettings),
        .executableTarget(name: "fuzz-numpy", dependencies: ["FuzzSupport", "SpecBenchCore"],
                          path: "Fuzz/FuzzNumpy", swiftSettings: strictSettings),
        .executableTarget(name: "fuzz-safetensors", dependencies: ["FuzzSupport", "SpecBenchCore"],
                          path: "Fuzz/FuzzSafetensors", swiftSettings: strictSettings),
        .executableTarget(name: "fuzz-checkpoint", dependencies: ["FuzzSupport", "SpecBenchModels"],
                          path: "Fuzz/FuzzCheckpoint", swiftSettings: strictSettings),
        .executableTarget(name: "fuzz-onnx", dependencies: ["FuzzSupport", "SpecBenchModels"],
                          path: "Fuzz/FuzzOnnx", swiftSettings: strictSettings),
        .executableTarget(name: "fuzz-sweep-config", dependencies: ["FuzzSupport", "SpecBenchHarness", "SpecBenchResults"],
                          path: "Fuzz/FuzzSweepConfig", swiftSettings: strictSettings),

        .target(
            name: "TestSupport",
            dependencies: ["SpecBenchCore", "NumericCore"],
            path: "Tests/TestSupport",
            swiftSettings: strictSettings),
        .testTarget(
            name: "NumericCoreTests",
            dependencies: ["NumericCore", "SpecBenchCore", "ProcessControl", "TestSupport", .product(name: "ComplexModule", package: "swift-numerics")],
            swiftSettings: strictSettings),
        .testTarget(
            name: "SpecBenchCoreTests",
            dependencies: ["SpecBenchCore", "TestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "SpecBenchMethodsTests",
            dependencies: ["SpecBenchMethods", "SpecBenchCore", "SpecBenchResults", "TestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "SpecBenchModelsTests",
            dependencies: ["bench", "SpecBenchModels", "SpecBenchHarness", "SpecBenchResults", "SpecBenchCore", "NumericCore", "TestSupport",
                           .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: strictSettings),
        .testTarget(
            name: "SpecBenchMachineTests",
            dependencies: ["bench", "SpecBenchMachine", "NumericCore", "TestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "SpecBenchCompareTests",
            dependencies: ["SpecBenchCompare", "SpecBenchResults", "TestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "BenchCommandTests",
            dependencies: ["bench", "SpecBenchHarness", "SpecBenchResults", "SpecBenchMethods", "SpecBenchReport", "TestSupport", "ProcessControl"],
            swiftSettings: strictSettings),
    ]
)
