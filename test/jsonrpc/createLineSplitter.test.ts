import { RxMcpError } from '../../src/errors.js';
import { DEFAULT_NDJSON_MAX_MESSAGE_BYTES, createLineSplitter } from '../../src/jsonrpc/index.js';
import type { LineSplitter, LineSplitterOptions } from '../../src/jsonrpc/index.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A splitter that collects its lines. */
function collecting(options: Omit<LineSplitterOptions, 'onLine'> = {}): {
  splitter: LineSplitter;
  lines: string[];
} {
  const lines: string[] = [];
  return {
    splitter: createLineSplitter({ ...options, onLine: (line) => lines.push(line) }),
    lines,
  };
}

/** Feeds `chunks` then ends, and returns the lines. */
function split(
  chunks: ReadonlyArray<Uint8Array | string>,
  options: Omit<LineSplitterOptions, 'onLine'> = {},
): string[] {
  const { splitter, lines } = collecting(options);
  for (const chunk of chunks) splitter.push(chunk);
  splitter.end();
  return lines;
}

/** Runs `fn`, expects it to throw, returns what it threw. */
function thrown(fn: () => void): RxMcpError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RxMcpError) return error;
    throw error;
  }
  throw new Error('expected a throw');
}

// CRLF and LF, empty lines (bare and CRLF), a `\r` inside a line, 2-, 3- and 4-byte UTF-8
// characters, and a last line without a newline.
const input = '{"a":1}\n{"t":"é € 😀"}\r\n\n\r\n{"b":"✓"}\na\rb\n\n😀😀\r\nlast';
const expected = ['{"a":1}', '{"t":"é € 😀"}', '{"b":"✓"}', 'a\rb', '😀😀', 'last'];

describe('createLineSplitter: framing', () => {
  const bytes = utf8(input);

  it('splits a whole input in one chunk', () => {
    expect(split([bytes])).toEqual(expected);
    expect(split([input])).toEqual(expected);
  });

  it('gives the same lines for a byte split at every boundary, inside characters too', () => {
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect([cut, split([bytes.subarray(0, cut), bytes.subarray(cut)])]).toEqual([cut, expected]);
    }
  });

  it('gives the same lines for every pair of byte boundaries (three chunks, some empty)', () => {
    for (let first = 0; first <= bytes.length; first++) {
      for (let second = first; second <= bytes.length; second++) {
        const lines = split([
          bytes.subarray(0, first),
          bytes.subarray(first, second),
          bytes.subarray(second),
        ]);
        if (lines.join('\n') !== expected.join('\n'))
          throw new Error(`cuts ${first}, ${second}: ${JSON.stringify(lines)}`);
      }
    }
  });

  it('gives the same lines for every fixed chunk size, down to one byte', () => {
    for (let size = 1; size <= bytes.length; size++) {
      const chunks: Uint8Array[] = [];
      for (let start = 0; start < bytes.length; start += size)
        chunks.push(bytes.subarray(start, start + size));
      expect([size, split(chunks)]).toEqual([size, expected]);
    }
  });

  it('gives the same lines for text split at every code unit, between surrogate halves too', () => {
    for (let cut = 0; cut <= input.length; cut++) {
      expect([cut, split([input.slice(0, cut), input.slice(cut)])]).toEqual([cut, expected]);
    }
  });

  it('gives the same lines when bytes and text chunks alternate at line boundaries and inside lines', () => {
    const text = '{"a":"é"}\n{"b":2}\n';
    for (let cut = 0; cut <= text.length; cut++) {
      const head = text.slice(0, cut);
      // Bytes up to a character boundary, then text: never cuts a character.
      expect(split([utf8(head), text.slice(cut)])).toEqual(['{"a":"é"}', '{"b":2}']);
      expect(split([head, utf8(text.slice(cut))])).toEqual(['{"a":"é"}', '{"b":2}']);
    }
  });

  it('replaces a character cut short by a text chunk, or by the end of input, with U+FFFD', () => {
    const euro = utf8('€');
    expect(split([Uint8Array.of(0x7b, ...euro.subarray(0, 2)), '}\n'])).toEqual(['{\uFFFD}']);
    expect(split([Uint8Array.of(0x78, ...euro.subarray(0, 2))])).toEqual(['x\uFFFD']);
  });

  it('decodes any bytes, valid UTF-8 or not, as if they had come in one chunk', () => {
    // Property-style: random byte strings over an alphabet of newlines, ASCII, lead bytes,
    // continuation bytes and bytes that are never valid, cut at every position. The reference
    // is the whole input decoded at once and split on "\n" (a newline always ends a broken
    // sequence, so this equals decoding line by line).
    const alphabet = [
      0x0a, 0x0d, 0x41, 0x80, 0x82, 0x98, 0xa0, 0xa9, 0xac, 0xbf, 0xc3, 0xe0, 0xe2, 0xed, 0xf0,
      0x9f, 0xf8, 0xff,
    ];
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let sample = 0; sample < 300; sample++) {
      const input = Uint8Array.from(
        { length: 24 },
        () => alphabet[Math.floor(random() * alphabet.length)] as number,
      );
      const reference = new TextDecoder()
        .decode(input)
        .split('\n')
        .map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line))
        .filter((line) => line !== '');
      for (let cut = 0; cut <= input.length; cut++) {
        const lines = split([input.subarray(0, cut), input.subarray(cut)]);
        if (JSON.stringify(lines) !== JSON.stringify(reference)) {
          throw new Error(
            `[${input.join(',')}] cut at ${cut}: ${JSON.stringify(lines)} != ${JSON.stringify(reference)}`,
          );
        }
      }
      const bytewise = split(Array.from(input, (byte) => Uint8Array.of(byte)));
      expect(bytewise).toEqual(reference);
    }
  });

  it('replaces invalid UTF-8 with U+FFFD instead of failing', () => {
    expect(split([Uint8Array.of(0x22, 0xff, 0x22, 0x0a)])).toEqual(['"\uFFFD"']);
  });

  it('emits lines as their newline arrives, and the last unterminated line only at end()', () => {
    const { splitter, lines } = collecting();
    splitter.push('{"a":1}\n{"b"');
    expect(lines).toEqual(['{"a":1}']);
    splitter.push(':2}');
    expect(lines).toEqual(['{"a":1}']);
    expect(splitter.stats().pendingBytes).toBe(7);
    splitter.end();
    expect(lines).toEqual(['{"a":1}', '{"b":2}']);
    expect(splitter.stats().pendingBytes).toBe(0);
  });

  it('emits nothing at end() for input that ends with a newline, or for blank input', () => {
    expect(split(['a\n'])).toEqual(['a']);
    expect(split(['\n\r\n', utf8('\n')])).toEqual([]);
    expect(split(['\r'])).toEqual([]);
    expect(split([])).toEqual([]);
  });

  it('can be reused for a new stream after end()', () => {
    const { splitter, lines } = collecting();
    splitter.push(Uint8Array.of(0x61, 0xe2));
    splitter.end();
    splitter.push('b\n');
    expect(lines).toEqual(['a\uFFFD', 'b']);
  });

  it('copies what it keeps, so the caller may reuse its chunk buffer', () => {
    const { splitter, lines } = collecting();
    const buffer = new Uint8Array(3);
    buffer.set(utf8('abc'));
    splitter.push(buffer);
    buffer.set(utf8('de\n'));
    splitter.push(buffer);
    expect(lines).toEqual(['abcde']);
  });
});

