"""Update a generated project to a newer template version, keeping its owners' work.

``update`` checks everything it can before touching the project (a clean git tree, an archgen
answers file with its ``_src_path`` and ``_commit``, a reachable template that holds that
commit, a target version that does not go backwards), then runs ``copier update``: a 3-way
merge of the owners' changes with the template's, then exports the API documents and the
generated sections of docs/architecture.md again from the updated code (they are the app's
output, not template files). It reports the changed
files and the conflicts left inline, file by file. When anything fails after the project was
touched, the tree goes back to the clean state it started from (git), so a failed update
changes nothing.

The same update grows the domain: given a new domain spec that only adds to the recorded one
(``_schema_history``), the recorded spec joins ``domain_history`` and the template renders the
new code, tests and one new Alembic revision, at the project's template version unless a
newer one is asked for. So do changed answers (``data``, the CLI's ``--data KEY=VALUE``): a
capability turned on after generation arrives through the same merge, the new values checked
with every other recorded answer first.

With no version asked for, the update moves to the newest release (``default_target``).
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import copier
from copier.errors import CopierError
from jinja2 import TemplateError

from archgen._answers import check_answers
from archgen._api_documents import export_api_documents
from archgen._blueprints import get_blueprint
from archgen._discovery import every_question
from archgen._domain import load_domain_file, load_yaml, parse_domain
from archgen._errors import UserError
from archgen._releases import (
    Release,
    commit_version,
    listed_releases,
    release_tags,
    releases_between,
)
from archgen._schema_history import check_growth, schema_revisions
from archgen._smoke._target import ANSWERS_FILE
from archgen._template import default_ref, is_repository, tag_template
from archgen._template_store import installed_template

CONFLICT_MARKER = "<<<<<<< "
# Answers ``--data`` cannot change, and why: each would rewrite what a deployed project has
# already applied or moved, which a 3-way merge cannot carry.
_FIXED_ANSWERS = {
    "pattern": "a project keeps the pattern it was generated with (generate a new project)",
    "package_name": "renaming the package moves every module, and the owners' edits with "
    "them would be lost: rename it by hand",
    "domain": "grow the domain with --domain FILE (`archgen domain` prints the recorded one)",
    "domain_history": "the domain's history is archgen's record of --domain growths",
    "audit_log": "the audit-log table comes with the initial migration, which databases have "
    "applied: turning it on or off later needs a revision of its own, which archgen does not "
    "write yet",
    "encrypt_pii": "the pii fields' columns and the values already stored would change: that "
    "needs a data migration, which archgen does not write",
    "background_jobs_revision": "archgen records the migration that added the job tables when "
    "an update turns background jobs on (--data background_jobs=true)",
}
_UPDATE_ERRORS = (CopierError, ValueError, TemplateError, OSError, subprocess.CalledProcessError)


@dataclass(frozen=True)
class UpdatePlan:
    """What the preflight found: where the template is, and the versions involved."""

    project: Path
    template: str
    current: str  # the recorded _commit
    target: str  # the ref to update to, as given or defaulted
    target_commit: str  # the full commit id ``target`` resolves to
    data: dict[str, Any] = field(default_factory=dict)  # changed answers, a grown domain
    recorded_source: bool = True  # False: ``template`` replaces the answers' ``_src_path``
    releases: tuple[Release, ...] = ()  # the listed releases the update takes in, newest first


@dataclass
class UpdateResult:
    """What the update changed; ``conflicts`` hold inline conflict markers to resolve."""

    plan: UpdatePlan
    changed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    applied: bool = True  # False for a dry run: the tree was restored
    notes: list[str] = field(default_factory=list)  # what could not be made on this machine

    @property
    def up_to_date(self) -> bool:
        return not self.changed


def _git(cwd: Path | str, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *arguments], cwd=cwd, capture_output=True, text=True, check=False, timeout=120
    )


def read_answers(project: Path) -> Mapping[str, Any]:
    path = project / ANSWERS_FILE
    if not path.is_file():
        raise UserError(
            f"{project} was not generated by archgen: it has no {ANSWERS_FILE} "
            "(archgen updates projects made with `archgen new`)"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{path} is not an archgen answers file: it is not UTF-8 text") from None
    answers = load_yaml(text, str(path)) or {}
    if not isinstance(answers, dict) or "pattern" not in answers:
        raise UserError(f"{path} is not an archgen answers file: it records no pattern")
    for key in ("_src_path", "_commit"):
        if not answers.get(key):
            raise UserError(
                f"{path} lacks {key}: restore it from the project's git history "
                f"(`git log -p {ANSWERS_FILE}`); update needs it to know the version generated"
            )
    return answers


def _check_clean_tree(project: Path) -> None:
    inside = _git(project, "rev-parse", "--show-toplevel")
    if inside.returncode != 0:
        raise UserError(f"{project} is not a git repository: commit the project first (`git init`)")
    if dirty := _status_paths(project):
        files = ", ".join(dirty[:5])
        raise UserError(
            f"{project} has uncommitted changes ({files}): commit or stash them, so the "
            "update's changes can be reviewed and undone on their own"
        )


def _resolve(template: str, ref: str, what: str) -> str:
    """The full commit id of ``ref`` in the template repository, or a UserError."""
    resolved = _git(template, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if resolved.returncode != 0:
        raise UserError(f"the template at {template} has no {what} {ref!r}")
    return resolved.stdout.strip()


def default_target(source: str, current_commit: str, *, prereleases: bool = False) -> str:
    """What an update moves to when no version is asked for (docs/adr/0006).

    The newest release (the highest PEP 440 version, as Copier picks it) while the project is
    at or before it. A project generated past it, from an unreleased commit, follows the line
    it came from: the checkout's HEAD, the installed wheel's commit, a clone's HEAD.
    """
    releases = release_tags(source, prereleases=prereleases)
    if releases:
        newest = max(releases)
        current = commit_version(source, current_commit)
        if current is None or current <= newest:
            return releases[newest]
    return default_ref(source) or "HEAD"


def _commit_of(recorded: str) -> str:
    """The commit part of a recorded ``git describe`` (``v0.1.0-4-gabc1234`` -> ``abc1234``)."""
    tail = recorded.rsplit("-g", 1)
    return tail[1] if len(tail) == 2 and recorded.count("-") >= 2 else recorded


def _grown_domain(answers: Mapping[str, Any], domain_file: Path) -> dict[str, Any]:
    """The answers that grow the recorded domain into ``domain_file``'s, checked."""
    new = load_domain_file(domain_file)
    if problem := get_blueprint(str(answers["pattern"])).domain_problem(new):
        raise UserError(f"domain spec {domain_file}: {problem}")
    current = parse_domain(answers.get("domain"))
    if new.as_data == current.as_data:
        raise UserError(f"domain spec {domain_file} is the one the project already has")
    check_growth(current, new)
    history = list(answers.get("domain_history") or [])
    return {"domain": new.as_data, "domain_history": [*history, current.as_data]}


