import { RxMcpError } from '../errors.js';
import {
  incompleteUtf8Tail,
  isUtf8Continuation,
  utf8SequenceLength,
} from './incompleteUtf8Tail.js';
import { checkMaxMessageBytes } from './maxMessageBytes.js';
import { utf8ByteLength } from './utf8ByteLength.js';

/** Options of {@link createLineSplitter}. */
export interface LineSplitterOptions {
  /**
   * Called with each complete line, decoded, without its `\n` or `\r\n`. Empty lines are
   * skipped. Called synchronously from `push` and `end`; it must not throw (the rest of the
   * chunk would be lost).
   */
  readonly onLine: (line: string) => void;
  /**
   * The largest message accepted, in UTF-8 bytes, not counting its `\n` (a `\r` before it
   * counts). A longer line fails the splitter as soon as more than this many bytes of it are
   * known, complete or not: it never holds more than this many bytes of a partial line. Must
   * be a whole number >= 1.
   * @default 10 * 1024 * 1024 (10 MiB)
   */
  readonly maxMessageBytes?: number;
}

/** Work counters of a {@link LineSplitter}: they show the cost is linear in the input. */
export interface LineSplitterStats {
  /** Input units searched for `\n`: bytes of `Uint8Array` chunks, UTF-16 code units of strings. */
  readonly scanned: number;
  /** Bytes run through the UTF-8 decoder. */
  readonly decoded: number;
  /** UTF-16 code units copied to join the pieces of lines that spanned chunks. */
  readonly joined: number;
  /** UTF-16 code units walked to measure the UTF-8 size of string chunks. */
  readonly measured: number;
  /** Lines handed to `onLine`. */
  readonly lines: number;
  /** Bytes of the incomplete line held right now (at most `maxMessageBytes`). */
  readonly pendingBytes: number;
}

