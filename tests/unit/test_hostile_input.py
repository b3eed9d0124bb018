"""Hostile input to `archgen new`: each case is a clear error or a safe render, never code run.

Errors: exit 2, one line naming the bad answer, nothing on disk. Safe renders: the text comes
back exactly as given (from the TOML and the Python the project is made of), every file still
parses, the output is ruff-clean, nothing is written outside the destination, and the shell
and Python payloads in the text never ran (their marker file does not exist), even when
`archgen new` installs the project and imports its app to export the OpenAPI document.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

import archgen
from archgen._domain import EXAMPLE_DOMAIN_PATH, MAX_SPEC_BYTES
from archgen.cli import app

runner = CliRunner()
RUFF = Path(sys.executable).parent / "ruff"
MARKER = "pwned"


def _payload(folder: Path) -> str:
    """Quotes, backslashes, Jinja, shell and Python that would each create the marker if run."""
    marker = folder / MARKER
    return (
        f'Say "hi"""; __import__("os").system("touch {marker}") # \\ {{{{ 7*7 }}}} {{% raw %}} '
        f"$(touch {marker}) `touch {MARKER}`; ' \" \\n"
    )


# Accents, a dash and full-width letters that ruff calls ambiguous, CJK, Cyrillic, emoji with
# a zero-width joiner and a variation selector.
UNICODE_TEXT = (
    "Caf\u00e9 \u2013 na\u00efve \uff46\uff55\uff4c\uff4c \u65e5\u672c\u8a9e "
    "\u041f\u0440\u0438\u0432\u0435\u0442 \U0001f680 \U0001f469\u200d\U0001f4bb \u2714\ufe0f"
)


def _domain(**changes: Any) -> dict[str, Any]:
    domain: dict[str, Any] = yaml.safe_load(EXAMPLE_DOMAIN_PATH.read_text())
    for path, value in changes.items():
        node = domain
        *parents, leaf = path.split(".")
        for key in parents:
            node = node[key]
        node[leaf] = value
    return domain


def _contexts(*names: str) -> dict[str, Any]:
    """A spec of one single-field entity in each of the contexts ``names``."""
    item = {"fields": {"name": {"type": "string"}}}
    return {"contexts": {name: {"entities": {f"item{i}": item}} for i, name in enumerate(names)}}


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
)


