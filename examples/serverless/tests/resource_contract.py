"""The behaviour every resource shares, written once: each resource's tests subclass it."""

from typing import Any, ClassVar

import httpx

from tests.factories import create
from tests.support import Auth, assert_problem

# Text an attacker sends, in the hope that something on the way runs it: it is data.
HOSTILE_TEXT = (
    "Robert'); DROP TABLE students; -- \\ %s $1 {0}",
    '<script>alert("x")</script><img src=x onerror=alert(1)> &amp; &lt;',
    # Combining accent, right-to-left override, emoji, CJK, zero-width joiner, math letter.
    "Zo\u00eb e\u0301 \u202egnp.exe \U0001f680 \u65e5\u672c \u200d \U0001d54f \u0663",
)
_NOT_FREE_TEXT = {"format", "enum", "const"}
# Values a lenient validator would convert to the JSON type they are sent for.
CONVERTIBLE_FROM_ANOTHER_TYPE: dict[str, tuple[object, ...]] = {
    "integer": (True, "7"),
    "boolean": (1, "true"),
    "string": (0, 5.0),
}
_TEXT_PATTERN = "^[^\\x00]*$"  # any text but NUL, which PostgreSQL cannot store


def body_schema(openapi: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    """The JSON schema of an operation's request body, as the document defines it."""
    media = openapi["paths"][path][method]["requestBody"]["content"]["application/json"]
    name = media["schema"]["$ref"].rsplit("/", 1)[1]
    schema: dict[str, Any] = openapi["components"]["schemas"][name]
    return schema


def allows_null(field: dict[str, Any]) -> bool:
    return any(option.get("type") == "null" for option in field.get("anyOf", [field]))


def free_text_fields(openapi: dict[str, Any], url: str) -> dict[str, int]:
    """The create body's free-text fields (no format, enum or pattern of its own), with their
    maxLength."""
    schema = body_schema(openapi, url, "post")
    limits = {}
    for name, field in schema["properties"].items():
        for option in field.get("anyOf", [field]):
            free = not _NOT_FREE_TEXT & option.keys()
            if option.get("type") == "string" and free and option.get("pattern") == _TEXT_PATTERN:
                limits[name] = option.get("maxLength", len(max(HOSTILE_TEXT, key=len)))
    return limits


def documented_types(openapi: dict[str, Any], url: str) -> dict[str, str]:
    """The create body's fields with the one JSON type the document gives each, null aside
    (an enum is a reference to its schema, and not listed)."""
    types = {}
    for name, field in body_schema(openapi, url, "post")["properties"].items():
        options = [option.get("type") for option in field.get("anyOf", [field])]
        if len(typed := [kind for kind in options if kind not in (None, "null")]) == 1:
            types[name] = typed[0]
    return types


class ResourceContract:
    """CRUD, cursor pages, validation and roles on ``url``; a subclass says how to build a body."""

    url: ClassVar[str]
    # A field whose value the update test changes.
    changed_field: ClassVar[str]
    # Whether the resource has a string or text field, which takes any text but NUL.
    has_free_text: ClassVar[bool] = True

    async def body(self, client: httpx.AsyncClient, auth: Auth, n: int) -> dict[str, Any]:
        raise NotImplementedError

    async def create(self, client: httpx.AsyncClient, auth: Auth, n: int) -> dict[str, Any]:
        return await create(client, auth, self.url, await self.body(client, auth, n))

    async def test_create_then_read(self, client: httpx.AsyncClient, auth: Auth) -> None:
        body = await self.body(client, auth, 1)
        created = await client.post(self.url, json=body, headers=auth.editor)
        assert created.status_code == 201, created.text
        stored = created.json()
        assert {key: stored[key] for key in body} == body
        assert created.headers["location"] == f"{self.url}/{stored['id']}"
        fetched = await client.get(f"{self.url}/{stored['id']}", headers=auth.viewer)
        assert fetched.status_code == 200
        assert fetched.json() == stored

    async def test_a_nul_character_in_any_string_is_a_422_problem(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        """PostgreSQL cannot store U+0000: every string refuses it up front, never with a 500."""
        body = await self.body(client, auth, 1)
        for field, value in body.items():
            if isinstance(value, str):
                hostile = {**body, field: value[:-1] + "\x00"}
                assert_problem(await client.post(self.url, json=hostile, headers=auth.editor), 422)

    async def test_a_value_of_another_json_type_is_a_422_not_converted(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        """What the document types is what a request must send: ``true`` is not an integer,
        ``1`` is not a boolean, and a number is not a string (a date, a decimal, a name)."""
        body = await self.body(client, auth, 1)
        types = documented_types((await client.get("/openapi.json")).json(), self.url)
        assert types
        for field, json_type in types.items():
            for value in CONVERTIBLE_FROM_ANOTHER_TYPE.get(json_type, ()):
                sent = await client.post(self.url, json={**body, field: value}, headers=auth.editor)
                problem = assert_problem(sent, 422)
                assert field in str(problem["errors"]), (field, value, problem)

    async def test_hostile_text_is_stored_and_returned_verbatim(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        """SQL, HTML and unusual Unicode in every free-text field come back exactly as sent."""
        fields = free_text_fields((await client.get("/openapi.json")).json(), self.url)
        assert bool(fields) == self.has_free_text, fields
        sent = {}
        for n, text in enumerate(HOSTILE_TEXT, start=1):
            hostile = {field: text[:limit] for field, limit in fields.items()}
            created = await client.post(
                self.url, json={**await self.body(client, auth, n), **hostile}, headers=auth.editor
            )
            assert created.status_code == 201, created.text
            sent[created.json()["id"]] = hostile
        for id_, hostile in sent.items():
            fetched = (await client.get(f"{self.url}/{id_}", headers=auth.viewer)).json()
            assert {field: fetched[field] for field in hostile} == hostile
        listed = await client.get(self.url, params={"limit": 100}, headers=auth.viewer)
        for item in listed.json()["items"]:
            if item["id"] in sent:
                assert {field: item[field] for field in fields} == sent.pop(item["id"])
        assert not sent, "listed without them"

    async def test_update_changes_only_the_given_fields(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        stored = await self.create(client, auth, 1)
        field = self.changed_field
        change = {field: (await self.body(client, auth, 2))[field]}
        response = await client.patch(
            f"{self.url}/{stored['id']}", json=change, headers=auth.editor
        )
        assert response.status_code == 200, response.text
        updated = response.json()
        assert updated[field] == change[field]
        untouched = {key for key in stored if key not in (field, "updated_at")}
        assert {key: updated[key] for key in untouched} == {key: stored[key] for key in untouched}

    async def test_a_change_may_leave_out_any_field_but_clear_only_an_optional_one(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        """The document and the server agree: a PATCH body may omit every field, and may set
        to null only a field a new resource may go without."""
        openapi = (await client.get("/openapi.json")).json()
        required = set(body_schema(openapi, self.url, "post").get("required", []))
        [one] = [path for path in openapi["paths"] if path.startswith(f"{self.url}/{{")]
        change = body_schema(openapi, one, "patch")
        assert "required" not in change
        stored = await self.create(client, auth, 1)
        for field, schema in change["properties"].items():
            assert allows_null(schema) == (field not in required), field
            response = await client.patch(
                f"{self.url}/{stored['id']}", json={field: None}, headers=auth.editor
            )
            if field in required:
                errors = assert_problem(response, 422)["errors"]
                assert isinstance(errors, list)
                assert {tuple(error["loc"][:2]) for error in errors} == {("body", field)}
            else:
                assert response.status_code == 200, response.text
                assert response.json()[field] is None

    async def test_delete_then_gone(self, client: httpx.AsyncClient, auth: Auth) -> None:
        stored = await self.create(client, auth, 1)
        deleted = await client.delete(f"{self.url}/{stored['id']}", headers=auth.admin)
        assert deleted.status_code == 204
        assert_problem(await client.get(f"{self.url}/{stored['id']}", headers=auth.viewer), 404)
        assert_problem(await client.delete(f"{self.url}/{stored['id']}", headers=auth.admin), 404)

    async def test_list_walks_pages_with_the_cursor(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        created = [await self.create(client, auth, n) for n in range(1, 4)]
        first = (await client.get(self.url, params={"limit": 2}, headers=auth.viewer)).json()
        params = {"limit": 2, "cursor": first["next_cursor"]}
        second = (await client.get(self.url, params=params, headers=auth.viewer)).json()
        listed = [item["id"] for item in first["items"] + second["items"]]
        assert listed == [item["id"] for item in created]
        assert second["next_cursor"] is None

    async def test_invalid_body_is_a_422_problem(
        self, client: httpx.AsyncClient, auth: Auth
    ) -> None:
        assert_problem(await client.post(self.url, json={}, headers=auth.editor), 422)

    async def test_roles_are_enforced(self, client: httpx.AsyncClient, auth: Auth) -> None:
        body = await self.body(client, auth, 1)
        assert_problem(await client.post(self.url, json=body), 401)
        assert_problem(await client.post(self.url, json=body, headers=auth.viewer), 403)
        stored = await self.create(client, auth, 2)
        assert_problem(await client.delete(f"{self.url}/{stored['id']}", headers=auth.editor), 403)
