// swift-tools-version:6.0
// A libFuzzer target for the CSV and XLSX readers, apart from the main package so that its sanitizer flags
// never touch the server's build. Its sources are symbolic links to the readers (Sources/SpreadsheetFuzz/Readers)
// and to KhuyenCongCore. Run with scripts/fuzz.sh.
import PackageDescription

let package = Package(
    name: "spreadsheet-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", exact: "0.9.20"),
    ],
    targets: [
        .target(name: "KhuyenCongCore", resources: [.copy("Resources/admin-units.csv")]),
        .target(name: "FuzzDriver"),
        .executableTarget(
            name: "SpreadsheetFuzz",
            dependencies: ["KhuyenCongCore", "FuzzDriver", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
