"""Session fixtures shared by archgen's tests, and ``--cell`` to run one template matrix cell.

Real servers for end-to-end runs come from ``tests.services``. ``pytest --cell NAME`` keeps only
the tests parametrized with that cell of ``tests.matrix`` (its render and end-to-end tests);
the template CI workflow runs one job per cell that way.

Under pytest-xdist (``scripts/test`` runs the tests not marked ``alone`` on two workers with
``--dist loadgroup``) every test is grouped with the others that share its module-scoped
fixture value, so each generated project is rendered and installed on one worker only.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.matrix import cell_named, python_available
from tests.services import postgres_server, rabbitmq_server, redis_server


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--cell", metavar="NAME", help="run only the tests of this template matrix cell"
    )


# First: pytest-xdist's worker turns the xdist_group marks into each test's group in its own
# hook of this name, which pluggy would otherwise call before this one.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _keep_only_the_cell(config, items)
    for item in items:
        item.add_marker(pytest.mark.xdist_group(_shared_fixtures_group(item)))


def _shared_fixtures_group(item: pytest.Item) -> str:
    """The tests that share a module-scoped fixture value go together; any other test alone.

    A module-scoped fixture is built once per worker that needs it: grouping keeps an expensive
    one (a generated, installed project) on one worker. Session fixtures (the servers) are per
    worker anyway.
    """
    if not isinstance(item, pytest.Function):
        return item.nodeid
    fixtures = item._fixtureinfo.name2fixturedefs
    module_scoped = {name for name, defs in fixtures.items() if defs[-1].scope == "module"}
    if not module_scoped:
        return item.nodeid
    callspec = getattr(item, "callspec", None)
    params = callspec.params if callspec is not None else {}
    values = sorted(
        f"{name}={getattr(params[name], 'name', params[name])}"
        for name in module_scoped & params.keys()
    )
    return "::".join([item.nodeid.split("::", 1)[0], *values])


def _keep_only_the_cell(config: pytest.Config, items: list[pytest.Item]) -> None:
    name = config.getoption("--cell")
    if name is None:
        return
    try:
        cell = cell_named(name)
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    if not python_available(cell.python):
        raise pytest.UsageError(f"cell {name!r} needs Python {cell.python}, which uv cannot find")
    selected, deselected = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        params = callspec.params.values() if callspec is not None else ()
        (selected if cell in params else deselected).append(item)
    config.hook.pytest_deselected(items=deselected)
    items[:] = selected


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    with postgres_server() as url:
        yield url


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    with redis_server() as url:
        yield url


@pytest.fixture(scope="session")
def rabbitmq_url() -> Iterator[str]:
    with rabbitmq_server() as url:
        yield url
