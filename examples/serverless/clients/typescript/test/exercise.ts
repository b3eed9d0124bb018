/**
 * Drives the client against a running API, as tests/test_client_calls.py does, with
 *   API_URL, API_TOKEN (an editor's access token), API_BODIES (two new categories, JSON):
 * creates both, reads one with its ETag, lists them a page at a time and reads one that does
 * not exist. The first answer that is not the one expected fails it (a non-zero exit).
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";

import { createApiClient } from "../src/index.js";
import type { components } from "../src/schema.js";

type NewCategory = components["schemas"]["CategoryCreate"];

function variable(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const client = createApiClient(variable("API_URL"), () => variable("API_TOKEN"));
const [firstBody, secondBody] = JSON.parse(variable("API_BODIES")) as NewCategory[];
assert.ok(firstBody && secondBody, "API_BODIES holds two new categories");

const first = await client.POST("/api/v1/catalog/categories", { body: firstBody });
assert.equal(first.response.status, 201, JSON.stringify(first.error));
assert.ok(first.data);
const id = first.data.id;

const read = await client.GET("/api/v1/catalog/categories/{category_id}", {
  params: { path: { category_id: id } },
});
assert.equal(read.response.status, 200);
assert.deepEqual(read.data, first.data);
const etag = read.response.headers.get("ETag");
assert.ok(etag, "a read carries an ETag");

const unchanged = await client.GET("/api/v1/catalog/categories/{category_id}", {
  params: { path: { category_id: id }, header: { "if-none-match": etag } },
});
assert.equal(unchanged.response.status, 304);

const second = await client.POST("/api/v1/catalog/categories", { body: secondBody });
assert.equal(second.response.status, 201, JSON.stringify(second.error));
assert.ok(second.data);

const listed: string[] = [];
let cursor: string | null | undefined;
do {
  const page = await client.GET("/api/v1/catalog/categories", {
    params: { query: { limit: 1, cursor } },
  });
  assert.equal(page.response.status, 200);
  assert.ok(page.data);
  assert.ok(page.data.items.length <= 1);
  listed.push(...page.data.items.map((row) => row.id));
  cursor = page.data.next_cursor;
} while (cursor);
assert.deepEqual(listed, [id, second.data.id]);

const missing = await client.GET("/api/v1/catalog/categories/{category_id}", {
  params: { path: { category_id: randomUUID() } },
});
assert.equal(missing.response.status, 404);
assert.equal(missing.response.headers.get("Content-Type"), "application/problem+json");
assert.equal((missing.error as components["schemas"]["Problem"]).status, 404);

console.log("ok");
