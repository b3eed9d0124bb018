"""Session fixtures shared by archgen's tests, and ``--cell`` to run one template matrix cell.

Real servers for end-to-end runs come from ``tests.services``. ``pytest --cell NAME`` keeps only
the tests parametrized with that cell of ``tests.matrix`` (its render and end-to-end tests);
the template CI workflow runs one job per cell that way.
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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
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
