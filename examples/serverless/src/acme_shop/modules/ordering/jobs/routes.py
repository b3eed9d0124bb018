"""/api/v1/ordering/jobs: start the ordering module's jobs, then follow them.

A start answers 202 Accepted at once with the job's Location; poll it until it succeeded
(with a link to its result) or failed (with the problem).
"""

from fastapi import Request
from fastapi.responses import JSONResponse

from acme_shop.modules.ordering.jobs.schemas import ExportOrdersPayload
from acme_shop.modules.ordering.jobs.specs import EXPORT_ORDERS
from acme_shop.platform.dependencies import ResourcesDep, SessionDep
from acme_shop.platform.idempotency import IdempotentEditorDep
from acme_shop.platform.jobs.routes import START_RESPONSES, job_router, start_from_request
from acme_shop.platform.jobs.schemas import JobRead

router = job_router("ordering")


@router.post(
    "/export-orders",
    operation_id="start_export_orders",
    status_code=202,
    response_model=JobRead,
    responses=START_RESPONSES,
)
async def start_export_orders(
    payload: ExportOrdersPayload,
    request: Request,
    resources: ResourcesDep,
    session: SessionDep,
    principal: IdempotentEditorDep,
) -> JSONResponse:
    """Orders as a CSV file, filtered by status and placing date.

    Answers 202 Accepted with the job to poll at its Location.
    """
    return await start_from_request(request, resources, session, principal, EXPORT_ORDERS, payload)