describe('createLineSplitter: maxMessageBytes', () => {
  it('defaults to 10 MiB', () => {
    expect(DEFAULT_NDJSON_MAX_MESSAGE_BYTES).toBe(10 * 1024 * 1024);
    const { splitter } = collecting();
    const chunk = new Uint8Array(1024 * 1024).fill(0x61);
    for (let index = 0; index < 10; index++) splitter.push(chunk);
    expect(thrown(() => splitter.push('a')).data).toEqual({
      maxMessageBytes: 10 * 1024 * 1024,
      seenBytes: 10 * 1024 * 1024 + 1,
    });
  });

  it('accepts a line of exactly the limit and fails a complete line one byte over, naming both sizes', () => {
    expect(split(['12345678\n'], { maxMessageBytes: 8 })).toEqual(['12345678']);
    const { splitter, lines } = collecting({ maxMessageBytes: 8 });
    const error = thrown(() => splitter.push(utf8('ok\n123456789\n')));
    expect(lines).toEqual(['ok']);
    expect(error.kind).toBe('limit');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      'An NDJSON message of 9 bytes exceeds maxMessageBytes (8 bytes). Raise maxMessageBytes if the peer ' +
        'legitimately sends larger messages; otherwise it is not ending its messages with "\\n".',
    );
    expect(error.data).toEqual({ maxMessageBytes: 8, seenBytes: 9 });
  });

  it('fails a partial line as soon as it passes the limit, without keeping it', () => {
    const { splitter } = collecting({ maxMessageBytes: 8 });
    splitter.push(utf8('12345'));
    const error = thrown(() => splitter.push('6789'));
    expect(error.message).toMatch(
      /^An NDJSON message still without a newline after 9 bytes exceeds maxMessageBytes \(8 bytes\)\./,
    );
    expect(error.data).toEqual({ maxMessageBytes: 8, seenBytes: 9 });
    expect(splitter.stats().pendingBytes).toBe(0);
  });

  it('stays failed: every later call throws the same error', () => {
    const { splitter, lines } = collecting({ maxMessageBytes: 4 });
    const error = thrown(() => splitter.push(utf8('12345')));
    expect(thrown(() => splitter.push('\n'))).toBe(error);
    expect(thrown(() => splitter.end())).toBe(error);
    expect(lines).toEqual([]);
  });

  it('stops at the first chunk that crosses the limit, holding no more than the limit before it', () => {
    const { splitter } = collecting({ maxMessageBytes: 1024 * 1024 });
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    let pushed = 0;
    const error = thrown(() => {
      for (;;) {
        splitter.push(chunk);
        pushed++;
        expect(splitter.stats().pendingBytes).toBeLessThanOrEqual(1024 * 1024);
      }
    });
    expect(pushed).toBe(16);
    expect(error.data).toEqual({ maxMessageBytes: 1024 * 1024, seenBytes: 17 * 64 * 1024 });
  });

  it('counts UTF-8 bytes, not characters, for bytes and for text', () => {
    // '€' is 3 bytes: three of them are 9 bytes in 3 characters.
    expect(thrown(() => split([utf8('€€€\n')], { maxMessageBytes: 8 })).data).toEqual({
      maxMessageBytes: 8,
      seenBytes: 9,
    });
    expect(thrown(() => split(['€€€\n'], { maxMessageBytes: 8 })).data).toEqual({
      maxMessageBytes: 8,
      seenBytes: 9,
    });
    expect(thrown(() => split(['€€€'], { maxMessageBytes: 8 })).data).toEqual({
      maxMessageBytes: 8,
      seenBytes: 9,
    });
    expect(thrown(() => split(['x', '😀😀\n'], { maxMessageBytes: 8 })).data).toEqual({
      maxMessageBytes: 8,
      seenBytes: 9,
    });
    expect(split(['€€ab\n', '😀😀\n', 'é', 'éé\n'], { maxMessageBytes: 8 })).toEqual([
      '€€ab',
      '😀😀',
      'ééé',
    ]);
  });

  it('counts the bytes that complete a character cut by a chunk boundary', () => {
    // '€' is e2 82 ac: the first byte ends the first chunk, the next two cross the limit.
    const euro = utf8('€');
    const { splitter } = collecting({ maxMessageBytes: 6 });
    splitter.push(Uint8Array.of(0x61, 0x61, 0x61, 0x61, 0x61, ...euro.subarray(0, 1)));
    expect(thrown(() => splitter.push(euro.subarray(1))).data).toEqual({
      maxMessageBytes: 6,
      seenBytes: 8,
    });
  });

  it('counts a "\\r" before the newline as part of the message', () => {
    expect(thrown(() => split(['12345678\r\n'], { maxMessageBytes: 8 })).data).toEqual({
      maxMessageBytes: 8,
      seenBytes: 9,
    });
  });

  it.each([0, -1, 1.5, Number.NaN, Infinity])('refuses maxMessageBytes %p', (maxMessageBytes) => {
    expect(() => createLineSplitter({ maxMessageBytes, onLine: () => undefined })).toThrow(
      new RangeError(
        `createLineSplitter: maxMessageBytes must be a whole number >= 1 (bytes), got ${maxMessageBytes}.`,
      ),
    );
  });
});

