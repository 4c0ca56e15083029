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
  return new RouteTable();
}

/**
 * A class rather than a factory of closures: every session has one, and methods on a
 * prototype cost nothing per instance where five closures cost ~0.4 KB.
 */
class RouteTable implements RequestRoutes {
  // Created on first use and dropped when empty: most sessions sit idle with no request
  // open, and an empty Map still costs ~0.2 KB.
  private byId: Map<string, { streamId: string; token?: string }> | undefined = undefined;
  private byToken: Map<string, string> | undefined = undefined;

  register(request: JsonRpcRequest, streamId: string): void {
    const meta = (request.params as { _meta?: { progressToken?: unknown } } | undefined)?._meta;
    const token = keyOf(meta?.progressToken);
    (this.byId ??= new Map()).set(
      keyOf(request.id) as string,
      token === undefined ? { streamId } : { streamId, token },
    );
    if (token !== undefined) (this.byToken ??= new Map()).set(token, streamId);
  }

  streamOf(id: JsonRpcId): string | undefined {
    return this.byId?.get(keyOf(id) as string)?.streamId;
  }

  relatedStreamOf(message: JsonRpcMessage, relatedRequestId?: JsonRpcId): string | undefined {
    if (relatedRequestId !== undefined) return this.streamOf(relatedRequestId);
    const params = (message as { params?: { progressToken?: unknown } }).params;
    const token = keyOf(params?.progressToken);
    return token === undefined ? undefined : this.byToken?.get(token);
  }

  settle(id: JsonRpcId): string | undefined {
    const key = keyOf(id) as string;
    const route = this.byId?.get(key);
    if (this.byId === undefined || route === undefined) return undefined;
    this.byId.delete(key);
    if (this.byId.size === 0) this.byId = undefined;
    if (route.token !== undefined && this.byToken !== undefined) {
      this.byToken.delete(route.token);
      if (this.byToken.size === 0) this.byToken = undefined;
    }
    return route.streamId;
  }

  clear(): void {
    this.byId = undefined;
    this.byToken = undefined;
  }
}

// Ids and tokens are strings or numbers, and 1 and "1" are different ids.
function keyOf(value: unknown): string | undefined {
  if (typeof value === 'number') return `n${value}`;
  if (typeof value === 'string') return `s${value}`;
  return undefined;
}
