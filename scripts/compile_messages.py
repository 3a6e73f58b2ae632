"""Compile every django.po under the project to django.mo with Babel (no GNU gettext)."""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
SKIP = {".venv", "node_modules", ".git"}


def main() -> int:
    count = 0
    for po_path in sorted(ROOT.rglob("locale/*/LC_MESSAGES/django.po")):
        if SKIP.intersection(po_path.relative_to(ROOT).parts):
            continue
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=po_path.parts[-3])
        with mo_path.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=False)
        count += 1
    print(f"compiled {count} translation catalogue(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
