import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Cross-origin access for pages served from another origin than the MCP endpoint (a web app
 * on `https://app.example` talking to a server on `https://mcp.example`). Off by default:
 * without it, browsers let no page of another origin read the server's answers.
 *
 * Origins listed here are also added to `allowedOrigins`, so that the DNS-rebinding check
 * lets them through; the rest of `allowedOrigins` gets no CORS headers.
 */
export interface CorsOptions {
  /**
   * Origins whose pages may use the server, as full origins (`https://app.example`,
   * `http://localhost:5173`: scheme, host and port, no path). `'*'` allows **every** origin,
   * which also turns the `Origin` check (DNS-rebinding protection) off: then protect the
   * server with `bearerToken`, or any page the user visits can use it.
   */
  readonly origins: readonly string[] | '*';
  /**
   * Request headers a page may send besides the ones MCP uses (`Content-Type`, `Accept`,
   * `Authorization`, `Mcp-Session-Id`, `Mcp-Protocol-Version`, `Last-Event-ID`), e.g. the
   * custom headers a transport's `headers` option adds.
   * @default []
   */
  readonly allowedHeaders?: readonly string[];
  /** How long browsers may cache a preflight answer (`Access-Control-Max-Age`). @default 600 */
  readonly maxAgeSeconds?: number;
  /**
   * Sends `Access-Control-Allow-Credentials: true`, so that pages may send cookies (fetch with
   * `credentials: 'include'`). Not needed for `Authorization: Bearer` headers. Refused with
   * `origins: '*'`.
   * @default false
   */
  readonly credentials?: boolean;
}

/** {@link CorsOptions} with defaults applied and origins normalised. */
export interface ResolvedCors {
  readonly origins: ReadonlySet<string> | '*';
  readonly allowHeaders: string;
  readonly maxAgeSeconds: number;
  readonly credentials: boolean;
}

const MCP_REQUEST_HEADERS = [
  'content-type',
  'accept',
  'authorization',
  'mcp-session-id',
  'mcp-protocol-version',
  'last-event-id',
];

// What the browser client reads: the session and version it must echo, why it was refused
// (401), and when to come back (503).
const EXPOSED_HEADERS = 'Mcp-Session-Id, Mcp-Protocol-Version, WWW-Authenticate, Retry-After';

/** The methods of the MCP endpoint. */
export const MCP_METHODS = 'GET, POST, DELETE';

/** Checks and normalises the CORS options; `undefined` (CORS off) stays `undefined`. */
export function resolveCors(options: CorsOptions | undefined): ResolvedCors | undefined {
  if (options === undefined) return undefined;
  const maxAgeSeconds = options.maxAgeSeconds ?? 600;
  if (!(Number.isInteger(maxAgeSeconds) && maxAgeSeconds >= 0)) {
    throw new RangeError(
      `cors.maxAgeSeconds must be a non-negative integer, got ${maxAgeSeconds}.`,
    );
  }
  const credentials = options.credentials ?? false;
  if (options.origins === '*' && credentials) {
    throw new RangeError(
      "cors.credentials cannot be combined with origins '*': every site could then act with " +
        "the user's cookies. List the origins.",
    );
  }
  const extra = (options.allowedHeaders ?? []).map((name) => name.trim().toLowerCase());
  return {
    origins: options.origins === '*' ? '*' : new Set(options.origins.map(normaliseOrigin)),
    allowHeaders: [...new Set([...MCP_REQUEST_HEADERS, ...extra])].join(', '),
    maxAgeSeconds,
    credentials,
  };
}

/**
 * `https://App.example:443` -> `https://app.example`; anything that is not an http(s) origin
 * (a path, a bare host name) throws, so that a typo fails at creation.
 */
export function normaliseOrigin(origin: string): string {
  let url: URL | undefined;
  try {
    url = new URL(origin);
  } catch {
    url = undefined;
  }
  // An origin has no user, path, query or fragment: its href is the origin plus '/'.
  if (url === undefined || !/^https?:$/.test(url.protocol) || url.href !== `${url.origin}/`) {
    throw new RangeError(
      'cors.origins entries must be http(s) origins like https://app.example, got ' +
        `${JSON.stringify(origin)}.`,
    );
  }
  return url.origin;
}

/**
 * Adds the CORS response headers for `req`'s `Origin` when it is one of the CORS origins;
 * does nothing otherwise (a foreign origin then gets the `Origin` check's 403, and the
 * browser hides even that from the page). Headers set here go out with whatever status the
 * request ends with, SSE streams and refusals included.
 */
export function addCorsHeaders(
  req: IncomingMessage,
  res: ServerResponse,
  cors: ResolvedCors,
): void {
  const origin = req.headers.origin;
  if (origin === undefined || !corsOriginAllowed(origin, cors)) return;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('vary', 'Origin');
  res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
  if (cors.credentials) res.setHeader('access-control-allow-credentials', 'true');
}

/**
 * Answers a preflight `OPTIONS` (after the `Host` and `Origin` checks passed): 204 with the
 * methods and headers the endpoint takes. No bearer token is asked for: browsers never send
 * credentials on a preflight.
 */
export function answerPreflight(res: ServerResponse, cors: ResolvedCors): void {
  res.writeHead(204, {
    allow: `${MCP_METHODS}, OPTIONS`,
    'access-control-allow-methods': MCP_METHODS,
    'access-control-allow-headers': cors.allowHeaders,
    'access-control-max-age': String(cors.maxAgeSeconds),
  });
  res.end();
}

function corsOriginAllowed(origin: string, cors: ResolvedCors): boolean {
  if (cors.origins === '*') return true;
  try {
    return cors.origins.has(new URL(origin).origin);
  } catch {
    // `Origin: null` (sandboxed frames, file: pages) matches no listed origin.
    return false;
  }
}

/**
 * The `Origin` allow-list once the CORS origins are added: `'*'` opens it to any origin.
 */
export function withCorsOrigins(
  allowedOrigins: readonly string[] | 'any',
  cors: ResolvedCors | undefined,
): readonly string[] | 'any' {
  if (cors === undefined || allowedOrigins === 'any') return allowedOrigins;
  if (cors.origins === '*') return 'any';
  return [...allowedOrigins, ...cors.origins];
}
