#!/usr/bin/env bash
# The pure core's tests alone (KhuyenCongCoreTests: money, formats, units, periods, access, lifecycle, rules), in
# seconds: a package of only KhuyenCongCore and its tests (no Vapor, no database), kept in .build/core-only with its
# own build folder, so that it neither waits for the app's build lock nor rebuilds the app.
# Usage: bash scripts/test-core.sh [swift test options, e.g. --filter Lifecycle]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
pkg="$root/.build/core-only"
mkdir -p "$pkg/Sources" "$pkg/Tests"
ln -sfn "$root/Sources/KhuyenCongCore" "$pkg/Sources/KhuyenCongCore"
ln -sfn "$root/Tests/KhuyenCongCoreTests" "$pkg/Tests/KhuyenCongCoreTests"
cat > "$pkg/Package.swift.new" <<'EOF'
// swift-tools-version:6.0
// Written by scripts/test-core.sh: the core and its tests, as in the main Package.swift.
import PackageDescription

let package = Package(
    name: "khuyencong-core",
    platforms: [.macOS(.v15)],
    targets: [
        .target(name: "KhuyenCongCore", resources: [.copy("Resources/admin-units.csv")]),
        .testTarget(name: "KhuyenCongCoreTests", dependencies: ["KhuyenCongCore"]),
    ],
    swiftLanguageModes: [.v6]
)
EOF
# Rewritten only when it changes, so that an unchanged core is not re-planned.
cmp -s "$pkg/Package.swift.new" "$pkg/Package.swift" 2>/dev/null && rm "$pkg/Package.swift.new" || mv "$pkg/Package.swift.new" "$pkg/Package.swift"
start=$(date +%s)
swift test --package-path "$pkg" "$@"
echo "core tests: $(( $(date +%s) - start )) s (build and run)"
