"""Contains all the data models used in inputs/outputs"""

from .category_create import CategoryCreate
from .category_read import CategoryRead
from .category_update import CategoryUpdate
from .daily_demand_create import DailyDemandCreate
from .daily_demand_read import DailyDemandRead
from .daily_demand_update import DailyDemandUpdate
from .http_validation_error import HTTPValidationError
from .job_read import JobRead
from .job_read_error_type_0 import JobReadErrorType0
from .job_read_failures_item import JobReadFailuresItem
from .job_result_link import JobResultLink
from .job_result_link_summary import JobResultLinkSummary
from .job_status import JobStatus
from .liveness import Liveness
from .page_category_read import PageCategoryRead
from .page_daily_demand_read import PageDailyDemandRead
from .page_job_read import PageJobRead
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
from .validation_error import ValidationError
from .validation_error_context import ValidationErrorContext

__all__ = (
    "CategoryCreate",
    "CategoryRead",
    "CategoryUpdate",
    "DailyDemandCreate",
    "DailyDemandRead",
    "DailyDemandUpdate",
    "HTTPValidationError",
    "JobRead",
    "JobReadErrorType0",
    "JobReadFailuresItem",
    "JobResultLink",
    "JobResultLinkSummary",
    "JobStatus",
    "Liveness",
    "PageCategoryRead",
    "PageDailyDemandRead",
    "PageJobRead",
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
    "ValidationError",
    "ValidationErrorContext",
)
