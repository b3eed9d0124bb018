"""A client library for accessing Acme Shop: Ordering"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
