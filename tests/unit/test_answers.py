"""Answers from files and --data pairs."""

from __future__ import annotations

from pathlib import Path

import pytest

from archgen import UserError
from archgen._answers import load_answers_file, parse_data_pairs


def test_data_values_are_read_as_yaml() -> None:
    assert parse_data_pairs(
        ["peak_rps=500", "compliance=[pii, gdpr]", "project_name=Acme Shop"]
    ) == {
        "peak_rps": 500,
        "compliance": ["pii", "gdpr"],
        "project_name": "Acme Shop",
    }


@pytest.mark.parametrize("pair", ["no-equals", "=value"])
def test_malformed_pairs_are_refused(pair: str) -> None:
    with pytest.raises(UserError, match="expected KEY=VALUE"):
        parse_data_pairs([pair])


def test_a_copier_answers_file_can_be_reused(tmp_path: Path) -> None:
    path = tmp_path / ".copier-answers.yml"
    path.write_text("_commit: abc\n_src_path: /x\nproject_name: Acme\nteam_size: 4\n")
    assert load_answers_file(path) == {"project_name": "Acme", "team_size": 4}


def test_an_answers_file_must_be_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "answers.yml"
    path.write_text("- a\n- b\n")
    with pytest.raises(UserError, match="must be a mapping"):
        load_answers_file(path)
