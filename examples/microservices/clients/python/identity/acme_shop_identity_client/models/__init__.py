"""Contains all the data models used in inputs/outputs"""

from .credentials import Credentials
from .get_jwks_response_get_jwks import GetJwksResponseGetJwks
from .get_jwks_response_get_jwks_additional_property_item import GetJwksResponseGetJwksAdditionalPropertyItem
from .liveness import Liveness
from .problem import Problem
from .problem_errors_type_0_item import ProblemErrorsType0Item
from .readiness import Readiness
from .readiness_checks import ReadinessChecks
from .readiness_checks_additional_property import ReadinessChecksAdditionalProperty
from .readiness_status import ReadinessStatus
from .refresh_request import RefreshRequest
from .role import Role
from .token_pair import TokenPair
from .user_create import UserCreate
from .user_read import UserRead

__all__ = (
    "Credentials",
    "GetJwksResponseGetJwks",
    "GetJwksResponseGetJwksAdditionalPropertyItem",
    "Liveness",
    "Problem",
    "ProblemErrorsType0Item",
    "Readiness",
    "ReadinessChecks",
    "ReadinessChecksAdditionalProperty",
    "ReadinessStatus",
    "RefreshRequest",
    "Role",
    "TokenPair",
    "UserCreate",
    "UserRead",
)
