import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { refusal } from './HttpRefusal.js';
import type { HttpRefusal } from './HttpRefusal.js';
import type { ResolvedServerOptions } from './StreamableHttpServerOptions.js';

/**
 * The checks every request passes before anything else: `Host`, `Origin`, bearer token.
 * Returns the refusal to answer with, or `undefined` when the request may go on.
 */
export function checkAccess(
  req: IncomingMessage,
  options: Pick<ResolvedServerOptions, 'allowedHosts' | 'allowedOrigins' | 'bearerToken'>,
): HttpRefusal | undefined {
  const host = req.headers.host;
  if (options.allowedHosts !== 'any' && !hostAllowed(host, options.allowedHosts)) {
    return refusal(
      403,
      `Host ${JSON.stringify(host ?? '')} is not allowed (DNS rebinding protection). ` +
        'Connect through an allowed host name, or add it to allowedHosts.',
    );
  }
  // [spec 2025-11-25 transports] Servers MUST validate the Origin header on all incoming
  // connections to prevent DNS rebinding attacks. If the Origin header is present and invalid,
  // servers MUST respond with HTTP 403 Forbidden.
  const origin = req.headers.origin;
  if (
    origin !== undefined &&
    options.allowedOrigins !== 'any' &&
    !originAllowed(origin, options.allowedOrigins)
  ) {
    return refusal(
      403,
      `Origin ${JSON.stringify(origin)} is not allowed. Add it to allowedOrigins to let ` +
        'pages from it use this server.',
    );
  }
  // [spec 2025-11-25 transports] Servers SHOULD implement proper authentication for all
  // connections
  const expected = options.bearerToken;
  if (expected !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const token = match?.[1];
    const ok =
      token !== undefined &&
      (typeof expected === 'string' ? sameSecret(token, expected) : expected(token));
    if (!ok) {
      return refusal(401, 'Missing or invalid bearer token in the Authorization header.', {
        headers: { 'www-authenticate': 'Bearer' },
      });
    }
  }
  return undefined;
}

function hostAllowed(host: string | undefined, allowed: readonly string[]): boolean {
  if (host === undefined) return false;
  const lower = host.toLowerCase();
  return allowed.some((entry) => {
    const name = entry.toLowerCase();
    return lower === name || hostName(lower) === name;
  });
}

function originAllowed(origin: string, allowed: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    // `Origin: null` (sandboxed frames, file: pages) and garbage are foreign.
    return false;
  }
  const name = url.hostname.toLowerCase();
  return allowed.some((entry) => {
    const lower = entry.toLowerCase();
    return lower === url.origin.toLowerCase() || lower === name;
  });
}

/** `localhost:3000` -> `localhost`, `[::1]:3000` -> `[::1]`. */
function hostName(host: string): string {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    return end === -1 ? host : host.slice(0, end + 1);
  }
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

// Hashing first makes both sides the same length, so that timingSafeEqual neither throws nor
// leaks the token's length.
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