def _jobs_turned_on(answers: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """The revision that adds the job tables, when this update turns background jobs on.

    A project rendered without jobs has applied its migrations: the job tables come in a
    revision after its last one, which the answers record (``background_jobs_revision``) so
    every later render keeps the chain as it was.
    """
    if answers.get("background_jobs") or "background_jobs_revision" in answers:
        return {}
    if answers.get("pattern") == "microservices":
        return {}  # each service's job tables come with its context's first job
    merged = {**answers, **data}
    question = every_question()["background_jobs"]
    enabled = merged.get("background_jobs", question.default_for(merged))
    if not enabled:
        return {}
    applied = schema_revisions(answers.get("domain"), answers.get("domain_history"))
    return {"background_jobs_revision": len(applied) + 2}


@dataclass(frozen=True)
class ProjectTemplate:
    """A generated project's answers and the template repository its version is in."""

    project: Path
    answers: Mapping[str, Any]
    source: str  # a local repository, tagged from its release list
    current: str  # the recorded _commit
    current_commit: str  # its full commit id

    @property
    def recorded_source(self) -> bool:
        """Whether the answers keep their ``_src_path``: it is the source read, or a URL
        (a stable name for the template, of which ``source`` is a local clone)."""
        recorded = str(self.answers["_src_path"])
        return self.source == recorded or _is_url(recorded)


def _is_url(source: str) -> bool:
    return "://" in source or source.startswith(("git@", "gh:", "gl:"))


def locate_template(project: Path, template: str | None = None) -> ProjectTemplate:
    """Read ``project``'s answers and find the template version they record; a UserError
    names what is missing and how to fix it. Touches nothing in the project."""
    project = project.resolve()
    if not project.is_dir():
        raise UserError(f"{project} is not a folder")
    answers = read_answers(project)
    # Owners may edit their answers (Copier invites it): a wrong type would fail mid-update.
    # Answers to questions this archgen no longer asks are Copier's to ignore.
    check_answers(known_answers(answers), source=str(project / ANSWERS_FILE))
    current = str(answers["_commit"])
    source = _reachable_source(template or str(answers["_src_path"]), _commit_of(current), template)
    tag_template(source)
    current_commit = _resolve(source, _commit_of(current), "commit recorded as _commit:")
    return ProjectTemplate(project, answers, source, current, current_commit)


def known_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The recorded answers to questions this archgen asks, without Copier's own keys."""
    return {name: value for name, value in answers.items() if name in every_question()}


def _changed_answers(answers: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    """``data`` checked against every other recorded answer: what the update renders with."""
    fixed = sorted(set(data) & set(_FIXED_ANSWERS))
    if fixed:
        raise UserError(f"--data {fixed[0]}: {_FIXED_ANSWERS[fixed[0]]}")
    if answers.get("background_jobs") and data.get("background_jobs") is False:
        raise UserError(
            "--data background_jobs: the job tables' migration is applied where the project "
            "runs, and turning jobs off would remove it: remove the jobs by hand"
        )
    pattern = str(answers["pattern"])
    check_answers({**known_answers(answers), **data}, pattern=pattern, source="--data")
    return dict(data)


def plan_update(
    project: Path,
    *,
    vcs_ref: str | None = None,
    template: str | None = None,
    domain: Path | None = None,
    data: Mapping[str, Any] | None = None,
    prereleases: bool = False,
) -> UpdatePlan:
    """Check that ``project`` can be updated; raise a UserError naming the cause and the fix.

    ``data`` changes answers (``--data KEY=VALUE``), checked with every other recorded answer
    before anything is touched.
    """
    located = locate_template(project, template)
    changed = _changed_answers(located.answers, data) if data else {}
    _check_clean_tree(located.project)
    if domain is not None:
        changed |= _grown_domain(located.answers, domain)
    changed |= _jobs_turned_on(located.answers, changed)
    source, current_commit = located.source, located.current_commit
    # New answers keep the template version unless a newer one is asked for.
    if data or domain is not None:
        default = current_commit
    else:
        default = default_target(source, current_commit, prereleases=prereleases)
    target = vcs_ref or default
    target_commit = _resolve(source, target, "version")
    if _git(source, "merge-base", "--is-ancestor", current_commit, target_commit).returncode:
        raise UserError(
            f"version {target!r} is not newer than the project's {located.current!r}: update "
            "only moves forward (to go back, revert the update's commit in the project)"
        )
    return UpdatePlan(
        located.project,
        source,
        located.current,
        target,
        target_commit,
        changed,
        located.recorded_source,
        _releases_taken(source, current_commit, target_commit),
    )


def _releases_taken(source: str, current_commit: str, target_commit: str) -> tuple[Release, ...]:
    target = commit_version(source, target_commit)
    if target is None:
        return ()
    current = commit_version(source, current_commit)
    return releases_between(listed_releases(source), current, target)


def _reachable_source(source: str, commit: str, explicit: str | None) -> str:
    """``source`` when it is a repository, else this archgen's own store if it has ``commit``.

    A project generated by a wheel install records that user's store; on a teammate's machine
    (another home folder) their own store holds the same history. An explicit ``--template``
    is taken as given.
    """
    if is_repository(source):
        return source
    installed = installed_template() if explicit is None else None
    if installed is not None and _git(installed.source, "cat-file", "-e", commit).returncode == 0:
        return installed.source
    raise UserError(
        f"the template {source} is not reachable as a git repository: pass --template "
        "with a local clone of the archgen repository the project was generated from"
    )


def _status_paths(project: Path, *options: str) -> list[str]:
    """The paths ``git status`` reports, from its NUL-separated form: names with spaces,
    quotes or non-ASCII letters as they are, a renamed file by both its paths (new first)."""
    entries = iter(_git(project, "status", "--porcelain=v1", "-z", *options).stdout.split("\0"))
    paths = []
    for entry in entries:
        if not entry:
            continue
        status, path = entry[:2], entry[3:]
        paths.append(path)
        if {"R", "C"} & set(status):  # the path it was renamed or copied from comes next
            paths.append(next(entries))
    return paths


def _changed_files(project: Path) -> list[str]:
    return sorted(set(_status_paths(project, "--untracked-files=all")))


def _conflicts(project: Path, files: list[str]) -> list[str]:
    found = []
    for name in files:
        path = project / name
        if name.endswith(".rej") or (path.is_file() and _has_marker(path)):
            found.append(name)
    return found


def _has_marker(path: Path) -> bool:
    try:
        return any(line.startswith(CONFLICT_MARKER) for line in path.read_text().splitlines())
    except UnicodeDecodeError:
        return False


def _record_source(project: Path, template: str) -> None:
    """Point the answers file at ``template``, the source this update (and the next) uses.

    Committed for the length of the update, since Copier refuses a dirty tree; ``update``
    moves HEAD back afterwards, so the change joins the update's own, uncommitted.
    """
    path = project / ANSWERS_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    source = f"_src_path: {template}\n"
    path.write_text(
        "".join(source if line.startswith("_src_path:") else line for line in lines),
        encoding="utf-8",
    )
    identity = ("-c", "user.name=archgen", "-c", "user.email=archgen@localhost")
    message = "archgen update: the template's new source (undone after the update)"
    _git(project, *identity, "commit", "--quiet", "--no-verify", "-m", message, "--", ANSWERS_FILE)


def _restore(project: Path, start: str) -> None:
    """Back to the commit the update started from: it was clean, so nothing is lost."""
    _git(project, "reset", "--quiet", "--hard", start)
    _git(project, "clean", "--quiet", "-fd")


def update(
    project: Path,
    *,
    vcs_ref: str | None = None,
    template: str | None = None,
    domain: Path | None = None,
    data: Mapping[str, Any] | None = None,
    prereleases: bool = False,
    dry_run: bool = False,
    export_openapi: bool = True,
) -> UpdateResult:
    """Update ``project`` to ``vcs_ref`` (default: ``default_target``, or the project's own
    version when ``domain`` names a grown domain spec or ``data`` changes answers).

    With ``dry_run`` the template's changes are computed, reported and then undone (the API
    documents, exported from the updated code, only on a real run). ``export_openapi`` False
    skips writing the API documents (tests that check other things).
    """
    plan = plan_update(
        project,
        vcs_ref=vcs_ref,
        template=template,
        domain=domain,
        data=data,
        prereleases=prereleases,
    )
    start = _git(plan.project, "rev-parse", "HEAD").stdout.strip()
    try:
        if not plan.recorded_source:
            _record_source(plan.project, plan.template)
        copier.run_update(
            plan.project,
            vcs_ref=plan.target_commit,
            data=plan.data,
            defaults=True,
            overwrite=True,
            unsafe=True,  # archgen's own Jinja extension and the formatting task
            quiet=True,
            conflict="inline",
        )
        _git(plan.project, "update-ref", "HEAD", start)  # the source's commit, if any, undone
        # The API documents come after the merge; they never hold conflict markers.
        conflicts = _conflicts(plan.project, _changed_files(plan.project))
        notes: list[str] = []
        if export_openapi and not conflicts and not dry_run:
            answers = read_answers(plan.project)
            notes = export_api_documents(
                plan.project, str(answers["pattern"]), answers["package_name"]
            )
    except _UPDATE_ERRORS as error:
        _restore(plan.project, start)
        message = " ".join(str(error).split()) or type(error).__name__
        raise UserError(f"the update failed; the project is as it was: {message}") from None
    except BaseException:  # a UserError from the export, or Ctrl-C
        _restore(plan.project, start)
        raise
    result = UpdateResult(
        plan, _changed_files(plan.project), conflicts, applied=not dry_run, notes=notes
    )
    if dry_run:
        _restore(plan.project, start)
    return result
