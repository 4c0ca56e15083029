import type { ServerResponse } from 'node:http';

/** Why the server answers an HTTP request with an error status instead of handling it. */
export interface HttpRefusal {
  readonly status: number;
  /** Says what was wrong and what to do; goes into the JSON-RPC error's `message`. */
  readonly message: string;
  /** Extra headers (`Allow`, `Retry-After`, `WWW-Authenticate`). */
  readonly headers?: Readonly<Record<string, string>>;
  /** JSON-RPC error code of the body. @default -32000 (server error) */
  readonly code?: number;
}

// JSON-RPC reserves -32000..-32099 for implementation-defined server errors.
const SERVER_ERROR = -32000;

/** Builds an {@link HttpRefusal}. */
export function refusal(
  status: number,
  message: string,
  extra: Omit<HttpRefusal, 'status' | 'message'> = {},
): HttpRefusal {
  return { status, message, ...extra };
}

/**
 * Answers with the refusal's status and a JSON-RPC error response without `id`.
 *
 * [spec 2025-11-25 transports] The HTTP response body MAY comprise a JSON-RPC error response
 * that has no id
 */
export function sendRefusal(res: ServerResponse, refused: HttpRefusal): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = JSON.stringify({
    jsonrpc: '2.0',
    error: { code: refused.code ?? SERVER_ERROR, message: refused.message },
  });
  res.writeHead(refused.status, {
    ...refused.headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
