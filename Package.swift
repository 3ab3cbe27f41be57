// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "khuyencong",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "khuyencong", targets: ["khuyencong"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.115.0"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.12.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.8.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.10.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.4.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.19"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.1"),
    ],
    targets: [
        .target(
            name: "KhuyenCongCore",
            resources: [.copy("Resources/admin-units.csv")]
        ),
        .target(
            name: "KhuyenCongApp",
            dependencies: [
                "KhuyenCongCore",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Yams", package: "Yams"),
            ],
            // The API's contract, served at /api/openapi.yaml as is and as JSON at /api/openapi.json.
            resources: [.copy("Resources/openapi.yaml")]
        ),
        .executableTarget(
            name: "khuyencong",
            dependencies: ["KhuyenCongApp"]
        ),
        .testTarget(
            name: "KhuyenCongCoreTests",
            dependencies: ["KhuyenCongCore"]
        ),
        .testTarget(
            name: "KhuyenCongAppTests",
            dependencies: [
                "KhuyenCongApp",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
