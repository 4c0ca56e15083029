import type { Subject } from 'rxjs';
import type { JsonRpcMessage } from '../jsonrpc/types.js';
import type { StoredEvent } from './EventStore.js';

/**
 * One SSE stream of a session in the spec's sense: it outlives its HTTP connections (a
 * client may lose one and resume on another) and ends when its work is done (the response
 * of its request is sent) or when the session ends.
 */
export interface LogicalStream {
  readonly id: string;
  /** Live events; completes when the stream is done. */
  readonly events: Subject<StoredEvent>;
  /** The last seq written on any connection of this stream: where a fresh GET goes on. */
  delivered: number;
  /*
   * The hooks below are `undefined` while they do not apply, and are set back to `undefined`
   * rather than deleted: `delete` would turn every stream object into a slower, larger
   * dictionary.
   */
  /** Ends the attached connection without ending the stream; none attached: `undefined`. */
  detach: ((withRetry?: boolean) => void) | undefined;
  /** For a JSON answer: writes the response. */
  answer: ((message: JsonRpcMessage) => void) | undefined;
  /** For a JSON answer: the session ended first. */
  abandon: (() => void) | undefined;
  /** For an answer that may still be JSON (`responseMode: 'auto'`): turns it into SSE now. */
  upgrade: (() => void) | undefined;
}
