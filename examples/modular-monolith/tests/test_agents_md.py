"""AGENTS.md tells coding agents how to work in this project: every command of its ``sh``
blocks must still run, or the agents that follow it fail. Each is tried without side effects:
a make target as a dry run, a tool with ``--help``; the files and the app it names must exist.
"""

import importlib
import importlib.util
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
AGENTS_MD = ROOT / "AGENTS.md"
TOOLS = Path(sys.executable).parent  # where `uv run` finds the project's tools


def _commands() -> list[str]:
    """Each command line of AGENTS.md's ``sh`` blocks, without its comment."""
    text = AGENTS_MD.read_text(encoding="utf-8")
    blocks = re.findall(r"^```sh\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    lines = (line.split("  #")[0].strip() for block in blocks for line in block.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _check_named_things(line: str, arguments: list[str], cwd: Path) -> None:
    """The files (``a/b``) and apps (``package.module:factory``) a command names exist."""
    for argument in arguments:
        if "/" in argument and not argument.startswith(("-", "http")) and "=" not in argument:
            assert (cwd / argument).exists(), f"`{line}`: {argument} does not exist"
        if re.fullmatch(r"\w+(\.\w+)+:\w+", argument):
            # Found, not imported: an app of another service would add its tables to this one's.
            module, attribute = argument.split(":")
            spec = importlib.util.find_spec(module)
            assert spec is not None, f"`{line}`: no module {module}"
            assert spec.origin is not None
            assert f"def {attribute}(" in Path(spec.origin).read_text(), f"`{line}`: no {argument}"


def _runs(line: str, command: list[str], cwd: Path) -> None:
    completed = subprocess.run(  # noqa: S603 (AGENTS.md's own commands, in a harmless form)
        command, cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )
    assert completed.returncode == 0, f"`{line}`:\n{completed.stdout}{completed.stderr}"


def test_agents_md_names_the_everyday_commands() -> None:
    named = " ".join(_commands())
    for command in ("uv sync", "make check", "make lint", "make test", "make clients", "make load"):
        assert command in named


@pytest.mark.parametrize("line", _commands())
def test_command_runs(line: str, monkeypatch: pytest.MonkeyPatch) -> None:
    cwd, command = ROOT, shlex.split(line)
    if command[0] == "cd":  # cd FOLDER && COMMAND
        cwd, command = ROOT / command[1], command[3:]
    assert cwd.is_dir(), f"`{line}`: no folder {cwd}"
    _check_named_things(line, command[1:], cwd)
    if command[0] == "make":
        _runs(line, ["make", "--dry-run", *command[1:]], cwd)
    elif command[:4] == ["uv", "run", "python", "-m"]:
        # In this process, where the app is imported already: the main(argv) `python -m` calls.
        module, *arguments = command[4:]
        monkeypatch.chdir(cwd)
        main = getattr(importlib.import_module(module), "main", None)
        assert callable(main), f"`{line}`: {module} has no main(argv)"
        with pytest.raises(SystemExit) as exited:
            main([*arguments, "--help"])
        assert exited.value.code == 0, f"`{line}` exited {exited.value.code}"
    elif command[:3] == ["uv", "run", "pytest"]:
        pass  # pytest runs: this test runs in it (the files it names are checked above)
    elif command[:2] == ["uv", "run"]:
        _runs(line, [str(TOOLS / command[2]), *command[3:], "--help"], cwd)
    elif shutil.which(command[0]):
        _runs(line, [*command, "--help"], cwd)
    else:
        pytest.skip(f"{command[0]} is not installed here")
