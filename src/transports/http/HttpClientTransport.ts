import type { Observable } from 'rxjs';
import type { JsonRpcDecodeError } from '../../jsonrpc/JsonRpcDecodeError.js';
import type { Transport } from '../transport.js';

/**
 * A client transport over HTTP (`streamableHttpTransport`, `legacySseTransport`,
 * `httpTransport`): the {@link Transport} contract, plus the events that were dropped.
 */
export interface HttpClientTransport extends Transport {
  /**
   * Server-sent events whose data is not a JSON-RPC message, as values: the stream goes on
   * (the server's next message may be fine) and nothing is dropped unseen. A JSON response
   * body that is not JSON-RPC is not reported here: it fails its own request.
   */
  readonly invalid$: Observable<JsonRpcDecodeError>;
}
