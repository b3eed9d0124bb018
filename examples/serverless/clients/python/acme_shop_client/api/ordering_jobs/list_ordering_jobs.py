from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.job_status import JobStatus
from ...models.page_job_read import PageJobRead
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: JobStatus | None | Unset = UNSET,
    name: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, JobStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_name: None | str | Unset
    if isinstance(name, Unset):
        json_name = UNSET
    else:
        json_name = name
    params["name"] = json_name

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/ordering/jobs",
        "params": params,
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> PageJobRead | Problem | None:
    if response.status_code == 200:
        response_200 = PageJobRead.from_dict(response.json())

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
) -> Response[PageJobRead | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: JobStatus | None | Unset = UNSET,
    name: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
) -> Response[PageJobRead | Problem]:
    """List Jobs

     The context's jobs, oldest first: all of them for admins (``status=failed`` lists
    the dead letters), the caller's own for everyone else.

    Args:
        status (JobStatus | None | Unset):
        name (None | str | Unset):
        cursor (None | str | Unset): next_cursor of the previous page, as it came (an opaque
            token); omit for the first page
        limit (int | Unset): Page size Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageJobRead | Problem]
    """

    kwargs = _get_kwargs(
        status=status,
        name=name,
        cursor=cursor,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    status: JobStatus | None | Unset = UNSET,
    name: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
) -> PageJobRead | Problem | None:
    """List Jobs

     The context's jobs, oldest first: all of them for admins (``status=failed`` lists
    the dead letters), the caller's own for everyone else.

    Args:
        status (JobStatus | None | Unset):
        name (None | str | Unset):
        cursor (None | str | Unset): next_cursor of the previous page, as it came (an opaque
            token); omit for the first page
        limit (int | Unset): Page size Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageJobRead | Problem
    """

    return sync_detailed(
        client=client,
        status=status,
        name=name,
        cursor=cursor,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: JobStatus | None | Unset = UNSET,
    name: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
) -> Response[PageJobRead | Problem]:
    """List Jobs

     The context's jobs, oldest first: all of them for admins (``status=failed`` lists
    the dead letters), the caller's own for everyone else.

    Args:
        status (JobStatus | None | Unset):
        name (None | str | Unset):
        cursor (None | str | Unset): next_cursor of the previous page, as it came (an opaque
            token); omit for the first page
        limit (int | Unset): Page size Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageJobRead | Problem]
    """

    kwargs = _get_kwargs(
        status=status,
        name=name,
        cursor=cursor,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: JobStatus | None | Unset = UNSET,
    name: None | str | Unset = UNSET,
    cursor: None | str | Unset = UNSET,
    limit: int | Unset = 50,
) -> PageJobRead | Problem | None:
    """List Jobs

     The context's jobs, oldest first: all of them for admins (``status=failed`` lists
    the dead letters), the caller's own for everyone else.

    Args:
        status (JobStatus | None | Unset):
        name (None | str | Unset):
        cursor (None | str | Unset): next_cursor of the previous page, as it came (an opaque
            token); omit for the first page
        limit (int | Unset): Page size Default: 50.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageJobRead | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            name=name,
            cursor=cursor,
            limit=limit,
        )
    ).parsed
