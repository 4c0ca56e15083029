import { createParser } from 'eventsource-parser';
import type { EventSourceMessage, ParseError } from 'eventsource-parser';
import { Observable, Subscription, takeWhile } from 'rxjs';
import type { OperatorFunction } from 'rxjs';
import type { Valve } from '../../operators/valve.js';
import { bufferLimitError } from './sseErrors.js';
import type { SseEvent } from './types.js';
import { createUtf8StreamDecoder } from './utf8Decoder.js';

/** 10 MiB, in characters: the default bound on one line or one event being assembled. */
export const DEFAULT_MAX_BUFFER_SIZE = 10 * 1024 * 1024;

/** Options of {@link parseEventStream}. Every option is optional. */
export interface ParseEventStreamOptions {
  /**
   * The most characters the parser may hold for a line or an event that has not ended yet.
   * A longer one fails the stream with a non-retryable `limit` error instead of growing the
   * heap without bound (a server bug or an attack).
   * @default 10485760 (10 MiB)
   */
  readonly maxBufferSize?: number;
  /**
   * The valve a downstream `boundedBuffer({ overflow: 'pause' })` operates. One chunk can
   * hold hundreds of events; when the valve closes in the middle of them, the rest wait here
   * and are emitted, in order, when it opens. This queue holds at most the events of the
   * chunks already read when the valve closed (one or two: the reader issues no read while
   * paused), so it is bounded by the chunk size, never by the traffic. Pass the same valve to
   * the byte source.
   * @default none: every event is emitted as soon as it is parsed
   */
  readonly valve?: Valve;
  /**
   * Called with the text of each comment line (`: keep-alive` gives `'keep-alive'`).
   * Comments are never emitted as events.
   * @default none: comments are ignored
   */
  readonly onComment?: (comment: string) => void;
  /**
   * Called with the new reconnection time each time a valid `retry:` field arrives, even in
   * a block without data (which emits no event).
   * @default none
   */
  readonly onRetry?: (retryMs: number) => void;
  /**
   * Where the bytes come from, for error messages.
   * @default 'the event stream'
   */
  readonly source?: string;
}

const CR = 13;
const LF = 10;
// V8 makes a substring of 13 or more characters a view into the string it was cut from.
const LONG_ID = 13;

/**
 * Parses the bytes of a `text/event-stream` into {@link SseEvent}s, following the WHATWG
 * rules: UTF-8 (a multi-byte character may be split across chunks; one leading BOM is
 * dropped; invalid bytes become U+FFFD), `\r\n`, `\r` and `\n` line ends, multi-line `data:`,
 * `id:` values containing NUL ignored, unknown fields ignored, and an event cut off by the
 * end of the input discarded.
 *
 * The source ending (or failing) is passed on after every complete event before it.
 *
 * ```text
 * bytes:   --"data: a\n\nda"--"ta: b\n"--"\n: ping\n"--|
 * result:  --a------------------b-------------------------|   (onComment('ping'))
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { from } from 'rxjs';
 * import { parseEventStream } from 'rxmcp';
 *
 * const bytes = new TextEncoder().encode('id: 1\ndata: hello\n\ndata: world\n\n');
 * from([bytes.subarray(0, 10), bytes.subarray(10)])
 *   .pipe(parseEventStream())
 *   .subscribe((event) => console.log(event.id, event.data));
 * // 1 hello
 * // undefined world
 * ```
 */
