"""archgen installed from its wheel, with no repository around and git limited to local files.

The wheel carries the template's history, with a tag for every release CHANGELOG.md lists
even when the clone it is built from has none; the first run fills the user's template store
from it, and projects record that store. A newer wheel, built after a release is cut, adds its
version to the store, and a project generated on one machine updates on another (another home
folder, so another store) to that release.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from archgen._releases import listed_releases
from archgen.cli import app
from tests.git_projects import GIT_IDENTITY, ROOT, clone_template, commit_all, git

pytestmark = pytest.mark.e2e

RELEASE_NOTE = "Ask the platform team."
OLDEST = listed_releases(ROOT)[-1]


def uv(*arguments: str, cwd: Path | None = None) -> str:
    completed = subprocess.run(
        ["uv", *arguments], cwd=cwd, capture_output=True, text=True, check=True
    )
    return completed.stdout.strip()


def install_wheel(template: Path, venv: Path, folder: Path) -> None:
    """Build archgen's wheel from ``template`` and install it into ``venv``."""
    uv("build", "--wheel", "--quiet", "--out-dir", str(folder), cwd=template)
    wheel = next(folder.glob("archgen-*.whl"))
    if not venv.exists():
        uv("venv", "--quiet", "--python", sys.executable, str(venv))
    uv("pip", "install", "--quiet", "--python", str(venv / "bin/python"),
       "--reinstall-package", "archgen", str(wheel))  # fmt: skip


def archgen(venv: Path, home: Path, cwd: Path, *arguments: str) -> str:
    """The installed command, for a user whose home is ``home``, with no network for git."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"ARCHGEN_TEMPLATE", "ARCHGEN_TEMPLATE_STORE", "XDG_DATA_HOME"}
    }
    env |= {
        "HOME": str(home),
        "GIT_ALLOW_PROTOCOL": "file",  # any clone or fetch over the network fails
        "UV_CACHE_DIR": uv("cache", "dir"),  # the package cache stays warm
        "PATH": f"{venv / 'bin'}{os.pathsep}{env['PATH']}",
    }
    completed = subprocess.run(
        [venv / "bin/archgen", *arguments], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return completed.stdout


def store_of(home: Path) -> Path:
    return home / ".local/share/archgen/template.git"


def test_a_wheel_install_generates_and_updates_from_its_own_template_history(
    tmp_path: Path,
) -> None:
    template = clone_template(tmp_path)  # without tags: the wheel's bundle gets them anyway
    generated_at = git(template, "rev-parse", "HEAD").strip()
    venv, work = tmp_path / "venv", tmp_path / "work"
    work.mkdir()
    install_wheel(template, venv, tmp_path / "wheel-1")
    alice, bob = tmp_path / "alice", tmp_path / "bob"

    archgen(venv, alice, work, "new", "shop", "--pattern", "modular-monolith", "--defaults")

    project = work / "shop"
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_src_path"] == str(store_of(alice))
    assert answers["_commit"].endswith(generated_at[:7])
    assert git(store_of(alice), "rev-parse", OLDEST.tag).strip() == OLDEST.commit
    assert git(template, "tag") == ""  # building tagged a copy, not the clone
    git(project, "init", "--quiet")
    commit_all(project, "generated")

    readme = template / "templates/modular-monolith/README.md.jinja"
    readme.write_text(readme.read_text() + f"\n## Support\n\n{RELEASE_NOTE}\n")
    changelog = template / "CHANGELOG.md"
    changelog.write_text(
        changelog.read_text().replace("## Unreleased\n", "## Unreleased\n\n- Support.\n", 1)
    )
    commit_all(template, "a template change, with its note")
    released = git(template, "rev-parse", "HEAD").strip()
    cut = CliRunner(env=GIT_IDENTITY).invoke(
        app, ["releases", "--cut", "99.0.0", "--template", str(template)]
    )
    assert cut.exit_code == 0, cut.output
    install_wheel(template, venv, tmp_path / "wheel-2")
    # Bob's machine: Alice's store is not there; Bob's own, filled by the new wheel, is.
    subprocess.run(["rm", "-rf", str(alice)], check=True)

    output = archgen(venv, bob, work, "update", "shop")

    assert "README.md" in output
    assert RELEASE_NOTE in (project / "README.md").read_text()
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_src_path"] == str(store_of(bob))
    assert answers["_commit"] == "v99.0.0"  # the newest release, which the new wheel carries
    assert git(store_of(bob), "rev-parse", "v99.0.0").strip() == released
    assert git(store_of(bob), "rev-parse", OLDEST.tag).strip() == OLDEST.commit
