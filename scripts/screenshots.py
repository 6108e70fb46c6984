"""Screenshots of the built site at phone and desktop width, for the README (`make screenshots`)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser import chromium, serve  # noqa: E402  # the same Chromium set-up the tests use

SHOTS = [("zh-hans", "services/birth-registration/"), ("en", "services/birth-registration/")]
WIDTHS = {"phone": 360, "desktop": 1280}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", type=Path, default=Path("site"))
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with serve(args.site) as base, chromium() as browser:
        for lang, path in SHOTS:
            for label, width in WIDTHS.items():
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(base + f"{lang}/{path}")
                target = args.out / f"service-{lang}-{label}.png"
                page.screenshot(path=str(target), full_page=False)
                page.close()
                print(target)


if __name__ == "__main__":
    main()
