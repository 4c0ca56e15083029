import { RxMcpError } from '../../errors.js';
import type { FetchLike, SseResponse } from '../../sse/types.js';
import { discardBody } from './discardBody.js';

const redirectStatuses: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * Wraps a `fetch` so that it follows redirects only within the origin of the request.
 *
 * A redirect to another origin would carry the `Mcp-Session-Id` and whatever credentials the
 * headers hold to a server the user never named, so it fails with a `protocol` error instead.
 * Methods other than GET follow only 307 and 308, the redirects that keep method and body
 * (a 303 would turn a JSON-RPC POST into a GET and lose the message).
 *
 * ```text
 * POST /mcp  -> 307 Location: /v2/mcp      -> POST /v2/mcp -> 200   followed
 * POST /mcp  -> 302 Location: https://evil -> RxMcpError protocol   refused
 * ```
 *
 * Browsers do not show the target of a redirect to `redirect: 'manual'` (the response is an
 * opaque redirect), so there any redirect fails with a `protocol` error: point the transport
 * at the final URL.
 *
 * ## Example
 *
 * ```ts
 * import { sameOriginFetch } from 'rxmcp';
 *
 * const fetchSafely = sameOriginFetch(undefined, 3);
 * const response = await fetchSafely('https://example.com/mcp', { method: 'GET' });
 * ```
 */
export function sameOriginFetch(fetch: FetchLike | undefined, maxRedirects = 5): FetchLike {
  return async (url, init) => {
    const impl = fetch ?? (await defaultFetch());
    const origin = new URL(url).origin;
    const method = (init.method ?? 'GET').toUpperCase();
    let target = url;
    for (let hop = 0; ; hop += 1) {
      const response = await impl(target, { ...init, redirect: 'manual' });
      if ((response as { type?: string }).type === 'opaqueredirect') {
        throw redirectError(`${target} redirected, and the browser hides where to.`);
      }
      if (!redirectStatuses.has(response.status)) return response;
      discardBody(response);
      const location = response.headers.get('location');
      if (location === null) return response;
      const next = new URL(location, target);
      if (next.origin !== origin) {
        throw redirectError(`${target} redirected to another origin (${next.origin}).`);
      }
      if (method !== 'GET' && response.status !== 307 && response.status !== 308) {
        throw redirectError(
          `${target} answered ${response.status} to a ${method}, which would drop the body.`,
        );
      }
      if (hop >= maxRedirects) {
        throw new RxMcpError('limit', `${url} redirected more than ${maxRedirects} times.`, {
          retryable: false,
        });
      }
      target = next.href;
    }
  };
}

function redirectError(what: string): RxMcpError {
  return new RxMcpError(
    'protocol',
    `${what} The MCP transports follow only same-origin redirects that keep the method ` +
      '(307/308 for POST); use the final URL of the server.',
    { retryable: false },
  );
}

// Looked up at call time so that a fetch installed later (a polyfill, a test double) is used;
// cross-fetch is loaded only where there is no global fetch.
async function defaultFetch(): Promise<FetchLike> {
  if (typeof globalThis.fetch === 'function') {
    const global = globalThis.fetch.bind(globalThis);
    return (url, init) => global(url, init) as Promise<SseResponse>;
  }
  const crossFetch = await import('cross-fetch');
  return crossFetch.fetch as FetchLike;
}
