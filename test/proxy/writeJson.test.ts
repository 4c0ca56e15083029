/**
 * writeJson / jsonByteLength give exactly the bytes of Buffer.from(JSON.stringify(value)).
 */
import { Buffer } from 'node:buffer';
import { jsonByteLength, writeJson } from '../../src/proxy/writeJson';

function encoded(value: unknown): Buffer {
  const length = jsonByteLength(value);
  const target = Buffer.alloc(length + 8, 0xff);
  const written = writeJson(value, target, 4);
  expect(written).toBe(length);
  // Nothing written outside its place.
  expect(target.subarray(0, 4).every((byte) => byte === 0xff)).toBe(true);
  expect(target.subarray(4 + length).every((byte) => byte === 0xff)).toBe(true);
  return target.subarray(4, 4 + length);
}

const cases: Array<[string, unknown]> = [
  [
    'a progress notification',
    {
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: 'p', progress: 3, message: 'x'.repeat(16_384) },
    },
  ],
  ['escapes', { text: 'quote " backslash \\ newline \n tab \t nul \u0000 del \u007f ls \u2028' }],
  ['non-ASCII', { text: 'héllo wörld ✓ 日本語 🙂', ['clé ✓']: 'ü' }],
  ['lone surrogates', { lone: '\ud800 and \udfff', pair: '🙂' }],
  ['numbers', { n: [0, -0, 1.5, -2e-7, 1e21, Number.MAX_SAFE_INTEGER, NaN, Infinity, -Infinity] }],
  ['nesting', { a: [[], {}, [null, true, false], { b: { c: [1, 'two', { d: null }] } }] }],
  [
    'members JSON.stringify leaves out',
    { keep: 1, u: undefined, f: () => 1, s: Symbol('x'), arr: [undefined, () => 1, Symbol('y')] },
  ],
  [
    'toJSON',
    {
      when: new Date(0),
      custom: { toJSON: (key: string) => `key ${key}` },
      inArray: [{ toJSON: () => undefined }],
    },
  ],
  ['an empty string and key', { '': '' }],
];

describe('writeJson', () => {
  it.each(cases)('writes the bytes of JSON.stringify: %s', (_name, value) => {
    expect(encoded(value).toString('utf8')).toBe(JSON.stringify(value));
    expect(encoded(value).equals(Buffer.from(JSON.stringify(value), 'utf8'))).toBe(true);
  });

  it('throws on a BigInt, as JSON.stringify does', () => {
    expect(() => jsonByteLength({ n: 1n })).toThrow(TypeError);
  });
});
