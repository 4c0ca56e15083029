import { EMPTY } from 'rxjs';
import type { Observable } from 'rxjs';
import { fromAsyncIterable } from '../../operators/fromAsyncIterable.js';
import { fromReadable } from '../../operators/fromReadable.js';
import type { ReadableLike } from '../../operators/fromReadable.js';
import { fromReadableStream } from '../../operators/fromReadableStream.js';
import type { Valve } from '../../operators/valve.js';
import type { SseResponse } from './types.js';

/**
 * Reads a response body as an Observable of byte chunks, whatever `fetch` produced it:
 *
 * - a web `ReadableStream` (global `fetch` in browsers, Node, Deno, Bun) is read with
 *   `fromReadableStream`;
 * - a Node.js `Readable` (cross-fetch / node-fetch in Node) with `fromReadable`, which
 *   destroys the stream, and so frees the socket, the moment the subscription ends;
 * - any other async iterable of bytes with `fromAsyncIterable`;
 * - `null` (no body) as an empty stream.
 *
 * All three readers stop pulling while `valve` is paused, so the socket stops being read and
 * TCP slows the server down instead of the heap filling up. Unsubscribing cancels the body.
 *
 * The shapes are told apart by their methods, not with `instanceof`: a body may come from
 * another realm (a test sandbox, an iframe) or from a polyfill.
 *
 * ```text
 * body:    --c1--c2--end
 * result:  --c1--c2--|
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { readBody } from 'rxmcp';
 *
 * const response = await fetch('https://example.com/events');
 * readBody(response.body).subscribe((chunk) => console.log(`${chunk.byteLength} bytes`));
 * ```
 */
export function readBody(body: SseResponse['body'], valve?: Valve): Observable<Uint8Array> {
  if (body === null) return EMPTY;
  const options = valve === undefined ? {} : { valve };
  if (isWebStream(body)) return fromReadableStream(body, options);
  if (isNodeReadable(body)) return fromReadable<Uint8Array>(body, options);
  return fromAsyncIterable(body, options);
}

function isWebStream(body: object): body is ReadableStream<Uint8Array> {
  return typeof (body as { getReader?: unknown }).getReader === 'function';
}

function isNodeReadable(body: object): body is ReadableLike & AsyncIterable<Uint8Array> {
  const candidate = body as Partial<Record<keyof ReadableLike, unknown>>;
  return (
    typeof candidate.on === 'function' &&
    typeof candidate.pause === 'function' &&
    typeof candidate.resume === 'function' &&
    typeof candidate.removeListener === 'function'
  );
}
