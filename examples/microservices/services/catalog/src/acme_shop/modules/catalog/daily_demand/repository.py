"""Loading and storing daily demand."""

from acme_shop.modules.catalog.daily_demand.models import DailyDemand
from acme_shop.platform.crud import SqlRepository


class DailyDemandRepository(SqlRepository[DailyDemand]):
    model = DailyDemand
