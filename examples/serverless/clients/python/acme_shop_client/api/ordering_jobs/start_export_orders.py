from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.export_orders_payload import ExportOrdersPayload
from ...models.job_read import JobRead
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ExportOrdersPayload,
    idempotency_key: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/ordering/jobs/export-orders",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> JobRead | Problem | None:
    if response.status_code == 202:
        response_202 = JobRead.from_dict(response.json())

        return response_202

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[JobRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ExportOrdersPayload,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[JobRead | Problem]:
    """Start Export Orders

     Orders as a CSV file, filtered by status and placing date.

    Answers 202 Accepted with the job to poll at its Location.

    Args:
        idempotency_key (None | str | Unset): Makes a retried POST safe: the first response is
            replayed
        body (ExportOrdersPayload): What ordering.export_orders works on: every field is optional.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobRead | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ExportOrdersPayload,
    idempotency_key: None | str | Unset = UNSET,
) -> JobRead | Problem | None:
    """Start Export Orders

     Orders as a CSV file, filtered by status and placing date.

    Answers 202 Accepted with the job to poll at its Location.

    Args:
        idempotency_key (None | str | Unset): Makes a retried POST safe: the first response is
            replayed
        body (ExportOrdersPayload): What ordering.export_orders works on: every field is optional.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobRead | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ExportOrdersPayload,
    idempotency_key: None | str | Unset = UNSET,
) -> Response[JobRead | Problem]:
    """Start Export Orders

     Orders as a CSV file, filtered by status and placing date.

    Answers 202 Accepted with the job to poll at its Location.

    Args:
        idempotency_key (None | str | Unset): Makes a retried POST safe: the first response is
            replayed
        body (ExportOrdersPayload): What ordering.export_orders works on: every field is optional.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobRead | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ExportOrdersPayload,
    idempotency_key: None | str | Unset = UNSET,
) -> JobRead | Problem | None:
    """Start Export Orders

     Orders as a CSV file, filtered by status and placing date.

    Answers 202 Accepted with the job to poll at its Location.

    Args:
        idempotency_key (None | str | Unset): Makes a retried POST safe: the first response is
            replayed
        body (ExportOrdersPayload): What ordering.export_orders works on: every field is optional.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobRead | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
