"""Any YAML at any question: the answer is taken, or refused in one line; never a traceback.

Hypothesis throws YAML-ish text (``--data`` values, answers files) and the values YAML makes of
it at every question of every file in ``templates/questions/``: through ``archgen new``,
``recommend`` and ``update``, and through ``generate`` and the advisor. Each run ends one of
two ways: the answers pass every check and reach the render (stubbed here, so no project is
rendered per example), or one line ``error: ...`` with exit 2 (a UserError of one line from
the library); either way nothing is left on disk.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

import archgen
import archgen._generate
from archgen import UserError
from archgen._advisor import recommend
from archgen._discovery import every_question
from archgen.cli import app

runner = CliRunner()
PATTERNS = ("modular-monolith", "microservices", "serverless")
# Examples per test: enough to meet every question many times, in seconds rather than minutes.
CHECKED = settings(
    max_examples=100,
    deadline=None,
    database=None,  # nothing written to the repository
    suppress_health_check=[HealthCheck.too_slow],
)

# Every question, and names that are none: Copier's own keys, a typo, nothing.
NAMES = st.sampled_from([*sorted(every_question()), "_tasks", "_src_path", "team", ""])

# Text YAML reads as something other than what it looks like, or not at all.
TRICKY = st.sampled_from(
    [
        "{{7*7}}", "{{ project_name }}", "{% raw %}", "[", "]", "{", "}", "[/bold]",
        "'[/bold]'", "'[red]x[/]'",
        "&a [*a, *a]", "&a [*a]", "*nowhere", "!!binary aGk=", "!!python/object:os.system",
        "!!set {a, b}", "!!omap [a: 1]", "? [a]\n: b", "? {a: 1}\n: b", "2024-01-01",
        "2024-01-01T10:00:00Z", "0x1F", "0o17", "1_000", "1e3", "1.0e400", ".nan", "-.inf",
        "~", "null", "yes", "No", "on", "'unterminated", '"\\u202e"', "\x00", "a\nb", "- a",
        "a: b: c", "a: 1\na: 2", "[" * 300 + "]" * 300, "99.99", "3.12", "-1", "0",
        "9" * 400, "[pii, sox]", "{contexts: {}}", "%YAML 1.2\n---\nx", "--- a\n--- b",
    ]
)  # fmt: skip
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=40)
    | st.sampled_from(["modular-monolith", "kubernetes", "clear", "pii", "3.12", "99.9", "jwt"])
)
VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def _dumped(value: Any) -> str:
    return yaml.safe_dump(value, default_flow_style=True, allow_unicode=True).strip()


def _taken_by(name: str) -> list[str]:
    """Answers the question ``name`` takes (its choices and plain default), as YAML."""
    question = every_question().get(name)
    if question is None:
        return []
    values = [*(question.values or []), question.default, *question.trial_answers()]
    return sorted({_dumped(v) for v in values if not (isinstance(v, str) and "{" in v)})


YAML_TEXT = TRICKY | st.text(max_size=60) | VALUES.map(_dumped)
# A question and a value for it: any YAML-ish text, or (often) one the question takes, so the
# answers that pass are tested as well as those refused.
ANSWER = NAMES.flatmap(
    lambda name: st.tuples(
        st.just(name),
        st.sampled_from(_taken_by(name)) | YAML_TEXT if _taken_by(name) else YAML_TEXT,
    )
)


def assert_one_line_or_success(result: Result, *, succeeded: bool) -> None:
    """Exit 0 (``succeeded``: the command ran to the end) or one ``error:`` line, exit 2."""
    if result.exit_code == 0:
        assert succeeded, result.output
        return
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: "), result.output
    assert result.output.strip().count("\n") == 0, result.output


class ReachedRenderError(Exception):
    """The answers passed every check and reached Copier (stubbed: nothing renders)."""


@contextmanager
def stubbed_render() -> Iterator[Path]:
    """A scratch folder to generate into; Copier's render raises ``ReachedRenderError``."""
    with (
        tempfile.TemporaryDirectory() as scratch,
        mock.patch.object(archgen._generate, "_render", side_effect=ReachedRenderError),
    ):
        yield Path(scratch)
        assert list(Path(scratch).iterdir()) == [], "nothing may be left on disk"


@CHECKED
@given(answer=ANSWER, pattern=st.sampled_from([None, *PATTERNS]))
def test_new_takes_or_refuses_any_data_value(answer: tuple[str, str], pattern: str | None) -> None:
    name, text = answer
    with stubbed_render() as scratch:
        chosen = ["--pattern", pattern] if pattern else []
        arguments = ["new", str(scratch / "out"), "--defaults", *chosen, "-d", f"{name}={text}"]
        result = runner.invoke(app, arguments)
        if isinstance(result.exception, ReachedRenderError):
            event("rendered")
            return
        event("refused")
        assert_one_line_or_success(result, succeeded=False)


@CHECKED
@given(answer=ANSWER)
def test_new_takes_or_refuses_any_answers_file(answer: tuple[str, str]) -> None:
    name, text = answer
    with stubbed_render() as scratch:
        answers = scratch.parent / f"{scratch.name}.yml"
        try:
            answers.write_text(f"{name}: {text}\n", encoding="utf-8")
            result = runner.invoke(app, ["new", str(scratch / "out"), "--answers", str(answers)])
        finally:
            answers.unlink()
        if isinstance(result.exception, ReachedRenderError):
            event("rendered")
            return
        event("refused")
        assert_one_line_or_success(result, succeeded=False)


@CHECKED
@given(answer=ANSWER)
def test_recommend_advises_or_refuses_any_data_value(answer: tuple[str, str]) -> None:
    name, text = answer
    result = runner.invoke(app, ["recommend", "--json", "-d", f"{name}={text}"])
    assert_one_line_or_success(result, succeeded=True)


@CHECKED
@given(answer=ANSWER)
def test_update_refuses_any_recorded_answer_in_one_line(answer: tuple[str, str]) -> None:
    """Not a git repository, so even good answers end in a refusal, after every check."""
    name, text = answer
    with tempfile.TemporaryDirectory() as scratch:
        answers = Path(scratch) / ".copier-answers.yml"
        recorded = (
            f"_src_path: /nowhere\n_commit: v0.2.0\npattern: modular-monolith\n{name}: {text}\n"
        )
        answers.write_bytes(recorded.encode())
        result = runner.invoke(app, ["update", scratch])
        assert_one_line_or_success(result, succeeded=False)
        assert [path.name for path in Path(scratch).iterdir()] == [answers.name]
        assert answers.read_bytes() == recorded.encode()


def _refusal(call: Callable[[], object]) -> str:
    """The UserError's message when ``call`` refuses, "" when it takes the answers."""
    try:
        call()
    except (UserError, ReachedRenderError) as error:
        return error.message if isinstance(error, UserError) else ""
    return ""


@CHECKED
@given(name=NAMES, value=VALUES, pattern=st.sampled_from(PATTERNS))
def test_the_library_takes_or_refuses_any_value(name: str, value: Any, pattern: str) -> None:
    assert "\n" not in _refusal(lambda: recommend({name: value}))
    with stubbed_render() as scratch:
        generated = _refusal(
            lambda: archgen.generate(scratch / "out", pattern=pattern, answers={name: value})
        )
        assert "\n" not in generated
