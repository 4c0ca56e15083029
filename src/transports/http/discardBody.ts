import type { SseResponse } from '../../sse/types.js';

/**
 * Releases a response body that will not be read (a 202, an error status, a redirect), so
 * the connection goes back to the pool instead of waiting for the body to be consumed.
 */
export function discardBody(response: SseResponse): void {
  const body = response.body as {
    cancel?: () => Promise<void>;
    destroy?: () => void;
    locked?: boolean;
  } | null;
  if (body === null) return;
  if (typeof body.cancel === 'function' && body.locked !== true) {
    body.cancel().catch(() => undefined);
  } else if (typeof body.destroy === 'function') {
    // A Node stream from cross-fetch.
    body.destroy();
  }
}
