"""The auth flow: tokens for a password, refresh, and role checks on protected routes."""

import httpx

from tests.support import PASSWORD, Auth, assert_problem


async def test_token_for_a_valid_password(client: httpx.AsyncClient, auth: Auth) -> None:
    response = await client.post(
        "/api/v1/auth/token", json={"email": "viewer@example.com", "password": PASSWORD}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    me = await client.get(
        "/api/v1/users/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.json()["email"] == "viewer@example.com"
    assert me.json()["role"] == "viewer"


async def test_wrong_password_is_refused(client: httpx.AsyncClient, auth: Auth) -> None:
    response = await client.post(
        "/api/v1/auth/token", json={"email": "viewer@example.com", "password": "not it"}
    )
    assert_problem(response, 401)


async def test_an_email_with_a_control_character_is_a_422_problem(
    client: httpx.AsyncClient,
) -> None:
    for email in ("viewer\x00@example.com", "viewer\x85@example.com"):
        response = await client.post(
            "/api/v1/auth/token", json={"email": email, "password": PASSWORD}
        )
        assert_problem(response, 422)


async def test_refresh_token_gives_a_new_pair(client: httpx.AsyncClient, auth: Auth) -> None:
    issued = await client.post(
        "/api/v1/auth/token", json={"email": "editor@example.com", "password": PASSWORD}
    )
    refreshed = await client.post(
        "/api/v1/auth/refresh", json={"refresh_token": issued.json()["refresh_token"]}
    )
    assert refreshed.status_code == 200
    assert refreshed.json()["access_token"] != issued.json()["access_token"]


async def test_access_token_is_not_a_refresh_token(client: httpx.AsyncClient, auth: Auth) -> None:
    token = auth.viewer["Authorization"].removeprefix("Bearer ")
    response = await client.post("/api/v1/auth/refresh", json={"refresh_token": token})
    assert_problem(response, 401)


async def test_missing_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/users/me")
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


async def test_garbage_token_is_401(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/users/me", headers={"Authorization": "Bearer nope"})
    assert_problem(response, 401)


async def test_only_admins_create_users(client: httpx.AsyncClient, auth: Auth) -> None:
    user = {"email": "new@example.com", "password": PASSWORD, "role": "editor"}
    refused = await client.post("/api/v1/users", json=user, headers=auth.editor)
    assert_problem(refused, 403)
    created = await client.post("/api/v1/users", json=user, headers=auth.admin)
    assert created.status_code == 201
    assert created.json()["role"] == "editor"
