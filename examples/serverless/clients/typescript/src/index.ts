/**
 * The typed client of the Acme Shop API: `createApiClient(baseUrl, () => accessToken)`,
 * then `client.GET("/api/v1/...", ...)`, with paths, parameters, bodies and answers checked
 * against the API's types. schema.ts holds them, generated from openapi.json by `make clients`:
 * never edit it by hand.
 */
import createClient, { type Client, type ClientOptions } from "openapi-fetch";

import type { paths } from "./schema.js";

export type { components, operations, paths } from "./schema.js";

/** A client of the API at `baseUrl`; each request carries the token `accessToken` returns. */
export function createApiClient(
  baseUrl: string,
  accessToken?: () => string | undefined,
  options: ClientOptions = {},
): Client<paths> {
  const client = createClient<paths>({ ...options, baseUrl });
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
