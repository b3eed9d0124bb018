"""Answers from files and --data pairs, and the checks every answer passes before a render."""

from __future__ import annotations

from pathlib import Path

import pytest

from archgen import UserError
from archgen._answers import (
    check_answer_changes,
    check_answers,
    load_answers_file,
    parse_data_pairs,
)
from archgen._jinja import identity_change_errors


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


def test_a_value_that_is_not_utf_8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "answers.yml"
    path.write_bytes(b"team_size: \xff\xfe\n")
    with pytest.raises(UserError, match="not UTF-8 text"):
        load_answers_file(path)


def test_jinja_in_a_value_reads_as_the_mapping_yaml_makes_of_it() -> None:
    (value,) = parse_data_pairs(["description={{7*7}}"]).values()
    assert isinstance(value, dict)
    with pytest.raises(UserError) as raised:
        check_answers({"description": value})
    assert raised.value.message == "answers: description must be a str, not a mapping"


@pytest.mark.parametrize(
    ("pair", "message"),
    [
        ("description={a: 1}", "description must be a str, not a mapping"),
        ("project_name=[Acme, Shop]", "project_name must be a str, not a list"),
        ("project_name=5", "project_name must be a str, not the int 5: quote it to give text"),
        ("python_version=3.12", "python_version must be a str, not the float 3.12: quote it"),
        ("availability=99.9", "availability must be a str, not the float 99.9: quote it"),
        ("team_size=four", "team_size must be an int, not the str 'four'"),
        ("team_size=true", "team_size must be an int, not the bool True"),
        ("peak_rps=2.5", "peak_rps must be an int, not the float 2.5"),
        ("peak_rps=~", "peak_rps must be an int, not null"),
        ("long_running_work=1", "long_running_work must be a bool, not the int 1"),
        ("independent_scaling=maybe", "independent_scaling must be a bool, not the str 'maybe'"),
        ("compliance=pii", "compliance must be a list of 'pii', 'hipaa', 'pci-dss', 'gdpr', not"),
        ("compliance=[pii, {a: 1}]", "compliance must be a list of 'pii', 'hipaa', 'pci-dss', "
         "'gdpr'; a mapping is not one of them"),
        ("traffic_shape=[steady]", "traffic_shape must be a str, not a list"),
        ("cache_ttl_seconds={}", "cache_ttl_seconds must be an int, not a mapping"),
        ("pattern=[microservices]", "pattern must be a str, not a list"),
        ("pattern=big-ball-of-mud", "pattern must be one of 'modular-monolith'"),
        ("domain=[a]", "domain spec: must be a mapping with a 'contexts' key"),
        ("domain_history={a: 1}", "domain_history: must be a list of earlier domain specs"),
        ("description=2024-01-01", "description must be a str, not the date datetime.date(2024"),
    ],
)  # fmt: skip
def test_a_value_of_the_wrong_type_is_refused_by_its_question(pair: str, message: str) -> None:
    with pytest.raises(UserError) as raised:
        check_answers(parse_data_pairs([pair]))
    assert message in raised.value.message
    assert "\n" not in raised.value.message


def test_a_long_value_is_shortened_in_the_message() -> None:
    with pytest.raises(UserError) as raised:
        check_answers({"team_size": "x" * 500})
    assert raised.value.message == f"answers: team_size must be an int, not the str '{'x' * 36}..."


def test_the_deployment_is_checked_against_the_pattern_when_it_is_known() -> None:
    check_answers({"deployment": "kubernetes"})
    with pytest.raises(UserError, match="the serverless pattern deploys to aws-lambda"):
        check_answers({"deployment": "kubernetes"}, pattern="serverless")


def test_answers_that_fit_pass_and_the_source_names_where_they_came_from() -> None:
    check_answers(
        {
            "project_name": "Acme Shop",
            "team_size": 12,
            "independent_scaling": True,
            "compliance": ["pii"],
            "availability": "99.99",
            "python_version": "3.12",
            "cache_ttl_seconds": 60,
        }
    )
    with pytest.raises(UserError, match=r"^shop/\.copier-answers\.yml: peak_rps must be an int"):
        check_answers({"peak_rps": "many"}, source="shop/.copier-answers.yml")


def test_an_answer_of_an_earlier_template_is_read_under_its_new_name(tmp_path: Path) -> None:
    """Template 0.4.0 asks for identity where earlier ones asked for auth_style (always jwt)."""
    path = tmp_path / ".copier-answers.yml"
    path.write_text("_commit: v0.3.0\nproject_name: Acme\nauth_style: jwt\n")
    assert load_answers_file(path) == {"project_name": "Acme", "identity": "builtin"}
    assert parse_data_pairs(["auth_style=jwt"]) == {"identity": "builtin"}
    check_answers(parse_data_pairs(["auth_style=jwt"]))


def test_an_answer_given_under_both_names_must_agree() -> None:
    assert parse_data_pairs(["auth_style=jwt", "identity=builtin"]) == {"identity": "builtin"}
    with pytest.raises(UserError, match=r"auth_style='jwt'.*contradicts identity='oidc'"):
        parse_data_pairs(["auth_style=jwt", "identity=oidc"])


def test_an_identity_mode_archgen_does_not_know_is_refused() -> None:
    with pytest.raises(UserError, match="identity must be one of 'builtin', 'oidc'"):
        check_answers({"identity": "saml"})


@pytest.mark.parametrize(
    ("recorded", "requested", "loses"),
    [
        ({"identity": "builtin"}, "oidc", "drop the identity_users table"),
        ({"auth_style": "jwt"}, "oidc", "drop the identity_users table"),
        (
            {"identity": "builtin", "pattern": "microservices"},
            "oidc",
            "with the identity service and its database",
        ),
        ({"identity": "oidc"}, "builtin", "add a users table and password storage"),
    ],
)
def test_the_identity_mode_cannot_change_after_generation(
    recorded: dict[str, str], requested: str, loses: str
) -> None:
    fixed = f"^--data identity: identity is fixed at generation.*{loses}"
    with pytest.raises(UserError, match=fixed):
        check_answer_changes(recorded, {"identity": requested})


def test_answers_that_keep_the_identity_mode_may_change() -> None:
    check_answer_changes({"auth_style": "jwt"}, {"identity": "builtin", "cache_reads": False})
    check_answer_changes({"identity": "oidc"}, {"auth_style": "oauth2-scopes"})


def test_copiers_own_check_refuses_a_switch_in_a_generated_project(tmp_path: Path) -> None:
    """`copier update -d identity=...` meets the same rule: the template's validator reads the
    answers recorded in the destination; a fresh destination has none."""
    assert identity_change_errors("oidc", tmp_path) == ""
    (tmp_path / ".copier-answers.yml").write_text("_commit: v0.3.0\nauth_style: jwt\n")
    assert identity_change_errors("builtin", tmp_path) == ""
    assert "identity is fixed at generation (builtin)" in identity_change_errors("oidc", tmp_path)
