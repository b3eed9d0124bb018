"""Field-level encryption for personal data: columns marked pii are stored as Fernet tokens.

Several keys may be configured (newest first): new values use the first, old values written
with any of them still decrypt, so keys can rotate without a migration.
"""

from cryptography.fernet import Fernet, MultiFernet
from sqlalchemy import Dialect, Text
from sqlalchemy.types import TypeDecorator

_cipher: MultiFernet | None = None


def configure_encryption(keys: str) -> None:
    """Set the process-wide keys (comma separated); called once when the app is built."""
    global _cipher  # one key set per process, like the environment it comes from
    _cipher = MultiFernet([Fernet(key.strip()) for key in keys.split(",") if key.strip()])


def _require_cipher() -> MultiFernet:
    if _cipher is None:
        raise RuntimeError("encryption keys are not configured; build the app's Resources first")
    return _cipher


class EncryptedString(TypeDecorator[str]):
    """A string column whose value is encrypted before it reaches the database."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return _require_cipher().encrypt(value.encode()).decode()

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return _require_cipher().decrypt(value.encode()).decode()
