from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.daily_demand_read import DailyDemandRead
from ...models.daily_demand_update import DailyDemandUpdate
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    daily_demand_id: UUID,
    *,
    body: DailyDemandUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/catalog/daily-demand/{daily_demand_id}".format(
            daily_demand_id=quote(str(daily_demand_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DailyDemandRead | Problem | None:
    if response.status_code == 200:
        response_200 = DailyDemandRead.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DailyDemandRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    daily_demand_id: UUID,
    *,
    client: AuthenticatedClient,
    body: DailyDemandUpdate,
) -> Response[DailyDemandRead | Problem]:
    """Update Daily Demand

     Change some fields of a daily demand.

    Args:
        daily_demand_id (UUID):
        body (DailyDemandUpdate): Changes to a daily demand: only the fields present are applied.

            A field left out keeps its value. Only an optional field may be set to null, which clears
            it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DailyDemandRead | Problem]
    """

    kwargs = _get_kwargs(
        daily_demand_id=daily_demand_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    daily_demand_id: UUID,
    *,
    client: AuthenticatedClient,
    body: DailyDemandUpdate,
) -> DailyDemandRead | Problem | None:
    """Update Daily Demand

     Change some fields of a daily demand.

    Args:
        daily_demand_id (UUID):
        body (DailyDemandUpdate): Changes to a daily demand: only the fields present are applied.

            A field left out keeps its value. Only an optional field may be set to null, which clears
            it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DailyDemandRead | Problem
    """

    return sync_detailed(
        daily_demand_id=daily_demand_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    daily_demand_id: UUID,
    *,
    client: AuthenticatedClient,
    body: DailyDemandUpdate,
) -> Response[DailyDemandRead | Problem]:
    """Update Daily Demand

     Change some fields of a daily demand.

    Args:
        daily_demand_id (UUID):
        body (DailyDemandUpdate): Changes to a daily demand: only the fields present are applied.

            A field left out keeps its value. Only an optional field may be set to null, which clears
            it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DailyDemandRead | Problem]
    """

    kwargs = _get_kwargs(
        daily_demand_id=daily_demand_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    daily_demand_id: UUID,
    *,
    client: AuthenticatedClient,
    body: DailyDemandUpdate,
) -> DailyDemandRead | Problem | None:
    """Update Daily Demand

     Change some fields of a daily demand.

    Args:
        daily_demand_id (UUID):
        body (DailyDemandUpdate): Changes to a daily demand: only the fields present are applied.

            A field left out keeps its value. Only an optional field may be set to null, which clears
            it.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DailyDemandRead | Problem
    """

    return (
        await asyncio_detailed(
            daily_demand_id=daily_demand_id,
            client=client,
            body=body,
        )
    ).parsed
