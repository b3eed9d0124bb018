/**
 * Typed clients of the Acme Shop services: `createApiClient<catalog.paths>(baseUrl,
 * () => accessToken)`, then `client.GET("/api/v1/...", ...)`, with paths, parameters, bodies
 * and answers checked against the service's types. One module per service holds them,
 * generated from its openapi.json by `make clients`: never edit them by hand.
 */
import createClient, { type Client, type ClientOptions } from "openapi-fetch";

export type * as identity from "./identity.js";
export type * as catalog from "./catalog.js";
export type * as ordering from "./ordering.js";

/** A client of the API at `baseUrl`; each request carries the token `accessToken` returns. */
export function createApiClient<Paths extends {}>(
  baseUrl: string,
  accessToken?: () => string | undefined,
  options: ClientOptions = {},
): Client<Paths> {
  const client = createClient<Paths>({ ...options, baseUrl });
  if (accessToken) {
    client.use({
      onRequest({ request }) {
        const token = accessToken();
        if (token) request.headers.set("Authorization", `Bearer ${token}`);
        return request;
      },
    });
  }
  return client;
}
