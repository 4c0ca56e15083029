/**
 * encodeJson writes exactly the bytes of Buffer.from(JSON.stringify(value)), long strings
 * (written as they are) included.
 */
import { Buffer } from 'node:buffer';
import { encodeJson } from '../../src/server/encodeJson';

function encoded(value: unknown): Buffer {
  const json = encodeJson(value);
  const target = Buffer.alloc(json.bytes + 8, 0xff);
  expect(json.writeTo(target, 4)).toBe(json.bytes);
  // Nothing written outside its place.
  expect(target.subarray(0, 4).every((byte) => byte === 0xff)).toBe(true);
  expect(target.subarray(4 + json.bytes).every((byte) => byte === 0xff)).toBe(true);
  return target.subarray(4, 4 + json.bytes);
}

const long = (text: string): string => text.repeat(Math.ceil(3000 / text.length));

const cases: Array<[string, unknown]> = [
  [
    'a big progress notification',
    {
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: 'p', progress: 3, message: 'x'.repeat(16_384) },
    },
  ],
  ['a small message', { jsonrpc: '2.0', id: 7, result: { tools: [{ name: 'a' }] } }],
  [
    'short escapes',
    { text: 'quote " backslash \\ newline \n tab \t nul \u0000 del \u007f ls \u2028' },
  ],
  ['long text with newlines and quotes', { text: long('line "one"\nline \\two\\\r\n\t') }],
  ['long non-ASCII text', { text: long('héllo wörld ✓ 日本語 🙂 '), ['clé ✓']: 'ü' }],
  ['long text with surrogate pairs and lone halves', { text: long('a🙂b\ud800c\udfffd🙂') }],
  ['a lone high surrogate at the very end', { text: `${'x'.repeat(2000)}\ud83d` }],
  ['a long key', { [long('k')]: long('v'), [`"${long('q')}`]: 1 }],
  ['long strings in arrays', { items: [long('a'), 'short', [long('b'), null], { c: long('c') }] }],
  ['numbers', { n: [0, -0, 1.5, -2e-7, 1e21, Number.MAX_SAFE_INTEGER, NaN, Infinity] }],
  ['nesting', { a: [[], {}, [null, true, false], { b: { c: [1, 'two', { d: null }] } }] }],
  [
    'members JSON.stringify leaves out, beside a long string',
    {
      text: long('t'),
      keep: 1,
      u: undefined,
      f: () => 1,
      s: Symbol('x'),
      arr: [undefined, () => 1, Symbol('y'), long('z')],
    },
  ],
  [
    'toJSON, beside a long string',
    { text: long('t'), when: new Date(0), inArray: [{ toJSON: () => undefined }, long('u')] },
  ],
  ['an object of only omitted members beside a long string', { a: { u: undefined }, t: long('t') }],
  ['an empty string and key', { '': '' }],
];

describe('encodeJson', () => {
  it.each(cases)('writes the bytes of JSON.stringify: %s', (_name, value) => {
    expect(encoded(value).toString('utf8')).toBe(JSON.stringify(value));
    expect(encoded(value).equals(Buffer.from(JSON.stringify(value), 'utf8'))).toBe(true);
  });

  it('throws on a BigInt, as JSON.stringify does', () => {
    expect(() => encodeJson({ n: 1n })).toThrow(TypeError);
  });
});
