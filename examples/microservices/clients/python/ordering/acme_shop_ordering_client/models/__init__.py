"""Contains all the data models used in inputs/outputs"""

from .customer_create import CustomerCreate
from .customer_read import CustomerRead
from .customer_update import CustomerUpdate
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
from .page_customer_read import PageCustomerRead
from .page_job_read import PageJobRead
from .page_order_read import PageOrderRead
from .problem import Problem
from .problem_errors_type_0_item import ProblemErrorsType0Item
from .readiness import Readiness
from .readiness_checks import ReadinessChecks
from .readiness_checks_additional_property import ReadinessChecksAdditionalProperty
from .readiness_status import ReadinessStatus
from .validation_error import ValidationError
from .validation_error_context import ValidationErrorContext

__all__ = (
    "CustomerCreate",
    "CustomerRead",
    "CustomerUpdate",
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
    "PageCustomerRead",
    "PageJobRead",
    "PageOrderRead",
    "Problem",
    "ProblemErrorsType0Item",
    "Readiness",
    "ReadinessChecks",
    "ReadinessChecksAdditionalProperty",
    "ReadinessStatus",
    "ValidationError",
    "ValidationErrorContext",
)
