import type { IncomingMessage } from 'node:http';
import { refusal } from './HttpRefusal.js';
import type { HttpRefusal } from './HttpRefusal.js';
import type { SessionHandle } from './createServerSession.js';
import type { ServerContext } from './ServerContext.js';

/** Whether an `Accept` header lists `type` (or a wildcard covering it). */
export function accepts(req: IncomingMessage, type: string): boolean {
  const accept = req.headers.accept ?? '';
  const [major] = type.split('/');
  return accept
    .split(',')
    .map((part) => part.split(';')[0]?.trim().toLowerCase())
    .some((range) => range === type || range === '*/*' || range === `${major}/*`);
}

/**
 * Finds the session a non-initialize request names, and checks its protocol version header.
 * Returns the session, or the refusal to answer with.
 */
export function sessionOf(
  req: IncomingMessage,
  context: ServerContext,
): SessionHandle | HttpRefusal {
  const id = req.headers['mcp-session-id'];
  // [spec 2025-11-25 transports] Servers that require a session ID SHOULD respond to requests
  // without an MCP-Session-Id header (other than initialization) with HTTP 400 Bad Request.
  if (typeof id !== 'string' || id === '') {
    return refusal(
      400,
      'Missing MCP-Session-Id header. Send initialize first and echo the session id it returns.',
    );
  }
  const handle = context.sessions.get(id);
  // [spec 2025-11-25 transports] The server MAY terminate the session at any time, after
  // which it MUST respond to requests containing that session ID with HTTP 404 Not Found.
  if (handle === undefined || handle.ended) {
    return refusal(
      404,
      'Unknown or ended session. Start a new one by sending initialize without a session id.',
    );
  }
  const version = protocolVersionOf(req, context);
  if (typeof version !== 'string') return version;
  return handle;
}

/**
 * The request's `MCP-Protocol-Version`, or the refusal for an unsupported one.
 *
 * [spec 2025-11-25 transports] if the server does not receive an MCP-Protocol-Version header,
 * and has no other way to identify the version ... the server SHOULD assume protocol version
 * 2025-03-26. If the server receives a request with an invalid or unsupported
 * MCP-Protocol-Version, it MUST respond with 400 Bad Request.
 */
export function protocolVersionOf(
  req: IncomingMessage,
  context: ServerContext,
): string | HttpRefusal {
  const header = req.headers['mcp-protocol-version'];
  if (header === undefined) return '2025-03-26';
  const supported = context.options.protocolVersions;
  if (typeof header === 'string' && supported.includes(header)) return header;
  return refusal(
    400,
    `Unsupported MCP-Protocol-Version ${JSON.stringify(header)}; this server supports ` +
      `${supported.join(', ')}.`,
  );
}

/** The 503 for a full server, with `Retry-After`. */
export function overloaded(context: ServerContext, what: string): HttpRefusal {
  return refusal(503, `Too many ${what} open; try again later.`, {
    headers: { 'retry-after': String(context.options.retryAfterSeconds) },
  });
}

/** Whether a value is an `HttpRefusal` (as opposed to the thing a check returns on success). */
export function isRefusal(value: unknown): value is HttpRefusal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { status?: unknown }).status === 'number' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
