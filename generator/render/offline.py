"""Render stage, offline bundle: each language's site as a zip that works opened from file:// with no network."""
from __future__ import annotations

import tempfile
import zipfile
from io import BytesIO
from pathlib import Path

from ..model import Catalogue
from ..problems import Problem
from ..write import Staging
from . import Options, lang_path, mkdocs_engine
from .site import PUBLISHER_CONFIG, SiteBuilder, site_spec

_EPOCH = (1980, 1, 1, 0, 0, 0)  # zip entries carry no build time: the same catalogue gives the same bytes


def render(catalogue: Catalogue, stage: Staging, options: Options) -> list[Problem]:
    """print/offline/site-<lang>.zip: pages as page.html, the search index as a script, Material's
    iframe-worker shim inside the bundle, and the language's leaflets under leaflets/."""
    problems: list[Problem] = []
    leaflets = stage.existing("print/leaflets")
    for lang in catalogue.directory.languages:
        builder = SiteBuilder(catalogue, lang, leaflets=leaflets is not None, offline=True)
        with tempfile.TemporaryDirectory(prefix="servicedir-offline-") as work:
            site = Path(work) / "site"
            problems += mkdocs_engine.build(site_spec(builder, builder.pages()), PUBLISHER_CONFIG, site)
            files = {path.relative_to(site).as_posix(): path for path in site.rglob("*")
                     if path.is_file() and path.suffix != ".map"}  # source maps: 1 MB no kiosk needs
            if leaflets is not None:
                files.update({f"leaflets/{pdf.name}": pdf for pdf in (leaflets / lang_path(lang)).glob("*.pdf")})
            stage.write(f"print/offline/site-{lang_path(lang)}.zip", _zip(files))
    return problems


def _zip(files: dict[str, Path]) -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            bundle.writestr(info, files[name].read_bytes())
    return out.getvalue()
