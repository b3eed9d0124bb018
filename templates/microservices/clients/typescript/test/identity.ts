/**
 * Drives the identity service's client against the running service, as
 * services/identity/tests/test_client_calls.py does, with
 *   API_URL, API_TOKEN (an admin's access token), API_USER (a new user's email and password, JSON):
 * registers the user, signs in as them, reads them back, and signs in with a wrong password.
 * The first answer that is not the one expected fails it (a non-zero exit).
 */
import assert from "node:assert/strict";

import { createApiClient, type identity } from "../src/index.js";

type Credentials = identity.components["schemas"]["Credentials"];

function variable(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

const url = variable("API_URL");
const admin = createApiClient<identity.paths>(url, () => variable("API_TOKEN"));
const user = JSON.parse(variable("API_USER")) as Credentials;

const registered = await admin.POST("/api/v1/users", { body: { ...user, role: "viewer" } });
assert.equal(registered.response.status, 201, JSON.stringify(registered.error));

const anonymous = createApiClient<identity.paths>(url);
const signedIn = await anonymous.POST("/api/v1/auth/token", { body: user });
assert.equal(signedIn.response.status, 200, JSON.stringify(signedIn.error));
assert.ok(signedIn.data);
const token = signedIn.data.access_token;

const asUser = createApiClient<identity.paths>(url, () => token);
const me = await asUser.GET("/api/v1/users/me");
assert.equal(me.response.status, 200);
assert.equal(me.data?.email, user.email);

const refused = await anonymous.POST("/api/v1/auth/token", {
  body: { ...user, password: `${user.password} but wrong` },
});
assert.equal(refused.response.status, 401);
assert.equal(refused.response.headers.get("Content-Type"), "application/problem+json");
assert.equal((refused.error as identity.components["schemas"]["Problem"]).status, 401);

console.log("ok");
