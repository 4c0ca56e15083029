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
  const byId = new Map<string, { streamId: string; token?: string }>();
  const byToken = new Map<string, string>();
  return {
    register(request, streamId) {
      const meta = (request.params as { _meta?: { progressToken?: unknown } } | undefined)?._meta;
      const token = keyOf(meta?.progressToken);
      byId.set(
        keyOf(request.id) as string,
        token === undefined ? { streamId } : { streamId, token },
      );
      if (token !== undefined) byToken.set(token, streamId);
    },
    streamOf: (id) => byId.get(keyOf(id) as string)?.streamId,
    relatedStreamOf(message, relatedRequestId) {
      if (relatedRequestId !== undefined)
        return byId.get(keyOf(relatedRequestId) as string)?.streamId;
      const params = (message as { params?: { progressToken?: unknown } }).params;
      const token = keyOf(params?.progressToken);
      return token === undefined ? undefined : byToken.get(token);
    },
    settle(id) {
      const key = keyOf(id) as string;
      const route = byId.get(key);
      if (route === undefined) return undefined;
      byId.delete(key);
      if (route.token !== undefined) byToken.delete(route.token);
      return route.streamId;
    },
    clear() {
      byId.clear();
      byToken.clear();
    },
  };
}

// Ids and tokens are strings or numbers, and 1 and "1" are different ids.
function keyOf(value: unknown): string | undefined {
  if (typeof value === 'number') return `n${value}`;
  if (typeof value === 'string') return `s${value}`;
  return undefined;
}
