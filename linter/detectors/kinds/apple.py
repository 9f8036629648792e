"""Swift packages and Xcode applications: what an Apple-platform repository ships.

* A Swift package's manifest, ``Package.swift`` (Swift Package Manager, "PackageDescription"),
  lists the ``products`` other packages depend on: an ``.executable(name: ...)`` makes it a
  tool (``swift run``, ``mint`` or ``brew`` install it; a Cargo crate with a binary reads the
  same), ``.library(name: ...)`` products alone a library. Only a manifest at the repository's
  root counts: SwiftPM fetches a dependency by its git URL and reads the manifest at the
  root, so a package in a subfolder is a local module of this repository (an app's
  ``Packages/``), not something others depend on. The manifest is Swift code: it is never
  run; comments and the contents of string literals are blanked first, so a product named
  only in a comment or a string says nothing.
* An Xcode project (``*.xcodeproj/project.pbxproj``, an OpenStep property list) builds an
  application when one of its native targets has ``productType =
  "com.apple.product-type.application"``. An application is a tool, as an Android one is: its
  users install it. With the App Store listing fastlane's ``deliver`` uploads kept in the
  repository (``fastlane/metadata/<locale>/description.txt``) it ranks ``INSTALLED``, above
  any package beside it; without one ``BUILT``, below a published package (a library's
  example app does not make the library an app).
"""

from __future__ import annotations

import re
from typing import Iterable

from linter.detectors.kinds.signals import BUILT, INSTALLED, PUBLISH, Signal
from linter.repo.workspace import Workspace

#: Comments and string literals of Swift (multi-line ``\"\"\"`` strings included), each matched
#: in one pass: the blanking keeps every line where it was. An unterminated one runs to the end
#: of the file (or, for a plain string, of its line), so no start is scanned twice.
_SWIFT_NOISE = re.compile(r'//[^\n]*|/\*.*?(?:\*/|\Z)|"""(?:[^"\\]|\\.|"(?!""))*(?:"""|\Z)'
                          r'|"(?:[^"\\\n]|\\.)*["\n]?', re.DOTALL)
_PRODUCT = re.compile(r"\.(library|executable)[ \t\n]*\(")
_PBX_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.DOTALL)
_APPLICATION = re.compile(r'\bproductType[ \t]*=[ \t]*"com\.apple\.product-type\.application"[ \t]*;')
#: An App Store listing of fastlane's ``deliver``: a description per locale (the Play Store's
#: ``supply`` writes ``full_description.txt`` under ``android/`` instead).
_LISTING = re.compile(r"(?:^|/)fastlane/metadata/(?!android/)[^/]+/description\.txt$")


def reads(path: str) -> bool:
    """Whether ``path`` is a file this module reads: a Swift package manifest (at the root only:
    see the module's docstring) or an Xcode project."""
    return path.rsplit("/", 1)[-1] == "Package.swift" or path.endswith(".xcodeproj/project.pbxproj")


def signals(ws: Workspace, files: Iterable[str]) -> list[Signal]:
    """A signal per Swift package manifest with products, and per Xcode project that builds an
    application, among ``files`` (the scope's shipped files)."""
    found: list[Signal] = []
    projects: list[str] = []
    for path in files:
        if path == "Package.swift":
            found.extend(_package(ws, path))
        elif path.endswith(".xcodeproj/project.pbxproj"):
            projects.append(path)
    if projects:
        listing = next((p.rsplit("/", 2)[0] for p in sorted(ws.paths_containing("fastlane/metadata/"))
                        if _LISTING.search(p)), None)
        for path in projects:
            found.extend(_project(ws, path, listing))
    return found


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def _package(ws: Workspace, path: str) -> list[Signal]:
    text = ws.read_text(path)
    if text is None:
        return []
    code = _SWIFT_NOISE.sub(_blank, text)
    products = [(m.group(1), code.count("\n", 0, m.start()) + 1) for m in _PRODUCT.finditer(code)]
    executables = [line for kind, line in products if kind == "executable"]
    if executables:
        return [Signal(path, executables[0], "tool", PUBLISH, "the Swift package builds an executable product")]
    if products:
        return [Signal(path, products[0][1], "library", PUBLISH, "the Swift package offers a library product")]
    return []


def _project(ws: Workspace, path: str, listing: str | None) -> list[Signal]:
    text = ws.read_text(path)
    if text is None:
        return []
    code = _PBX_COMMENT.sub(_blank, text)
    match = _APPLICATION.search(code)
    if match is None:
        return []
    line = code.count("\n", 0, match.start()) + 1
    project = path.rsplit("/", 1)[0]
    if listing is not None:
        return [Signal(path, line, "tool", INSTALLED,
                       f"the Xcode project {project} builds an application released with the App Store "
                       f"listing {listing}")]
    return [Signal(path, line, "tool", BUILT, f"the Xcode project {project} builds an application")]
