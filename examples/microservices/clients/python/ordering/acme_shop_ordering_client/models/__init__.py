"""Contains all the data models used in inputs/outputs"""

from .customer_create import CustomerCreate
from .customer_read import CustomerRead
from .customer_update import CustomerUpdate
from .liveness import Liveness
from .order_create import OrderCreate
from .order_read import OrderRead
from .order_status import OrderStatus
from .order_update import OrderUpdate
from .page_customer_read import PageCustomerRead
from .page_order_read import PageOrderRead
from .problem import Problem
from .problem_errors_type_0_item import ProblemErrorsType0Item
from .readiness import Readiness
from .readiness_checks import ReadinessChecks
from .readiness_checks_additional_property import ReadinessChecksAdditionalProperty
from .readiness_status import ReadinessStatus

__all__ = (
    "CustomerCreate",
    "CustomerRead",
    "CustomerUpdate",
    "Liveness",
    "OrderCreate",
    "OrderRead",
    "OrderStatus",
    "OrderUpdate",
    "PageCustomerRead",
    "PageOrderRead",
    "Problem",
    "ProblemErrorsType0Item",
    "Readiness",
    "ReadinessChecks",
    "ReadinessChecksAdditionalProperty",
    "ReadinessStatus",
)
