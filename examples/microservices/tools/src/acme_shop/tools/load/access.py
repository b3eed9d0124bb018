"""Who the seed command and the load test act as, read from the environment:

- LOAD_EMAIL and LOAD_PASSWORD: a user with the editor role (`manage create-user`), who signs
  in at the token endpoint as a client would, and refreshes the token before it expires;
- or LOAD_TOKEN: an access token, used as it is.
"""

import os
from dataclasses import dataclass

SIGN_IN_PATH = "/api/v1/auth/token"
REFRESH_PATH = "/api/v1/auth/refresh"
ME_PATH = "/api/v1/users/me"


@dataclass(frozen=True)
class Access:
    """A user's credentials, or a ready access token."""

    email: str = ""
    password: str = ""
    token: str = ""

    @classmethod
    def from_environment(cls) -> "Access":
        """The access the environment gives; exit with the variables to set when it gives none."""
        if token := os.environ.get("LOAD_TOKEN"):
            return cls(token=token)
        email, password = os.environ.get("LOAD_EMAIL", ""), os.environ.get("LOAD_PASSWORD", "")
        if not (email and password):
            raise SystemExit(
                "set LOAD_EMAIL and LOAD_PASSWORD (an editor, made with `manage create-user "
                "EMAIL --role editor`), or LOAD_TOKEN"
            )
        return cls(email=email, password=password)

    @property
    def credentials(self) -> dict[str, str]:
        """The token endpoint's request body."""
        return {"email": self.email, "password": self.password}
