import type { JsonRpcId, JsonRpcMessage, JsonRpcRequest } from '../jsonrpc/types.js';

/**
 * Which stream a server message belongs to, by the client request it relates to: the
 * request's id (for its response, or the SDK's `relatedRequestId`) or the `progressToken`
 * the request carried (for `notifications/progress`).
 *
 * One entry per open request; open requests are bounded by the stream slots that carry them,
 * and an entry goes when the response is sent or the session ends.
 */
export interface RequestRoutes {
  /** Remembers that `request` is answered on `streamId`. */
  register(request: JsonRpcRequest, streamId: string): void;
  /** The stream of the open request `id`. */
  streamOf(id: JsonRpcId): string | undefined;
  /** The stream a request or notification relates to, when it relates to an open request. */
  relatedStreamOf(message: JsonRpcMessage, relatedRequestId?: JsonRpcId): string | undefined;
  /** Forgets the request `id` (its response is being sent); returns its stream. */
  settle(id: JsonRpcId): string | undefined;
  clear(): void;
}

/** Creates an empty {@link RequestRoutes}. */
export function createRequestRoutes(): RequestRoutes {
  // Created on first use and dropped when empty: most sessions sit idle with no request
  // open, and an empty Map still costs ~0.2 KB.
  let byId: Map<string, { streamId: string; token?: string }> | undefined;
  let byToken: Map<string, string> | undefined;
  return {
    register(request, streamId) {
      const meta = (request.params as { _meta?: { progressToken?: unknown } } | undefined)?._meta;
      const token = keyOf(meta?.progressToken);
      (byId ??= new Map()).set(
        keyOf(request.id) as string,
        token === undefined ? { streamId } : { streamId, token },
      );
      if (token !== undefined) (byToken ??= new Map()).set(token, streamId);
    },
    streamOf: (id) => byId?.get(keyOf(id) as string)?.streamId,
    relatedStreamOf(message, relatedRequestId) {
      if (relatedRequestId !== undefined)
        return byId?.get(keyOf(relatedRequestId) as string)?.streamId;
      const params = (message as { params?: { progressToken?: unknown } }).params;
      const token = keyOf(params?.progressToken);
      return token === undefined ? undefined : byToken?.get(token);
    },
    settle(id) {
      const key = keyOf(id) as string;
      const route = byId?.get(key);
      if (byId === undefined || route === undefined) return undefined;
      byId.delete(key);
      if (byId.size === 0) byId = undefined;
      if (route.token !== undefined && byToken !== undefined) {
        byToken.delete(route.token);
        if (byToken.size === 0) byToken = undefined;
      }
      return route.streamId;
    },
    clear() {
      byId = undefined;
      byToken = undefined;
    },
  };
}

// Ids and tokens are strings or numbers, and 1 and "1" are different ids.
function keyOf(value: unknown): string | undefined {
  if (typeof value === 'number') return `n${value}`;
  if (typeof value === 'string') return `s${value}`;
  return undefined;
}
