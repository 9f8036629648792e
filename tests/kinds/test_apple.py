"""Swift packages (``Package.swift`` products) and Xcode applications (an application target in
``project.pbxproj``, ranked by an App Store listing beside it). Positives, near misses and
hostile manifests."""

from __future__ import annotations

from pathlib import Path

import pytest

from linter.detectors.kinds import apple
from linter.repo.workspace import Workspace
from tests.helpers import cpu_seconds, write_tree
from tests.kinds.test_inference import kind_of

LIBRARY = ('// swift-tools-version:5.9\nimport PackageDescription\n\nlet package = Package(\n    name: "Alamofire",\n'
           '    products: [.library(name: "Alamofire", targets: ["Alamofire"])],\n'
           '    targets: [.target(name: "Alamofire")]\n)\n')
EXECUTABLE = ('let package = Package(\n    name: "swiftlint",\n    products: [\n'
              '        .executable(name: "swiftlint", targets: ["swiftlint"]),\n    ]\n)\n')
APP_TARGET = ('// !$*UTF8*$!\n{\n\tobjects = {\n\t\tA1 /* App */ = {\n\t\t\tisa = PBXNativeTarget;\n'
              '\t\t\tname = App;\n\t\t\tproductType = "com.apple.product-type.application";\n\t\t};\n\t};\n}\n')
FRAMEWORK_TARGET = APP_TARGET.replace("product-type.application", "product-type.framework")


@pytest.mark.parametrize(("files", "kind"), [
    ({"Package.swift": LIBRARY}, "library"),
    ({"Package.swift": EXECUTABLE}, "tool"),
    # an executable beside a library makes a tool, as a Cargo crate's binary does
    ({"Package.swift": LIBRARY.replace("products: [", 'products: [.executable(name: "fmt", targets: ["fmt"]), ')},
     "tool"),
    # an app's local packages (below the root: SwiftPM cannot fetch them by URL) say nothing
    ({"App.xcodeproj/project.pbxproj": APP_TARGET, "Packages/Net/Package.swift": LIBRARY,
      "Packages/Models/Package.swift": LIBRARY}, "tool"),
    ({"Packages/Net/Package.swift": LIBRARY}, "unknown"),
    # an application; with its App Store listing it outranks a package beside it
    ({"App.xcodeproj/project.pbxproj": APP_TARGET}, "tool"),
    ({"App.xcodeproj/project.pbxproj": APP_TARGET, "Package.swift": LIBRARY,
      "fastlane/metadata/en-US/description.txt": "An app.\n"}, "tool"),
    # without a listing, a published library's own example app does not make it an app
    ({"Lib.xcodeproj/project.pbxproj": APP_TARGET, "Package.swift": LIBRARY}, "library"),
    # near misses: products only in a comment or a string, targets without products, a
    # framework target, an application type only in a comment, a Play Store listing
    ({"Package.swift": '/* products: [.library(name: "A", targets: ["A"])] */\nlet package = Package(name: "A")\n'},
     "unknown"),
    ({"Package.swift": 'let note = ".library(name: x)"\nlet package = Package(name: "A", targets: [.target(name: "A")])\n'},
     "unknown"),
    ({"Package.swift": 'let note = """\n  .executable(name: "x")\n  """\nlet package = Package(name: "A")\n'}, "unknown"),
    ({"Fw.xcodeproj/project.pbxproj": FRAMEWORK_TARGET}, "unknown"),
    ({"Fw.xcodeproj/project.pbxproj": '/* productType = "com.apple.product-type.application"; */\n' + FRAMEWORK_TARGET},
     "unknown"),
    ({"App.xcodeproj/project.pbxproj": APP_TARGET, "Package.swift": LIBRARY,
      "fastlane/metadata/android/en-US/full_description.txt": "x\n"}, "library"),
])
def test_each_manifest_says_what_it_should(tmp_path: Path, files: dict[str, str], kind: str) -> None:
    assert kind_of(tmp_path, files)[0] == kind


def test_the_evidence_points_at_the_product_and_the_target(tmp_path: Path) -> None:
    write_tree(tmp_path, {"Package.swift": LIBRARY, "App.xcodeproj/project.pbxproj": APP_TARGET})
    ws = Workspace(tmp_path)
    found = apple.signals(ws, [p for p in ws.files if apple.reads(p)])
    assert [(s.path, s.line, s.kind) for s in found] == [("Package.swift", 6, "library"),
                                                         ("App.xcodeproj/project.pbxproj", 7, "tool")]


def test_hostile_manifests_are_read_in_linear_time(tmp_path: Path) -> None:
    """Unterminated comments and strings, repeated, must not be rescanned from every start."""
    payloads = ["/*" * 100_000, '"' * 200_000, '"""' * 60_000, "\\" * 200_000 + '"', '"a' * 100_000,
                "x = 1 //" * 30_000 + '"' * 50_000]
    start = cpu_seconds()
    for index, payload in enumerate(payloads):
        root = tmp_path / str(index)
        write_tree(root, {"Package.swift": payload,
                          "X.xcodeproj/project.pbxproj": payload + 'productType = "com.apple.product-type.application";'})
        ws = Workspace(root)
        assert ws.read_text("Package.swift") is not None  # read, not refused for its size
        assert [s.kind for s in apple.signals(ws, [p for p in ws.files if apple.reads(p)])] in ([], ["tool"])
    write_tree(tmp_path / "many", {"Package.swift": ".library(" * 40_000})
    assert [s.kind for s in apple.signals(Workspace(tmp_path / "many"), ["Package.swift"])] == ["library"]
    assert cpu_seconds() - start < 5
