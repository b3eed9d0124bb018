from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.daily_demand_read import DailyDemandRead
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    daily_demand_id: UUID,
    *,
    if_none_match: None | str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_none_match, Unset):
        headers["if-none-match"] = if_none_match

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/catalog/daily-demand/{daily_demand_id}".format(
            daily_demand_id=quote(str(daily_demand_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | DailyDemandRead | Problem | None:
    if response.status_code == 200:
        response_200 = DailyDemandRead.from_dict(response.json())

        return response_200

    if response.status_code == 304:
        response_304 = cast(Any, None)
        return response_304

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[Any | DailyDemandRead | Problem]:
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
    if_none_match: None | str | Unset = UNSET,
) -> Response[Any | DailyDemandRead | Problem]:
    """Get Daily Demand

     Read one daily demand; send its ETag back in If-None-Match to skip an unchanged body.

    Args:
        daily_demand_id (UUID):
        if_none_match (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | DailyDemandRead | Problem]
    """

    kwargs = _get_kwargs(
        daily_demand_id=daily_demand_id,
        if_none_match=if_none_match,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    daily_demand_id: UUID,
    *,
    client: AuthenticatedClient,
    if_none_match: None | str | Unset = UNSET,
) -> Any | DailyDemandRead | Problem | None:
    """Get Daily Demand

     Read one daily demand; send its ETag back in If-None-Match to skip an unchanged body.

    Args:
        daily_demand_id (UUID):
        if_none_match (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | DailyDemandRead | Problem
    """

    return sync_detailed(
        daily_demand_id=daily_demand_id,
        client=client,
        if_none_match=if_none_match,
    ).parsed


async def asyncio_detailed(
    daily_demand_id: UUID,
    *,
    client: AuthenticatedClient,
    if_none_match: None | str | Unset = UNSET,
) -> Response[Any | DailyDemandRead | Problem]:
    """Get Daily Demand

     Read one daily demand; send its ETag back in If-None-Match to skip an unchanged body.

    Args:
        daily_demand_id (UUID):
        if_none_match (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | DailyDemandRead | Problem]
    """

    kwargs = _get_kwargs(
        daily_demand_id=daily_demand_id,
        if_none_match=if_none_match,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    daily_demand_id: UUID,
    *,
    client: AuthenticatedClient,
    if_none_match: None | str | Unset = UNSET,
) -> Any | DailyDemandRead | Problem | None:
    """Get Daily Demand

     Read one daily demand; send its ETag back in If-None-Match to skip an unchanged body.

    Args:
        daily_demand_id (UUID):
        if_none_match (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | DailyDemandRead | Problem
    """

    return (
        await asyncio_detailed(
            daily_demand_id=daily_demand_id,
            client=client,
            if_none_match=if_none_match,
        )
    ).parsed
