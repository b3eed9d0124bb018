"""``archgen recommend``: advise a pattern from discovery answers, with the reasons."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from archgen._advisor import Recommendation, recommend
from archgen._answers import check_answers, load_answers_file, parse_data_pairs
from archgen.cli._errors import exit_on_error


def recommendation_table(recommendation: Recommendation) -> Table:
    """Each pattern's score with the reasons that moved it, best first."""
    table = Table(title="Patterns for these answers", show_lines=True)
    table.add_column("pattern")
    table.add_column("score", justify="right")
    table.add_column("why")
    for score in recommendation.scores:
        why = [f"{reason.points:+d}  {reason.text}" for reason in score.reasons]
        if not score.runs_on_deployment:
            why.insert(0, f"(not on {recommendation.answers['deployment']})")
        table.add_row(score.pattern, str(score.score), "\n".join(why) or "no rule applies")
    return table


def print_recommendation(console: Console, recommendation: Recommendation) -> None:
    console.print(recommendation_table(recommendation))
    console.print(f"[bold green]Recommended:[/] {recommendation.pattern}")
    for warning in recommendation.warnings:
        console.print(f"[yellow]warning ({warning.name}):[/] {warning.text}")
    changed = [option for option in recommendation.options if option.changed]
    if changed:
        console.print("[bold]Options these answers change[/]")
        for option in changed:
            source = f"from {', '.join(option.because)}" if option.because else "given"
            console.print(f"  {option.name} = {option.value!r}  ({source})")
    if recommendation.open_questions:
        console.print("[bold]Unanswered questions that would change the outcome[/]")
        for question in recommendation.open_questions:
            outcomes = ", ".join(f"{answer} → {p}" for answer, p in question.outcomes.items())
            console.print(f"  {question.name}: {outcomes}")


def recommend_command(
    answers_file: Annotated[
        Path | None,
        typer.Option("--answers", help="YAML file of discovery answers (as for `archgen new`)."),
    ] = None,
    data: Annotated[
        list[str] | None,
        typer.Option("--data", "-d", help="One answer as KEY=VALUE; repeatable."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the advice as JSON.")] = False,
) -> None:
    """Advise a pattern from discovery answers: scores, reasons, warnings, option changes."""
    with exit_on_error():
        answers: dict[str, Any] = load_answers_file(answers_file) if answers_file else {}
        answers.update(parse_data_pairs(data or []))
        check_answers(answers)
        answers.pop("pattern", None)  # a chosen pattern is what the advice is about
        advice = recommend(answers)
    if as_json:
        typer.echo(json.dumps(advice.as_data(), indent=2))
        return
    print_recommendation(Console(soft_wrap=True), advice)
