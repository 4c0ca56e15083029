/** Options of {@link createStderrRing}. */
export interface StderrRingOptions {
  /**
   * How many of the most recent lines are kept; older lines are dropped (overflow policy:
   * drop oldest). A whole number >= 0; `0` keeps none.
   * @default 100
   */
  readonly capacity?: number;
  /**
   * The longest line kept, in UTF-16 code units. A longer line is cut to this length and
   * marked with how much was cut; the rest of it is skipped as it arrives, never held. A
   * whole number >= 1.
   * @default 1000
   */
  readonly maxLineLength?: number;
  /**
   * Called with each complete line (cut if too long), without its `\n` or `\r\n`. Empty lines
   * are passed on too: on stderr they are part of the log's layout.
   * @default none
   */
  readonly onLine?: (line: string) => void;
}

/** A bounded record of a process's stderr: see {@link createStderrRing}. */
export interface StderrRing {
  /** Feeds a decoded chunk of stderr. */
  push(chunk: string): void;
  /** Ends the input: a last line without a newline is completed. */
  end(): void;
  /** The kept lines, oldest first (a copy). */
  lines(): string[];
}

/** The default number of stderr lines kept. */
export const DEFAULT_STDERR_LINES = 100;
/** The default cap on the length of one kept stderr line. */
export const DEFAULT_MAX_STDERR_LINE_LENGTH = 1000;

/**
 * Splits a process's stderr into lines and keeps the last `capacity` of them, for error
 * messages ("… exited with code 1. Last stderr lines: …").
 *
 * Memory is bounded by `capacity × maxLineLength` plus one partial line of at most
 * `maxLineLength`, whatever the process writes: a server that prints a megabyte without a
 * newline costs `maxLineLength` code units, not a megabyte.
 *
 * ```text
 * push:    'a\nbb'   'b\nc'   end()
 * onLine:  'a'       'bbb'    'c'
 * lines(): ['a', 'bbb', 'c']   (capacity 3; a fourth line would drop 'a')
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { createStderrRing } from 'rxmcp/node';
 *
 * const ring = createStderrRing({ capacity: 2 });
 * ring.push('one\ntwo\nthree\n');
 * console.log(ring.lines()); // [ 'two', 'three' ]
 * ```
 */
export function createStderrRing(options: StderrRingOptions = {}): StderrRing {
  const capacity = wholeNumber(options.capacity ?? DEFAULT_STDERR_LINES, 0, 'capacity');
  const maxLineLength = wholeNumber(
    options.maxLineLength ?? DEFAULT_MAX_STDERR_LINE_LENGTH,
    1,
    'maxLineLength',
  );
  const { onLine } = options;
  // A fixed array used as a circular buffer: no shifting, no growth.
  const ring: string[] = [];
  let next = 0;
  let partial = '';
  // Code units of the current line that did not fit and were skipped.
  let cut = 0;

  function keep(line: string): void {
    if (capacity === 0) return;
    if (ring.length < capacity) ring.push(line);
    else ring[next] = line;
    next = (next + 1) % capacity;
  }

  function append(piece: string): void {
    const room = maxLineLength - partial.length;
    if (piece.length <= room) {
      partial += piece;
      return;
    }
    partial += piece.slice(0, room);
    cut += piece.length - room;
  }

  function emit(): void {
    let line = partial;
    if (cut === 0 && line.endsWith('\r')) line = line.slice(0, -1);
    if (cut > 0) line = `${line}… (${cut} more characters)`;
    partial = '';
    cut = 0;
    keep(line);
    onLine?.(line);
  }

  return {
    push(chunk) {
      let start = 0;
      for (
        let newline = chunk.indexOf('\n');
        newline !== -1;
        newline = chunk.indexOf('\n', start)
      ) {
        append(chunk.slice(start, newline));
        emit();
        start = newline + 1;
      }
      if (start < chunk.length) append(chunk.slice(start));
    },
    end() {
      if (partial.length > 0 || cut > 0) emit();
    },
    lines() {
      return ring.length < capacity ? ring.slice() : [...ring.slice(next), ...ring.slice(0, next)];
    },
  };
}

function wholeNumber(value: number, min: number, name: string): number {
  if (!(Number.isInteger(value) && value >= min)) {
    throw new RangeError(
      `createStderrRing: ${name} must be a whole number >= ${min}, got ${value}.`,
    );
  }
  return value;
}