describe('createLineSplitter: linear work', () => {
  // A reader that concatenates its buffer with every chunk and searches it from the start (the
  // official SDK's ReadBuffer) copies and scans 64 KiB × (1 + 2 + … + 1600) ≈ 84 GB for this
  // line. The counters show each byte is scanned once, decoded once and joined once.
  const total = 100 * 1024 * 1024;
  const chunkSize = 64 * 1024;

  it('frames a 100 MiB line of bytes fed in 64 KiB chunks touching each byte at most 3 times', () => {
    const chunk = new Uint8Array(chunkSize).fill(0x61);
    let line: string | undefined;
    const splitter = createLineSplitter({
      maxMessageBytes: total,
      onLine: (text) => (line = text),
    });
    for (let sent = 0; sent < total; sent += chunkSize) splitter.push(chunk);
    expect(line).toBeUndefined();
    expect(splitter.stats().pendingBytes).toBe(total);
    splitter.push(utf8('\n'));

    expect(line?.length).toBe(total);
    expect(line?.charCodeAt(total - 1)).toBe(0x61);
    const stats = splitter.stats();
    expect(stats).toEqual({
      scanned: total + 1,
      decoded: total,
      joined: total,
      measured: 0,
      lines: 1,
      pendingBytes: 0,
    });
    expect(stats.scanned + stats.decoded + stats.joined).toBeLessThan(3 * (total + 1));
  });

  it('frames a 100 MiB line of text fed in 64 Ki-character chunks with the same linear work', () => {
    const chunk = 'a'.repeat(chunkSize);
    let length = 0;
    const splitter = createLineSplitter({
      maxMessageBytes: total,
      onLine: (text) => (length = text.length),
    });
    for (let sent = 0; sent < total; sent += chunkSize) splitter.push(chunk);
    splitter.push('\n');

    expect(length).toBe(total);
    const stats = splitter.stats();
    expect(stats).toEqual({
      scanned: total + 1,
      decoded: 0,
      joined: total,
      measured: total,
      lines: 1,
      pendingBytes: 0,
    });
  });

  it('copies nothing to join when lines do not span chunks, and measures short text lines not at all', () => {
    const line = '{"jsonrpc":"2.0","method":"notifications/progress"}';
    const chunk = `${line}\n`.repeat(1000);
    const { splitter, lines } = collecting();
    splitter.push(chunk);
    splitter.push(utf8(chunk));
    expect(lines).toHaveLength(2000);
    expect(splitter.stats()).toEqual({
      scanned: 2 * chunk.length,
      decoded: 1000 * line.length,
      joined: 0,
      measured: 0,
      lines: 2000,
      pendingBytes: 0,
    });
  });
});