/** A push-based NDJSON line splitter; see {@link createLineSplitter}. */
export interface LineSplitter {
  /**
   * Feeds a chunk: bytes (decoded as UTF-8, a character may be split across chunks) or text.
   * Throws an {@link RxMcpError} of kind `'limit'` when a line grows past `maxMessageBytes`;
   * the splitter then drops what it holds and throws that error again on every call.
   */
  push(chunk: Uint8Array | string): void;
  /**
   * Ends the input: a last line without a trailing newline is emitted (a truncated message
   * then fails to decode downstream, where it is reported, instead of vanishing). The splitter
   * is empty afterwards and may be fed a new stream.
   */
  end(): void;
  /** A snapshot of the work counters. */
  stats(): LineSplitterStats;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits a stream of chunks into NDJSON lines in time linear in the input, with a bounded
 * partial line. It is plain (no rxjs) so that a Node stream handler can use it directly;
 * `ndjsonFrames` wraps it as an operator.
 *
 * Unlike a reader that concatenates its buffer with every chunk and searches it from the
 * start (quadratic for a long line), it searches each chunk once, from where the last line
 * ended, and keeps the pieces of a partial line in a list that is joined once, when the line
 * completes. `stats()` counts that work.
 *
 * Memory: the partial line is at most `maxMessageBytes` bytes of input, kept as decoded
 * strings (so at most that many UTF-16 code units), plus one joined copy while a completed
 * line is handed over. Overflow policy: fail, never drop or truncate.
 *
 * ## Example
 *
 * ```ts
 * import { createLineSplitter } from 'rxmcp';
 *
 * const lines: string[] = [];
 * const splitter = createLineSplitter({ onLine: (line) => lines.push(line) });
 * splitter.push(new TextEncoder().encode('{"a":1}\r\n{"b":'));
 * splitter.push('2}\n');
 * splitter.end();
 * console.log(lines); // [ '{"a":1}', '{"b":2}' ]
 * ```
 */
export function createLineSplitter(options: LineSplitterOptions): LineSplitter {
  const { onLine } = options;
  const maxMessageBytes = checkMaxMessageBytes(options.maxMessageBytes, 'createLineSplitter');
  // Non-fatal: invalid UTF-8 becomes U+FFFD rather than an exception in the middle of a chunk.
  // Never called with `{ stream: true }`: Node's TextDecoder leaves its fast UTF-8 path for good
  // (about 6× slower) after one streaming call. A character cut by a chunk boundary is carried
  // over by hand instead (`carry`).
  // [spec 2025-11-25 basic_transports] JSON-RPC messages MUST be UTF-8 encoded.
  const decoder = new TextDecoder();
  // The partial line: decoded pieces (strings own their memory, so a caller may reuse its
  // chunk buffer), their size in bytes, and the first bytes (at most 3) of a character that the
  // next chunk completes.
  let pieces: string[] = [];
  let pendingBytes = 0;
  const carry = new Uint8Array(4);
  let carryLength = 0;
  let failure: RxMcpError | undefined;
  const counters = { scanned: 0, decoded: 0, joined: 0, measured: 0, lines: 0 };

  function emit(last: string): void {
    let line = last;
    if (pieces.length > 0) {
      pieces.push(last);
      // One join per line: each byte of a long line is copied once, however many chunks it
      // came in.
      line = pieces.join('');
      counters.joined += line.length;
      pieces = [];
    }
    pendingBytes = 0;
    // [spec 2025-11-25 basic_transports] Messages are delimited by newlines. A `\r` before the
    // newline is tolerated (Windows peers), not required.
    if (line.charCodeAt(line.length - 1) === CR) line = line.slice(0, -1);
    if (line.length === 0) return;
    counters.lines++;
    onLine(line);
  }

  function fail(seenBytes: number, complete: boolean): never {
    pieces = [];
    pendingBytes = 0;
    carryLength = 0;
    const what = complete
      ? `An NDJSON message of ${seenBytes} bytes`
      : `An NDJSON message still without a newline after ${seenBytes} bytes`;
    failure = new RxMcpError(
      'limit',
      `${what} exceeds maxMessageBytes (${maxMessageBytes} bytes). Raise maxMessageBytes if the ` +
        'peer legitimately sends larger messages; otherwise it is not ending its messages with "\\n".',
      { data: { maxMessageBytes, seenBytes } },
    );
    throw failure;
  }

  /** Decodes the carried bytes: a whole character, or U+FFFD for one that cannot complete. */
  function flushCarry(): void {
    counters.decoded += carryLength;
    pieces.push(decoder.decode(carry.subarray(0, carryLength)));
    carryLength = 0;
  }

  /** Moves the bytes that complete the carried character out of `chunk`; returns their count. */
  function completeCarry(chunk: Uint8Array): number {
    const needed = utf8SequenceLength(carry[0] as number);
    let taken = 0;
    while (
      carryLength < needed &&
      taken < chunk.length &&
      isUtf8Continuation(chunk[taken] as number)
    ) {
      carry[carryLength++] = chunk[taken++] as number;
    }
    counters.scanned += taken;
    pendingBytes += taken;
    if (pendingBytes > maxMessageBytes) fail(pendingBytes, false);
    // Still short only when the whole (tiny) chunk was continuation bytes: wait for more.
    if (carryLength < needed && taken === chunk.length) return taken;
    flushCarry();
    return taken;
  }

  function pushBytes(chunk: Uint8Array): void {
    let start = carryLength > 0 ? completeCarry(chunk) : 0;
    // Hot loop. `indexOf` is a native scan; it starts at `start`, so every byte is searched
    // exactly once. A `\n` byte (0x0a) never occurs inside a multi-byte UTF-8 sequence (those
    // bytes are all >= 0x80), so splitting bytes before decoding cannot cut a character.
    for (
      let newline = chunk.indexOf(LF, start);
      newline !== -1;
      newline = chunk.indexOf(LF, start)
    ) {
      counters.scanned += newline + 1 - start;
      const size = pendingBytes + (newline - start);
      if (size > maxMessageBytes) fail(size, true);
      counters.decoded += newline - start;
      emit(decoder.decode(chunk.subarray(start, newline)));
      start = newline + 1;
    }
    const rest = chunk.length - start;
    counters.scanned += rest;
    if (rest === 0) return;
    const size = pendingBytes + rest;
    // Checked before decoding or keeping anything: memory stays within the limit.
    if (size > maxMessageBytes) fail(size, false);
    const cut = chunk.length - incompleteUtf8Tail(chunk, start, chunk.length);
    counters.decoded += cut - start;
    if (cut > start) pieces.push(decoder.decode(chunk.subarray(start, cut)));
    carry.set(chunk.subarray(cut));
    carryLength = chunk.length - cut;
    pendingBytes = size;
  }

  function pushText(chunk: string): void {
    // Bytes then text mid-line: an unfinished character can no longer complete.
    if (carryLength > 0) flushCarry();
    let start = 0;
    for (
      let newline = chunk.indexOf('\n', start);
      newline !== -1;
      newline = chunk.indexOf('\n', start)
    ) {
      counters.scanned += newline + 1 - start;
      // A UTF-16 code unit is 1 to 3 UTF-8 bytes (a surrogate pair: 2 units, 4 bytes), so a
      // line is walked to measure it only when it might be over the limit.
      if (pendingBytes + (newline - start) * 3 > maxMessageBytes) {
        counters.measured += newline - start;
        const size = pendingBytes + utf8ByteLength(chunk, start, newline);
        if (size > maxMessageBytes) fail(size, true);
      }
      emit(chunk.slice(start, newline));
      start = newline + 1;
    }
    const rest = chunk.length - start;
    counters.scanned += rest;
    if (rest === 0) return;
    counters.measured += rest;
    const size = pendingBytes + utf8ByteLength(chunk, start, chunk.length);
    if (size > maxMessageBytes) fail(size, false);
    pieces.push(chunk.slice(start));
    pendingBytes = size;
  }

  return {
    push(chunk) {
      if (failure) throw failure;
      if (typeof chunk === 'string') pushText(chunk);
      else pushBytes(chunk);
    },
    end() {
      if (failure) throw failure;
      if (carryLength > 0) flushCarry();
      if (pendingBytes > 0) emit('');
    },
    stats: () => ({ ...counters, pendingBytes }),
  };
}
