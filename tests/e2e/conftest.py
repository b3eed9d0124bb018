"""Fixtures of the end-to-end tests that build images."""

from __future__ import annotations

from collections.abc import Iterator

import docker
import pytest

from tests.e2e.leftovers import build_cache_dropped


@pytest.fixture
def no_build_cache_kept() -> Iterator[None]:
    """Whatever the test builds, its build cache goes with it (see ``build_cache_dropped``)."""
    with build_cache_dropped(docker.from_env()):
        yield
