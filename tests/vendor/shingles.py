"""Write ``digest-shingles.txt``: the SHA-256 of every eight-word run of a text (see README.md).

Usage: ``python tests/vendor/shingles.py DIGEST.txt [...]``
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

WIDTH = 8


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def shingle_digests(text: str) -> set[str]:
    found = words(text)
    return {hashlib.sha256(" ".join(found[i:i + WIDTH]).encode("utf-8")).hexdigest()
            for i in range(len(found) - WIDTH + 1)}


def main() -> None:
    text = " ".join(Path(p).read_text(encoding="utf-8") for p in sys.argv[1:])
    out = Path(__file__).with_name("digest-shingles.txt")
    out.write_text("".join(f"{d}\n" for d in sorted(shingle_digests(text))), encoding="utf-8")


if __name__ == "__main__":
    main()
