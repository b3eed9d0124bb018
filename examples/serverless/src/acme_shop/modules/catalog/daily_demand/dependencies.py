"""Wires the daily demand service into requests."""

from typing import Annotated

from fastapi import Depends

from acme_shop.modules.catalog.daily_demand.repository import DailyDemandRepository
from acme_shop.modules.catalog.daily_demand.service import DailyDemandService
from acme_shop.platform.dependencies import ResourcesDep, SessionDep


async def get_daily_demand_service(
    session: SessionDep, resources: ResourcesDep
) -> DailyDemandService:
    return DailyDemandService(
        session,
        DailyDemandRepository(session),
        events=resources.events,
        cache=resources.cache,
    )


DailyDemandServiceDep = Annotated[DailyDemandService, Depends(get_daily_demand_service)]
