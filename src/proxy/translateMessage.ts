import type { JsonRpcErrorResponse, JsonRpcId, JsonRpcMessage } from '../jsonrpc/types.js';
import { JSONRPC_VERSION } from '../jsonrpc/types.js';
import type { IdMapper } from './createIdMapper.js';

/** What to do with one message that crossed into the proxy from one side. */
export interface Translation {
  /** The message to send to the other side, with ids and tokens rewritten. */
  readonly forward?: JsonRpcMessage;
  /** The request of the other side it relates to (its original id), for routing. */
  readonly relatedRequestId?: JsonRpcId;
  /** An answer for the sender itself (its request was refused). */
  readonly reply?: JsonRpcErrorResponse;
}

/** JSON-RPC error code of a request refused because too many are in flight. */
export const PROXY_BUSY_CODE = -32000;

type Params = { readonly [key: string]: unknown };

/**
 * Rewrites one message from a sender whose requests `own` maps, towards the side whose
 * requests `peer` maps:
 *
 * - a request gets a fresh id (and progress token); over capacity it is refused;
 * - a response (to the other side's request) gets its original id back; a response to
 *   nothing in flight (cancelled, answered already) is dropped;
 * - `notifications/cancelled` names the id the receiver knows;
 * - `notifications/progress` for a request of the other side gets its original token back
 *   and says which request it relates to.
 *
 * [spec 2025-11-25 basic] The request ID MUST NOT have been previously used by the requestor
 * within the same session. Remapping keeps that true on the shared leg whatever the senders do.
 */
export function translateMessage(
  message: JsonRpcMessage,
  own: IdMapper,
  peer: IdMapper,
): Translation {
  if (!('method' in message)) {
    if (message.id === undefined) return { forward: message };
    const entry = peer.settle(message.id);
    return entry === undefined ? {} : { forward: { ...message, id: entry.originalId } };
  }
  const params = isObject(message.params) ? message.params : undefined;
  if ('id' in message && message.id !== undefined) {
    const meta = isObject(params?._meta) ? params._meta : undefined;
    const token = asId(meta?.progressToken);
    const mapped = own.map(message.id, token);
    if (mapped === undefined) {
      return {
        reply: {
          jsonrpc: JSONRPC_VERSION,
          id: message.id,
          error: {
            code: PROXY_BUSY_CODE,
            message:
              `The proxy has ${own.size} requests of yours in flight, its limit; wait for ` +
              'some to be answered and send this one again.',
            data: { source: 'rxmcp/proxy', kind: 'limit', retryable: true },
          },
        },
      };
    }
    const rewritten =
      mapped.token === undefined || params === undefined
        ? params
        : { ...params, _meta: { ...meta, progressToken: mapped.token } };
    return {
      forward: {
        ...message,
        id: mapped.id,
        ...(rewritten === undefined ? {} : { params: rewritten }),
      },
    };
  }
  if (message.method === 'notifications/cancelled' && params !== undefined) {
    const requestId = asId(params.requestId);
    if (requestId === undefined) return { forward: message };
    const mapped = own.cancel(requestId);
    // A cancellation of a request that is not in flight any more is a race the spec allows:
    // [spec 2025-11-25 cancellation] The sender of the cancellation notification SHOULD
    // ignore any response to the request that arrives afterward. Nothing to forward.
    return mapped === undefined
      ? {}
      : { forward: { ...message, params: { ...params, requestId: mapped } } };
  }
  if (message.method === 'notifications/progress' && params !== undefined) {
    const token = asId(params.progressToken);
    const entry = token === undefined ? undefined : peer.progress(token);
    if (entry?.originalToken === undefined) return { forward: message };
    return {
      forward: { ...message, params: { ...params, progressToken: entry.originalToken } },
      relatedRequestId: entry.originalId,
    };
  }
  return { forward: message };
}

function isObject(value: unknown): value is Params {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asId(value: unknown): JsonRpcId | undefined {
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
}