export function parseEventStream(
  options: ParseEventStreamOptions = {},
): OperatorFunction<Uint8Array, SseEvent> {
  const { maxBufferSize = DEFAULT_MAX_BUFFER_SIZE, valve, onComment, onRetry } = options;
  const source = options.source ?? 'the event stream';
  assertMaxBufferSize(maxBufferSize);

  return (bytes) =>
    new Observable<SseEvent>((subscriber) => {
      // Events parsed while the valve was closed, emitted from `head` on when it opens.
      const waiting: SseEvent[] = [];
      let head = 0;
      // The source's end (complete or error), held back until `waiting` is empty.
      let ending: (() => void) | undefined;
      let limit: unknown;
      let retry: number | undefined;
      let endsWithCr = false;
      // WHATWG "UTF-8 decode": drops one leading BOM and replaces invalid bytes with U+FFFD.
      const decoder = createUtf8StreamDecoder();

      const emit = (message: EventSourceMessage): void => {
        // The parser builds a fresh object per event: it is passed on as it is rather than
        // copied, so the hot path allocates nothing of its own.
        const event = message as { -readonly [K in keyof SseEvent]: SseEvent[K] };
        const { id } = event;
        if (id !== undefined && id.length >= LONG_ID) event.id = detach(id);
        if (retry !== undefined) {
          event.retry = retry;
          retry = undefined;
        }
        if (head === waiting.length && valve?.isPaused !== true) subscriber.next(event);
        else waiting.push(event);
      };

      const parser = createParser({
        maxBufferSize,
        onEvent: emit,
        onRetry: (ms) => {
          retry = ms;
          onRetry?.(ms);
        },
        onComment,
        onError: (error: ParseError) => {
          // [WHATWG SSE] unknown fields and non-digit retry values "must be ignored".
          if (error.type === 'max-buffer-size-exceeded') limit = error;
        },
      });

      // Performance: the parser keeps the unfinished line a chunk ends with, and joins it with
      // the whole next chunk before reading on: a copy of every chunk (64 KiB from a fetch
      // body), and as much garbage. Fed the next chunk in two parts, up to its first LF and
      // the rest, it joins the unfinished line with the first part only, and reads the rest
      // where it lies. A cut after an LF byte is also a clean cut for the UTF-8 decoder (LF
      // is never part of a multi-byte character).
      const feed = (bytes: Uint8Array): void => {
        const text = decoder.decode(bytes);
        if (text.length > 0) endsWithCr = text.charCodeAt(text.length - 1) === CR;
        parser.feed(text);
      };

      const drain = (): void => {
        while (head < waiting.length && valve?.isPaused !== true && !subscriber.closed) {
          subscriber.next(waiting[head++] as SseEvent);
        }
        if (head < waiting.length) return;
        waiting.length = 0;
        head = 0;
        ending?.();
      };

      const end = (finish: () => void): void => {
        if (ending !== undefined) return;
        ending = finish;
        drain();
      };

      const flow: Subscription | undefined = valve?.paused$.subscribe((paused) => {
        if (!paused) drain();
      });

      // A holder that exists before subscribing, so that a synchronous source can be
      // stopped from inside its own first next().
      const reading = new Subscription();
      reading.add(
        bytes
          // A synchronous source only learns that we stopped when its next value is refused.
          .pipe(takeWhile(() => ending === undefined))
          .subscribe({
            next: (chunk) => {
              // Hot path: events leave through `emit` as they complete.
              let failure: unknown;
              try {
                const lineEnd = chunk.indexOf(LF);
                if (lineEnd === -1 || lineEnd === chunk.length - 1) {
                  feed(chunk);
                } else {
                  // See `feed`: first the end of the line the last chunk left unfinished, then
                  // the rest, which starts on a line of its own.
                  feed(chunk.subarray(0, lineEnd + 1));
                  if (limit === undefined) feed(chunk.subarray(lineEnd + 1));
                }
              } catch (thrown) {
                // onComment or onRetry threw: that fails this stream, not the process.
                failure = thrown;
              }
              if (failure === undefined && limit === undefined) return;
              // Stop reading now (the connection is released) but still deliver the complete
              // events that came before.
              reading.unsubscribe();
              const error = failure ?? bufferLimitError(source, maxBufferSize, limit);
              end(() => subscriber.error(error));
            },
            // [WHATWG SSE] "If the file ends in the middle of an event, before the final empty
            // line, the incomplete event is not dispatched", so the parser is not flushed. One
            // exception: a final CR is a complete line end, but the parser waits for a possible
            // LF after it. Feeding that LF ends the line (CRLF is one line end) and nothing more.
            complete: () => {
              if (endsWithCr && ending === undefined) parser.feed('\n');
              end(() => subscriber.complete());
            },
            error: (error: unknown) => end(() => subscriber.error(error)),
          }),
      );

      return () => {
        reading.unsubscribe();
        flow?.unsubscribe();
        waiting.length = 0;
      };
    });
}

/** Throws a `RangeError` unless `value` is a usable `maxBufferSize`. */
export function assertMaxBufferSize(value: number): void {
  if (!(Number.isInteger(value) && value > 0)) {
    throw new RangeError(
      `maxBufferSize must be a positive whole number of characters, got ${value}.`,
    );
  }
}

/**
 * Copies a long id out of the decoded chunk it was sliced from. Ids outlive their event (the
 * resume cursor, the dedupe window of 1000 ids), and as a view each would keep its whole
 * chunk, up to 64 KiB, alive: 64 MiB for a full window of MCP-style `stream_uuid` ids.
 * Concatenating forces a fresh flat copy; the slice then views that small copy only.
 */
function detach(id: string): string {
  return `${id} `.slice(0, -1);
}
