"""The discovery interview ``archgen new`` holds on a terminal when no pattern is given.

It asks the template's own discovery questions (``archgen._discovery``) with their choices and
defaults, re-asking an answer the question refuses, then shows the advisor's recommendation
and lets the user accept it or choose another pattern; a pattern chosen over the advice is
warned about here and recorded, with its warnings, in the project's ADR 0001. The remaining
questions (project name, options, deployment) are Copier's to ask.
"""

from __future__ import annotations

from typing import Any, TextIO

from rich.console import Console
from rich.prompt import Confirm, IntPrompt, Prompt

from archgen._advisor import Recommendation, recommend, warnings_for
from archgen._blueprints import list_blueprints
from archgen._discovery import DISCOVERY_QUESTIONS, Question, discovery_defaults, questions
from archgen.cli._recommend import print_recommendation


def _ask_once(question: Question, default: Any, console: Console, stream: TextIO | None) -> Any:
    prompt = f"[bold]{question.help}[/]"
    if question.type == "bool":
        return Confirm.ask(prompt, default=bool(default), console=console, stream=stream)
    if question.type == "int":
        return IntPrompt.ask(prompt, default=int(default), console=console, stream=stream)
    if question.multiselect:
        choices = ", ".join(map(str, question.values or []))
        raw = Prompt.ask(
            f"{prompt} (comma-separated: {choices}; empty for none)",
            default=",".join(default),
            console=console,
            stream=stream,
        )
        return [item.strip() for item in raw.split(",") if item.strip()]
    values = [str(value) for value in question.values or []]
    return Prompt.ask(
        prompt, choices=values or None, default=str(default), console=console, stream=stream
    )


def ask_discovery(console: Console, stream: TextIO | None = None) -> dict[str, Any]:
    """Every discovery question but the deployment target, re-asked until accepted."""
    answers: dict[str, Any] = {}
    defaults = discovery_defaults()
    for question in questions(DISCOVERY_QUESTIONS):
        if question.name == "deployment":
            continue  # its default follows the pattern: Copier asks it once that is chosen
        while True:
            answer = _ask_once(question, defaults[question.name], console, stream)
            problem = question.problem(answer, {**defaults, **answers})
            if not problem:
                break
            console.print(f"[red]{question.name} {problem}[/]")
        answers[question.name] = answer
    return answers


def choose_pattern(advice: Recommendation, console: Console, stream: TextIO | None = None) -> str:
    """The advised pattern, or the one the user picks over it (warned about, with reasons)."""
    print_recommendation(console, advice)
    names = [blueprint.name for blueprint in list_blueprints() if blueprint.available]
    chosen = Prompt.ask(
        "[bold]Pattern[/]", choices=names, default=advice.pattern, console=console, stream=stream
    )
    if chosen != advice.pattern:
        console.print(
            f"[yellow]{chosen} is chosen over the advice ({advice.pattern}); docs/adr/0001 "
            "records it with these warnings:[/]"
        )
        for warning in warnings_for(chosen, advice.answers):
            console.print(f"  [yellow]•[/] {warning.text}")
    return chosen


def interview(console: Console, stream: TextIO | None = None) -> tuple[str, dict[str, Any]]:
    """Ask the discovery questions, advise, and return the pattern chosen and the answers."""
    answers = ask_discovery(console, stream)
    return choose_pattern(recommend(answers), console, stream), answers
