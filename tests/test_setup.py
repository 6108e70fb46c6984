"""The set-up a new user relies on: system packages, pinned dependencies, the non-root path."""
from __future__ import annotations

import os
import re
import shutil
import subprocess

from .conftest import ROOT

SCRIPT = ROOT / "scripts" / "system-packages.sh"


def as_unprivileged(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    assert setpriv, "util-linux setpriv is part of every Debian system"
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", *command]


def run_script(*packages: str) -> subprocess.CompletedProcess[str]:
    """The script fed on standard input, so the unprivileged user needs no access to the checkout."""
    with SCRIPT.open() as script:
        return subprocess.run(as_unprivileged(["bash", "-s", "--", *packages]), stdin=script,
                              capture_output=True, text=True, cwd="/")


def test_non_root_gets_the_exact_apt_get_line() -> None:
    result = run_script("bash", "servicedir-no-such-package")
    assert result.returncode == 1
    assert "servicedir needs these system packages: servicedir-no-such-package" in result.stderr
    assert ("apt-get update && apt-get install -y --no-install-recommends servicedir-no-such-package "
            "&& fc-cache -f") in result.stderr


def test_installed_packages_need_nothing() -> None:
    result = run_script("bash", "coreutils")
    assert (result.returncode, result.stderr) == (0, "")


def test_the_system_packages_are_installed() -> None:
    """`make test` installed them: a missing install step fails here rather than later."""
    makefile = (ROOT / "Makefile").read_text()
    build = re.search(r"^SYSTEM_PACKAGES := (.*)$", makefile, re.M)
    test = re.search(r"^TEST_SYSTEM_PACKAGES := \$\(SYSTEM_PACKAGES\)(.*)$", makefile, re.M)
    assert build and test and "chromium" in test.group(1)
    for package in build.group(1).split() + test.group(1).split():
        status = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
        assert status.stdout == "install ok installed", package
    fonts = subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True).stdout
    assert "Noto Sans CJK SC" in fonts


def test_every_dependency_is_pinned_exactly() -> None:
    for lock in ("requirements.lock", "requirements-test.lock"):
        lines = [line for line in (ROOT / lock).read_text().splitlines()
                 if line and not line.startswith((" ", "#"))]
        assert lines and all(re.fullmatch(r"[A-Za-z0-9._-]+==[\w.]+", line) for line in lines), lock
        pins = dict(line.split("==") for line in lines)
        assert pins["mkdocs"] == "1.6.1" and pins["mkdocs-material"].startswith("9.8.")
