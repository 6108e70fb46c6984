"""Copy one radio spot, one notice and one SMS per language from a real build into the README (`make examples`)."""
from __future__ import annotations

import argparse
import re
from pathlib import Path

SERVICE = "birth-registration"
LANGS = (("zh-hans", "简体中文"), ("en", "English"))
START, END = "<!-- examples: start (make examples writes this part) -->", "<!-- examples: end -->"


def block(print_dir: Path) -> str:
    """The README part: for each language, the three texts as they are in print/."""
    parts = [START, ""]
    for lang, label in LANGS:
        for title, path in ((f"Radio spots, {label}", f"radio/{lang}/{SERVICE}.txt"),
                            (f"Noticeboard, {label}", f"noticeboard/{lang}/{SERVICE}.txt"),
                            (f"SMS, {label}", f"sms/{lang}/{SERVICE}.txt")):
            text = (print_dir / path).read_text(encoding="utf-8")
            parts += [f"**{title}** (`print/{path}`):", "", "```text", text.rstrip("\n"), "```", ""]
    return "\n".join(parts + [END])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--print-dir", type=Path, default=Path("print"))
    parser.add_argument("--readme", type=Path, default=Path("README.md"))
    args = parser.parse_args()
    readme = args.readme.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(readme):
        raise SystemExit(f"{args.readme}: no examples part between {START!r} and {END!r}")
    args.readme.write_text(pattern.sub(lambda _: block(args.print_dir), readme), encoding="utf-8")
    print(f"{args.readme}: examples copied from {args.print_dir}")


if __name__ == "__main__":
    main()
