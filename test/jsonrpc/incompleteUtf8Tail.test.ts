import { incompleteUtf8Tail, utf8SequenceLength } from '../../src/jsonrpc/incompleteUtf8Tail.js';

describe('incompleteUtf8Tail', () => {
  const bytes = (...values: number[]) => Uint8Array.from(values);

  it.each([
    ['ASCII', bytes(0x61, 0x62), 0],
    ['a complete 2-byte character', bytes(0xc3, 0xa9), 0],
    ['the lead of a 2-byte character', bytes(0x61, 0xc3), 1],
    ['1 of 3 bytes', bytes(0xe2), 1],
    ['2 of 3 bytes', bytes(0xe2, 0x82), 2],
    ['a complete 3-byte character', bytes(0xe2, 0x82, 0xac), 0],
    ['3 of 4 bytes', bytes(0xf0, 0x9f, 0x98), 3],
    ['a complete 4-byte character', bytes(0xf0, 0x9f, 0x98, 0x80), 0],
    ['a byte that starts nothing (0xff)', bytes(0xff), 0],
    ['stray continuation bytes', bytes(0x61, 0x80, 0x80, 0x80), 0],
  ])('%s -> %i', (_name, input, expected) => {
    expect(incompleteUtf8Tail(input, 0, input.length)).toBe(expected);
  });

  it('looks no further back than start', () => {
    expect(incompleteUtf8Tail(bytes(0xe2, 0x82), 1, 2)).toBe(0);
  });

  it('knows the sequence length of every lead byte', () => {
    expect([0xc2, 0xdf, 0xe0, 0xef, 0xf0, 0xf7, 0xf8, 0xff].map(utf8SequenceLength)).toEqual([
      2, 2, 3, 3, 4, 4, 1, 1,
    ]);
  });
});