@pytest.mark.parametrize(
    ("arguments", "domain", "message"),
    [
        (["--data", "package_name=../evil"], None, "package_name: package name '../evil'"),
        (["--data", "project_slug=../../evil"], None, "project_slug:"),
        (["--data", "package_name=import"], None, "package_name: package name 'import'"),
        (["--data", 'project_name="Acme\\nimport os"'], None, "project_name: contains U+000A"),
        (["--data", 'description="Sell \\u202egnp.exe"'], None, "description: contains U+202E"),
        (["--data", f"description={'x' * 301}"], None, "description: is 301 characters long"),
        (["--data", "project_name=' '"], None, "project_name: must not be empty"),
        (["--data", "_tasks=['touch pwned']"], None, "'_tasks' is not a question"),
        (["--data", "_exclude=['*']"], None, "'_exclude' is not a question"),
        (["--data", "description={{7*7}}"], None, "description must be a str, not a mapping"),
        (["--data", "team_size='[/bold]'"], None, "team_size must be an int, not the str '[/b"),
        ([], _contexts("../etc"), "contexts: context name '../etc' must be snake_case"),
        ([], _domain(**{"contexts.catalog.entities.product.fields.class": {"type": "string"}}),
         "'class' is a reserved Python keyword"),
        ([], _domain(**{"contexts.catalog.entities.product.description": "a\x00b"}),
         "contexts.catalog.entities.product.description: contains U+0000"),
        ([], _contexts("{{ 7*7 }}"), "context name '{{ 7*7 }}' must be snake_case"),
        ([], _contexts(*(f"c{i}" for i in range(21))),
         "contexts: Dictionary should have at most 20 items"),
        ([], "x" * (MAX_SPEC_BYTES + 1), f"a spec is at most {MAX_SPEC_BYTES:,}"),
        ([], ALIAS_BOMB + "contexts: {shop: {entities: {item: {fields: *i}}}}\n",
         "contexts.shop.entities.item.fields: Input should be a valid dictionary"),
        ([], "contexts: !!python/object/apply:os.system ['touch pwned']\n",
         "could not determine a constructor for the tag"),
    ],
    ids=[
        "package-path-traversal", "slug-path-traversal", "package-reserved-word",
        "name-with-newline", "description-bidi-override", "description-too-long",
        "blank-name", "copier-tasks-injection", "copier-exclude-injection",
        "jinja-in-a-value", "console-markup-in-a-value",
        "context-path-traversal", "field-reserved-word", "description-nul", "jinja-in-a-name",
        "too-many-contexts", "huge-spec-file", "yaml-alias-bomb", "yaml-python-tag",
    ],
)  # fmt: skip
def test_hostile_answers_are_one_clear_error_and_nothing_written(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    arguments: list[str],
    domain: Any,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    if domain is not None:
        spec = tmp_path / "domain.yml"
        if isinstance(domain, str):
            spec.write_text(domain, encoding="utf-8")
        else:
            spec.write_text(yaml.safe_dump(domain, allow_unicode=True), encoding="utf-8")
        arguments = [*arguments, "--domain", str(spec)]
    result = runner.invoke(app, ["new", str(work / "out"), "--defaults", *arguments])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert result.output.strip().count("\n") == 0, result.output
    assert list(work.iterdir()) == []
    assert not list(tmp_path.rglob(MARKER))


@pytest.mark.parametrize("pattern", ["modular-monolith", "microservices", "serverless"])
def test_hostile_free_text_renders_safely_and_reads_back_exactly(
    tmp_path: Path, pattern: str
) -> None:
    text = f"{_payload(tmp_path)} {UNICODE_TEXT}"
    name = 'Acme "Shop" \\ {{ name }}'
    # Longer than a line: wrapped in docstrings.
    long_text = f"{text} " + "long words " * 10
    domain = _domain(
        **{
            "contexts.catalog.description": long_text,
            "contexts.catalog.entities.product.description": long_text,
        }
    )
    destination = tmp_path / "out"

    # GraphQL carries the entities' descriptions into code too.
    archgen.generate(
        destination,
        pattern=pattern,
        answers={"project_name": name, "description": text, "graphql": True},
        domain=domain,
        export_openapi=False,
    )

    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    pyproject = tomllib.loads((destination / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["description"] == text
    mains = sorted(destination.rglob("main.py"))
    assert mains
    for main in mains:
        constants = _module_constants(main)
        assert constants["API_DESCRIPTION"] == text
        assert constants["API_TITLE"].startswith(name)
    (schema,) = destination.rglob("modules/catalog/graphql.py")
    described = " ".join(_module_constants(schema)["PRODUCT_DESCRIPTION"].split())
    assert described == " ".join(long_text.split())
    docstrings = [_docstring(path) for path in destination.rglob("__init__.py")]
    assert any(docstring.endswith(" ".join(long_text.split())) for docstring in docstrings)
    _assert_every_file_parses(destination)
    _assert_ruff_clean(destination)
    assert not list(tmp_path.rglob(MARKER))


def test_archgen_new_imports_a_hostile_project_without_running_its_text(tmp_path: Path) -> None:
    """`archgen new` installs the project and imports its app: the text must stay text."""
    text = _payload(tmp_path)
    destination = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "new",
            str(destination),
            "--defaults",
            "--data",
            f"description={json.dumps(text, ensure_ascii=False)}",
            "--data",
            f"project_name={json.dumps(UNICODE_TEXT, ensure_ascii=False)}",
        ],
    )
    assert result.exit_code == 0, result.output
    info = json.loads((destination / "openapi.json").read_text(encoding="utf-8"))["info"]
    assert (info["title"], info["description"]) == (UNICODE_TEXT, text)
    assert not list(tmp_path.rglob(MARKER))


def _module_constants(path: Path) -> dict[str, Any]:
    """The module's ``NAME = <literal>`` assignments (adjacent literals are one constant)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _docstring(path: Path) -> str:
    """The module's docstring with its line breaks and indents folded to single spaces."""
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return " ".join(docstring.split())


class _TaggedYamlLoader(yaml.SafeLoader):
    """Reads CloudFormation's ``!Ref``-style tags as plain nodes: only the syntax matters."""


_TaggedYamlLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def _assert_every_file_parses(root: Path) -> None:
    for path in root.rglob("*"):
        if path.suffix == ".py":
            ast.parse(path.read_text(encoding="utf-8"), str(path))
        elif path.suffix == ".toml":
            tomllib.loads(path.read_text(encoding="utf-8"))
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))
        elif path.suffix in {".yml", ".yaml"}:
            list(yaml.load_all(path.read_text(encoding="utf-8"), Loader=_TaggedYamlLoader))


def _assert_ruff_clean(root: Path) -> None:
    for command in (["check", "--no-cache"], ["format", "--check", "--no-cache"]):
        result = subprocess.run(
            [RUFF, *command, str(root)], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr
