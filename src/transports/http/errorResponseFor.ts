import type { RxMcpError } from '../../errors.js';
import { JSONRPC_VERSION } from '../../jsonrpc/types.js';
import type { JsonRpcErrorResponse, JsonRpcId } from '../../jsonrpc/types.js';

/**
 * The JSON-RPC error code of the responses the transport makes up for requests whose
 * response can no longer arrive (-32000 is the first of the codes JSON-RPC 2.0 leaves to
 * implementations, "Server error").
 */
export const TRANSPORT_ERROR_CODE = -32000;

/** What `error.data` of a made-up response holds, so a client can tell it from the server's. */
export interface TransportErrorData {
  /** Always `'rxmcp/transport'`: this response was made by the client transport. */
  readonly source: 'rxmcp/transport';
  /** The `kind` of the {@link RxMcpError} that lost the response. */
  readonly kind: RxMcpError['kind'];
  /** Whether sending the request again may succeed. */
  readonly retryable: boolean;
  /** The HTTP status, when an HTTP answer lost it. */
  readonly status?: number;
}

/**
 * A JSON-RPC error response for request `id`, made up by the transport when the stream that
 * should have carried the real response ended and cannot be resumed. Delivering it on
 * `messages$` fails exactly that request at once, in any client (rxmcp's or the official
 * SDK's), instead of leaving it to its timeout.
 *
 * ```text
 * POST id 7 -> 200 SSE --progress--X (dropped, no event id)
 * messages$:           --progress--{id:7, error:{code:-32000, data:{kind:'network'}}}
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { RxMcpError, errorResponseFor } from 'rxmcp';
 *
 * errorResponseFor(7, new RxMcpError('network', 'The stream broke off.'));
 * // { jsonrpc: '2.0', id: 7, error: { code: -32000, message: 'The stream broke off.',
 * //   data: { source: 'rxmcp/transport', kind: 'network', retryable: true } } }
 * ```
 */
export function errorResponseFor(id: JsonRpcId, error: RxMcpError): JsonRpcErrorResponse {
  const data: TransportErrorData = {
    source: 'rxmcp/transport',
    kind: error.kind,
    retryable: error.retryable,
    ...(error.status === undefined ? {} : { status: error.status }),
  };
  return {
    jsonrpc: JSONRPC_VERSION,
    id,
    error: { code: TRANSPORT_ERROR_CODE, message: error.message, data },
  };
}
