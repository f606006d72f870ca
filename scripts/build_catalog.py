"""Build the bundled catalog (counter_app/data/catalog.json) from the hand-curated entries and the national
portal's commune-level procedures, and list where the two disagree.

    .venv/bin/python scripts/build_catalog.py            # writes the catalog, prints the differences
    .venv/bin/python scripts/build_catalog.py --check    # exit 1 if the committed catalog is not what it builds

The curated entries (counter_app/data/catalog_curated.json) win; every difference with the portal's record
of the same code is printed (and kept in counter_app/data/catalog_differences.txt) for an administrator
to settle, never merged silently.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from counter_app.dossiers import catalog_build  # noqa: E402
from counter_app.dossiers.catalog import CatalogFile  # noqa: E402

PORTAL = catalog_build.PORTAL_FILE
DATA = ROOT / "counter_app" / "data"
VERSION, ISSUED = "2026.2", "2026-11-30"


def render(portal: Path) -> tuple[str, list[str]]:
    curated = CatalogFile.model_validate_json((DATA / "catalog_curated.json").read_text(encoding="utf-8"))
    built = catalog_build.build(portal, curated, version=VERSION, issued=ISSUED)
    text = built.model_dump_json(indent=1, exclude_defaults=True) + "\n"
    return text, catalog_build.differences(portal, curated)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portal", type=Path, default=PORTAL)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text, differences = render(args.portal)
    count = text.count('"key"')
    listing = "".join(f"{line}\n" for line in differences)
    if args.check:
        same = (DATA / "catalog.json").read_text(encoding="utf-8") == text
        same = same and (DATA / "catalog_differences.txt").read_text(encoding="utf-8") == listing
        print("the committed catalog is what the build makes" if same else "the committed catalog is stale")
        return 0 if same else 1
    (DATA / "catalog.json").write_text(text, encoding="utf-8")
    (DATA / "catalog_differences.txt").write_text(listing, encoding="utf-8")
    print(listing, end="")
    print(f"{count} procedures; {len(differences)} differences with the portal listed above")
    return 0


if __name__ == "__main__":
    sys.exit(main())
