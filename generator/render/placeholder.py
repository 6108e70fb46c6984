"""Render stage, site (placeholder until the MkDocs site lands): a plain index per language."""
from __future__ import annotations

from ..model import Catalogue
from ..problems import Problem
from ..write import Staging
from . import Options, environment


def lang_path(lang: str) -> str:
    """The language segment of output paths: the code in lower case."""
    return lang.lower()


def render(catalogue: Catalogue, stage: Staging, options: Options) -> list[Problem]:
    env = environment("placeholder", html=True)
    languages = catalogue.directory.languages
    stage.write("site/index.html", env.get_template("chooser.html").render(
        directory=catalogue.directory, languages=[(lang, lang_path(lang)) for lang in languages]))
    for lang in languages:
        stage.write(f"site/{lang_path(lang)}/index.html", env.get_template("index.html").render(
            directory=catalogue.directory, lang=lang, services=catalogue.services))
    return []
