// swift-tools-version: 6.1
//
// RecVec: item embeddings (word2vec, item2vec and the 2vec family) for recommendation.

import PackageDescription

let package = Package(
    name: "RecVec",
    platforms: [.macOS(.v15)],
    products: [
        // MARK: - Public API
        .library(name: "RecVecCore", targets: ["RecVecCore"]),
        .library(name: "RecVecServer", targets: ["RecVecServer"]),
        .executable(name: "recvec", targets: ["recvec"]),
    ],
    // Opt-in features: `swift build -c release --traits MPI` (the default build needs none of them).
    traits: [
        .trait(
            name: "MPI",
            description:
                "Train, evaluate and tune across the processes of `mpirun` or `srun` (needs the system's MPI: Debian's libopenmpi-dev or libmpich-dev)."
        )
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // MARK: - Public API
        .target(
            name: "RecVecCore",
            dependencies: [
                "_RecVecShims",
                "_RecVecPlatform",
                "_RecVecZlib",
                .product(name: "RealModule", package: "swift-numerics"),
                .product(name: "HeapModule", package: "swift-collections"),
            ]
        ),
        .executableTarget(
            name: "recvec",
            dependencies: [
                "RecVecCore",
                "RecVecServer",
                "_RecVecPlatform",
                .target(name: "_RecVecMPI", condition: .when(traits: ["MPI"])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("SampleData")]
        ),
        .target(
            name: "RecVecServer",
            dependencies: [
                "RecVecCore",
                "_RecVecPlatform",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources")]
        ),
        // MARK: - Implementation details
        .target(name: "_RecVecShims"),
        .target(name: "_RecVecPlatform"),
        // The system's zlib (gzip inputs); every Linux and macOS machine has it.
        .target(name: "_RecVecZlib", linkerSettings: [.linkedLibrary("z")]),
        // The system's MPI and the few calls `recvec` makes of it; built with the MPI trait only.
        .systemLibrary(
            name: "_RecVecCMPI",
            pkgConfig: "mpi",
            providers: [.apt(["libopenmpi-dev"]), .brew(["open-mpi"])]
        ),
        // Its C file compiles to nothing without the trait: `swift build --build-tests` (what `swift test`
        // runs) builds every target, and a machine without MPI's headers must still run the tests.
        .target(
            name: "_RecVecMPI",
            dependencies: ["_RecVecCMPI"],
            cSettings: [.define("RECVEC_WITH_MPI", .when(traits: ["MPI"]))]
        ),
        // MARK: - Tests
        .testTarget(
            name: "RecVecCoreTests",
            dependencies: [
                "RecVecCore",
                .product(name: "RealModule", package: "swift-numerics"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "RecVecCLITests",
            dependencies: ["recvec"]
        ),
        .testTarget(
            name: "RecVecServerTests",
            dependencies: [
                "RecVecServer",
                "RecVecCore",
                "_RecVecPlatform",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)

// Documentation only (`scripts/docs.sh` sets RECVEC_DOCS=1): the DocC plugin is not forced on
// packages that depend on RecVec, as Hummingbird gates its benchmarks.
if Context.environment["RECVEC_DOCS"] != nil {
    package.dependencies.append(.package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"))
}

// Fuzzing only (`scripts/fuzz.sh` sets RECVEC_FUZZ=1 and builds with `-sanitize=fuzzer,address`):
// libFuzzer targets for every parser and the server's requests, in Fuzz/RecVecFuzz.
if Context.environment["RECVEC_FUZZ"] != nil {
    package.dependencies.append(.package(url: "https://github.com/apple/swift-nio", from: "2.0.0"))
    package.products.append(.executable(name: "recvec-fuzz", targets: ["RecVecFuzz"]))
    package.targets.append(
        .executableTarget(
            name: "RecVecFuzz",
            dependencies: [
                "RecVecCore",
                "RecVecServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            path: "Fuzz/RecVecFuzz"
        )
    )
}

// Benchmarks only (`Benchmarks/reliability_load.sh` sets RECVEC_BENCH=1): the minimal Hummingbird
// application that is the ceiling of the load tests.
if Context.environment["RECVEC_BENCH"] != nil {
    package.products.append(.executable(name: "hello-hummingbird", targets: ["HelloHummingbird"]))
    package.targets.append(
        .executableTarget(
            name: "HelloHummingbird",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "Benchmarks/HelloHummingbird"
        )
    )
}
