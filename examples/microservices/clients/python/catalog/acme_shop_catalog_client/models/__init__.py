"""Contains all the data models used in inputs/outputs"""

from .category_create import CategoryCreate
from .category_read import CategoryRead
from .category_update import CategoryUpdate
from .daily_demand_create import DailyDemandCreate
from .daily_demand_read import DailyDemandRead
from .daily_demand_update import DailyDemandUpdate
from .liveness import Liveness
from .page_category_read import PageCategoryRead
from .page_daily_demand_read import PageDailyDemandRead
from .page_product_read import PageProductRead
from .problem import Problem
from .problem_errors_type_0_item import ProblemErrorsType0Item
from .product_create import ProductCreate
from .product_read import ProductRead
from .product_status import ProductStatus
from .product_update import ProductUpdate
from .readiness import Readiness
from .readiness_checks import ReadinessChecks
from .readiness_checks_additional_property import ReadinessChecksAdditionalProperty
from .readiness_status import ReadinessStatus

__all__ = (
    "CategoryCreate",
    "CategoryRead",
    "CategoryUpdate",
    "DailyDemandCreate",
    "DailyDemandRead",
    "DailyDemandUpdate",
    "Liveness",
    "PageCategoryRead",
    "PageDailyDemandRead",
    "PageProductRead",
    "Problem",
    "ProblemErrorsType0Item",
    "ProductCreate",
    "ProductRead",
    "ProductStatus",
    "ProductUpdate",
    "Readiness",
    "ReadinessChecks",
    "ReadinessChecksAdditionalProperty",
    "ReadinessStatus",
)
