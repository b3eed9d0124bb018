"""Where archgen's data folders are: next to the code in a wheel, at the root of a checkout.

The wheel build copies them into the package (``[tool.hatch.build.targets.wheel.force-include]``
in pyproject.toml): ``blueprints/`` as ``archgen/blueprints``, ``templates/questions/`` as
``archgen/questions``.
"""

from __future__ import annotations

from pathlib import Path

from archgen._errors import ArchgenError

_PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT_ROOT = _PACKAGE_DIR.parent.parent


def data_dir(in_checkout: str) -> Path:
    """The folder ``in_checkout`` (relative to a checkout's root), wherever it is installed."""
    for candidate in (_PACKAGE_DIR / Path(in_checkout).name, _CHECKOUT_ROOT / in_checkout):
        if candidate.is_dir():
            return candidate
    raise ArchgenError(f"the {in_checkout} folder is missing from this archgen installation")
