import type { ServerResponse } from 'node:http';
import { EMPTY } from 'rxjs';
import type { Subscription } from 'rxjs';
import { RxMcpError } from '../errors.js';
import type { KeepAlive } from './createKeepAlive.js';
import { formatEventId } from './eventId.js';
import type { LogicalStream } from './LogicalStream.js';
import { openSseResponse } from './openSseResponse.js';
import { pipeEvents } from './pipeEvents.js';
import type { ResolvedServerOptions } from './StreamableHttpServerOptions.js';

/** What {@link serveSseConnection} needs. */
export interface SseConnectionSpec {
  readonly sessionId: string;
  readonly streamId: string;
  /** The stream while it is live; `undefined` for a finished one (replay only, then end). */
  readonly stream: LogicalStream | undefined;
  readonly res: ServerResponse;
  /** Events up to this seq were delivered; the connection starts after it. */
  readonly afterSeq: number;
  /** Whether the client takes the priming event and `retry:` (2025-11-25 or later). */
  readonly primes: boolean;
  readonly options: ResolvedServerOptions;
  /** The server's keep-alive tick. */
  readonly keepAlive: KeepAlive;
  /** Called once when the connection ended; `slow` when the client could not keep up. */
  readonly onEnd: (slow: boolean) => void;
}

/**
 * Serves one HTTP connection of a {@link LogicalStream}: sends the SSE head and the priming
 * event, pipes the stored then live events (see `pipeEvents`), and ends the response when
 * the stream is done, the client is too slow, or `stream.detach()` is called (a resume
 * replacing it, `closeStream`).
 *
 * ```text
 * stream.events  --e1--e2--|
 * response       P-e1--e2--|        P: `id: <stream>_<afterSeq>`, `retry:`, empty data
 * detach(true)   P-e1-r|            r: `retry:` before the end, for the client to poll
 * ```
 */
export function serveSseConnection(spec: SseConnectionSpec): void {
  const { res, stream, streamId, afterSeq, options } = spec;
  openSseResponse(res, spec.sessionId);
  // [spec 2025-11-25 transports] The server SHOULD immediately send an SSE event consisting
  // of an event ID and an empty data field in order to prime the client to reconnect.
  // Its id is the cursor itself, so resuming from it replays exactly what comes after: a
  // fresh seq would skip stored events sent before it but not yet written.
  const preamble = spec.primes
    ? `id: ${formatEventId(streamId, afterSeq)}\nretry: ${options.retryMs}\ndata: \n\n`
    : undefined;
  let connection: Subscription | undefined = undefined;
  let finished = false;
  const finish = (withRetry = false, slow = false): void => {
    if (finished) return;
    finished = true;
    if (stream?.detach === finish) stream.detach = undefined;
    // Undefined only when the pipeline ended while subscribing, and then it is closed.
    connection?.unsubscribe();
    if (!res.writableEnded) {
      // [spec 2025-11-25 transports] If the server does close the connection prior to
      // terminating the SSE stream, it SHOULD send an SSE event with a standard retry field
      if (withRetry && spec.primes) res.write(`retry: ${options.retryMs}\n\n`);
      res.end();
    }
    spec.onEnd(slow);
  };
  if (stream !== undefined) stream.detach = finish;
  // A client that disconnects ends this connection, not the stream: what it misses is in the
  // store for its resume.
  res.on('close', finish);
  connection = pipeEvents({
    res,
    live$: stream?.events ?? EMPTY,
    replay: () => options.eventStore.replayAfter(spec.sessionId, streamId, afterSeq),
    afterSeq,
    ...(preamble === undefined ? {} : { preamble }),
    keepAlive: spec.keepAlive,
    queueCapacity: options.streamQueueCapacity,
    onWritten: (written) => {
      if (stream !== undefined) stream.delivered = Math.max(stream.delivered, written);
    },
  }).subscribe({
    // At the queue limit the connection ends; the events wait in the store for a resume.
    error: (error: unknown) => finish(false, RxMcpError.from(error).kind === 'limit'),
    complete: () => finish(),
  });
}
