"""Contains all the data models used in inputs/outputs"""

from .category_create import CategoryCreate
from .category_read import CategoryRead
from .category_update import CategoryUpdate
from .credentials import Credentials
from .customer_create import CustomerCreate
from .customer_read import CustomerRead
from .customer_update import CustomerUpdate
from .daily_demand_create import DailyDemandCreate
from .daily_demand_read import DailyDemandRead
from .daily_demand_update import DailyDemandUpdate
from .export_orders_payload import ExportOrdersPayload
from .export_orders_payload_status_type_0 import ExportOrdersPayloadStatusType0
from .http_validation_error import HTTPValidationError
from .job_read import JobRead
from .job_read_error_type_0 import JobReadErrorType0
from .job_read_failures_item import JobReadFailuresItem
from .job_result_link import JobResultLink
from .job_result_link_summary import JobResultLinkSummary
from .job_status import JobStatus
from .liveness import Liveness
from .order_create import OrderCreate
from .order_read import OrderRead
from .order_status import OrderStatus
from .order_update import OrderUpdate
from .page_category_read import PageCategoryRead
from .page_customer_read import PageCustomerRead
from .page_daily_demand_read import PageDailyDemandRead
from .page_job_read import PageJobRead
from .page_order_read import PageOrderRead
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
from .refresh_request import RefreshRequest
from .role import Role
from .token_pair import TokenPair
from .user_create import UserCreate
from .user_read import UserRead
from .validation_error import ValidationError
from .validation_error_context import ValidationErrorContext

__all__ = (
    "CategoryCreate",
    "CategoryRead",
    "CategoryUpdate",
    "Credentials",
    "CustomerCreate",
    "CustomerRead",
    "CustomerUpdate",
    "DailyDemandCreate",
    "DailyDemandRead",
    "DailyDemandUpdate",
    "ExportOrdersPayload",
    "ExportOrdersPayloadStatusType0",
    "HTTPValidationError",
    "JobRead",
    "JobReadErrorType0",
    "JobReadFailuresItem",
    "JobResultLink",
    "JobResultLinkSummary",
    "JobStatus",
    "Liveness",
    "OrderCreate",
    "OrderRead",
    "OrderStatus",
    "OrderUpdate",
    "PageCategoryRead",
    "PageCustomerRead",
    "PageDailyDemandRead",
    "PageJobRead",
    "PageOrderRead",
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
    "RefreshRequest",
    "Role",
    "TokenPair",
    "UserCreate",
    "UserRead",
    "ValidationError",
    "ValidationErrorContext",
)
