import { createUtf8StreamDecoder } from '../../src/sse/utf8Decoder';

/** A small deterministic generator, so that a failure can be replayed. */
function randomSource(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
}

/** Decodes `chunks` the way the reference does it: a streaming `TextDecoder`, chunk by chunk. */
function reference(chunks: readonly Uint8Array[]): string[] {
  const decoder = new TextDecoder();
  return chunks.map((chunk) => decoder.decode(chunk, { stream: true }));
}

function decoded(chunks: readonly Uint8Array[]): string[] {
  const decoder = createUtf8StreamDecoder();
  return chunks.map((chunk) => decoder.decode(chunk));
}

/** `bytes` cut at random places into 1 to 6 chunks (some possibly empty). */
function randomCuts(bytes: Uint8Array, random: () => number): Uint8Array[] {
  const cuts = Array.from({ length: Math.floor(random() * 6) }, () =>
    Math.floor(random() * (bytes.length + 1)),
  ).sort((a, b) => a - b);
  const edges = [0, ...cuts, bytes.length];
  return edges.slice(1).map((end, index) => bytes.subarray(edges[index], end));
}

// The bytes where UTF-8 decoders differ: every kind of lead byte, the edges of the ranges
// allowed after E0, ED, F0 and F4, bytes that can never appear, and the BOM's bytes.
const EDGE_BYTES = [
  0x00, 0x0a, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbb, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0,
  0xe1, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xf8, 0xfe, 0xff,
];

describe('createUtf8StreamDecoder', () => {
  it('gives, chunk by chunk, what a streaming TextDecoder gives for any bytes and any cuts', () => {
    const random = randomSource(7);
    const differences: unknown[] = [];
    for (let round = 0; round < 20_000; round++) {
      const bytes = Uint8Array.from({ length: Math.floor(random() * 14) }, () =>
        random() < 0.85
          ? (EDGE_BYTES[Math.floor(random() * EDGE_BYTES.length)] as number)
          : Math.floor(random() * 256),
      );
      // A BOM, whole or cut short, at the start of a fifth of the inputs.
      if (random() < 0.2) bytes.set([0xef, 0xbb, 0xbf].slice(0, bytes.length));
      const chunks = randomCuts(bytes, random);
      const [mine, theirs] = [decoded(chunks), reference(chunks)];
      if (JSON.stringify(mine) !== JSON.stringify(theirs))
        differences.push({ chunks, mine, theirs });
    }
    expect(differences.slice(0, 3)).toEqual([]);
  });

  it('decodes real multilingual text cut at every byte the same as TextDecoder', () => {
    const bytes = new TextEncoder().encode('\ufeffdata: h€llo 😀 wörld ✓ 日本\n\n');
    for (let at = 0; at <= bytes.length; at++) {
      const chunks = [bytes.subarray(0, at), bytes.subarray(at)];
      expect(decoded(chunks)).toEqual(reference(chunks));
      expect(decoded(chunks).join('')).toBe('data: h€llo 😀 wörld ✓ 日本\n\n');
    }
  });

  it('replaces invalid sequences with U+FFFD as soon as they are known to be invalid', () => {
    const invalid = [
      [0xc0, 0x80], // overlong
      [0xe0, 0x80, 0x80], // overlong: E0 needs A0-BF next
      [0xed, 0xa0, 0x80], // a surrogate: ED needs 80-9F next
      [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
      [0xff],
      [0x80, 0xbf],
    ];
    for (const sequence of invalid) {
      const chunks = [Uint8Array.from([0x41, ...sequence]), Uint8Array.from([0x42])];
      expect(decoded(chunks)).toEqual(reference(chunks));
      expect(decoded(chunks).join('')).toMatch(/^A\ufffd+B$/);
    }
  });

  it('holds a cut-off character back until it is complete, also across several chunks', () => {
    const smiley = new TextEncoder().encode('😀'); // F0 9F 98 80
    const chunks = [smiley.subarray(0, 1), smiley.subarray(1, 2), smiley.subarray(2, 3)];
    expect(decoded([...chunks, smiley.subarray(3)])).toEqual(['', '', '', '😀']);
  });

  it('drops one BOM at the start of the stream only, even when it comes byte by byte', () => {
    const bom = [0xef, 0xbb, 0xbf];
    const chunks = [[], [0xef], [0xbb], [0xbf, 0x41], bom, [0x42]].map((bytes) =>
      Uint8Array.from(bytes),
    );
    expect(decoded(chunks)).toEqual(['', '', '', 'A', '\ufeff', 'B']);
  });

  it('keeps a BOM when the stream starts with something else', () => {
    const chunks = [Uint8Array.from([0x80]), Uint8Array.from([0xef, 0xbb, 0xbf])];
    expect(decoded(chunks)).toEqual(['\ufffd', '\ufeff']);
  });
});
