"""Wires the identity service into requests."""

from typing import Annotated

from fastapi import Depends

from acme_shop.identity.service import IdentityService
from acme_shop.platform.dependencies import ResourcesDep, SessionDep


async def get_identity_service(session: SessionDep, resources: ResourcesDep) -> IdentityService:
    return IdentityService(session, resources.tokens, resources.passwords)


IdentityServiceDep = Annotated[IdentityService, Depends(get_identity_service)]
