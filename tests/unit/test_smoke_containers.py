"""The in-container smoke refuses an image that runs as root (the rest needs an engine: e2e)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest

from archgen._smoke._app_container import _refuse_root
from archgen._smoke._report import SmokeError
from archgen._smoke._target import AppUnderTest

APP = AppUnderTest("shop", "shop", ".", "shop", "Dockerfile", frozenset())


def _container(user: str | None) -> Any:
    return cast(Any, SimpleNamespace(attrs={"Config": {"User": user}}))


@pytest.mark.parametrize("user", [None, "", "root", "0", "0:0", "root:root"])
def test_an_image_without_a_non_root_user_fails_the_smoke(user: str | None) -> None:
    with pytest.raises(SmokeError, match="the image of shop runs as root"):
        _refuse_root("start", APP, _container(user))


@pytest.mark.parametrize("user", ["10001:10001", "app", "1000"])
def test_an_image_with_its_own_user_passes(user: str) -> None:
    _refuse_root("start", APP, _container(user))
