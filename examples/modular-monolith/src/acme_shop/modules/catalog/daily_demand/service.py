"""Daily demand use cases."""

from acme_shop.modules.catalog.daily_demand.models import DailyDemand
from acme_shop.modules.catalog.daily_demand.schemas import (
    DailyDemandCreate,
    DailyDemandRead,
    DailyDemandUpdate,
)
from acme_shop.platform.crud import CrudService


class DailyDemandService(
    CrudService[DailyDemand, DailyDemandCreate, DailyDemandUpdate, DailyDemandRead]
):
    resource = "daily_demand"
    read_schema = DailyDemandRead
