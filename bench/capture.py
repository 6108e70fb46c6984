"""Benchmark helper: run one `servicedir` command and keep what it gave the engines, for the bare-engine runs.

`python bench/capture.py KEEP -- build --only site …` keeps each MkDocs build's generated pages and config
under KEEP/mkdocs/<n>/ (paths rewritten to the copy); `… -- build --only leaflets …` keeps each leaflet's
HTML and CSS under KEEP/weasyprint/. The command itself runs unchanged; only the engines' entry points are
wrapped, in this process and the workers it forks.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _keep_mkdocs(keep: Path) -> None:
    import mkdocs.commands.build as mkdocs_build

    real = mkdocs_build.build

    def build(config: Any, **kwargs: Any) -> None:
        source = Path(config.config_file_path).parent
        target = keep / "mkdocs" / str(len(list((keep / "mkdocs").glob("*"))) if (keep / "mkdocs").exists() else 0)
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("site"))
        text = (target / "mkdocs.yml").read_text(encoding="utf-8").replace(str(source), str(target))
        text = text.replace(config["site_dir"], str(target / "site"))
        (target / "mkdocs.yml").write_text(text, encoding="utf-8")
        real(config, **kwargs)

    mkdocs_build.build = build


def _keep_weasyprint(keep: Path) -> None:
    from generator import pdf

    real = pdf.render
    folder = keep / "weasyprint"
    folder.mkdir(parents=True, exist_ok=True)

    def render(html: str, stylesheet: Path, base: Path, extra_css: str = "", **kwargs: Any) -> Any:
        name = hashlib.sha256(html.encode()).hexdigest()[:16]
        (folder / f"{name}.json").write_text(json.dumps({"html": html, "stylesheet": str(stylesheet),
                                                         "base": str(base), "css": extra_css}), encoding="utf-8")
        return real(html, stylesheet, base, extra_css, **kwargs)

    pdf.render = render


def main() -> None:
    keep, args = Path(sys.argv[1]), sys.argv[sys.argv.index("--") + 1:]
    keep.mkdir(parents=True, exist_ok=True)
    _keep_mkdocs(keep)
    _keep_weasyprint(keep)
    from generator.cli import main as servicedir

    sys.exit(servicedir(args))


if __name__ == "__main__":
    main()
