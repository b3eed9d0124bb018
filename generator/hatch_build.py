"""Build hook: ship the template's git history inside archgen's wheel (docs/adr/0005).

The template is archgen's git repository, and ``copier update`` needs its history, so the
wheel carries a git bundle of it, HEAD and every tag, as ``archgen/_template/template.bundle``
with the commit it was built from in ``archgen/_template/commit``. The tags include every
release CHANGELOG.md lists, made from the list when the building clone lacks them (a tag there
that points elsewhere fails the build); an installed archgen fetches
it into its local template repository (``archgen._template_store``). The sdist carries the same
two files under ``template-bundle/``, so a wheel built from the sdist (which has no ``.git``)
ships them too. Editable installs render from the checkout itself and get neither.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

IN_SDIST = "template-bundle"
IN_WHEEL = "archgen/_template"
FILES = ("template.bundle", "commit")


class TemplateBundleHook(BuildHookInterface):  # type: ignore[type-arg]
    """Adds the template bundle and its commit to the sdist and the wheel."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if version == "editable":
            return
        folder = self._bundle()
        destination = IN_WHEEL if self.target_name == "wheel" else IN_SDIST
        for name in FILES:
            build_data["force_include"][str(folder / name)] = f"{destination}/{name}"

    def _bundle(self) -> Path:
        """The sdist's bundle when building from one, else a new one made from the checkout."""
        root = Path(self.root)
        if all((root / IN_SDIST / name).is_file() for name in FILES):
            return root / IN_SDIST
        if subprocess.run(["git", "-C", str(root), "rev-parse"], capture_output=True).returncode:
            raise RuntimeError(
                "archgen's wheel carries its template's git history: build it from a git "
                "checkout of archgen (or from an sdist made from one)"
            )
        if _git(root, "status", "--porcelain", "--untracked-files=no"):
            self.app.display_warning("uncommitted changes are not in the template bundle")
        self._scratch = Path(tempfile.mkdtemp(prefix="archgen-bundle-"))
        # The releases are tagged in a copy, so building leaves the checkout as it was.
        copy, commit = self._scratch / "template.git", _git(root, "rev-parse", "HEAD")
        _git(root, "clone", "--quiet", "--bare", "--local", str(root), str(copy))
        _git(copy, "update-ref", "--no-deref", "HEAD", commit)
        _releases(root).tag_releases(copy, require_all=True)
        _git(copy, "bundle", "create", "--quiet", str(self._scratch / FILES[0]), "HEAD", "--tags")
        (self._scratch / FILES[1]).write_text(commit + "\n")
        return self._scratch

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if scratch := getattr(self, "_scratch", None):
            shutil.rmtree(scratch, ignore_errors=True)


def _releases(root: Path) -> ModuleType:
    """archgen._releases, loaded from its file: the build environment has hatchling (and its
    packaging), not archgen's other dependencies, and the module needs no more. The modules
    are registered only while loading, so an archgen imported later is the real one."""
    names = ("archgen._errors", "archgen._releases")
    saved = {name: sys.modules.get(name) for name in names}
    try:
        for name in names:
            path = root / "generator" / f"{name.replace('.', '/')}.py"
            spec = importlib.util.spec_from_file_location(name, path)
            assert spec is not None
            assert spec.loader is not None
            module = importlib.util.module_from_spec(spec)
            sys.modules[name] = module
            spec.loader.exec_module(module)
        return module
    finally:
        for name, previous in saved.items():
            if previous is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = previous


def _git(root: Path, *arguments: str) -> str:
    completed = subprocess.run(
        ["git", "-C", str(root), *arguments], capture_output=True, text=True, check=True
    )
    return completed.stdout.strip()
