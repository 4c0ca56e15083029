import { utf8ByteLength } from '../../src/jsonrpc/utf8ByteLength.js';

describe('utf8ByteLength', () => {
  const encoder = new TextEncoder();

  it.each(['', 'ascii', 'é', '€', '😀', 'a\u0000b', '\u07ff\u0800\uffff', 'mixed é € 😀 ✓ text'])(
    'agrees with TextEncoder for %p',
    (text) => {
      expect(utf8ByteLength(text, 0, text.length)).toBe(encoder.encode(text).length);
    },
  );

  it('counts a lone surrogate as the 3 bytes of U+FFFD, as TextEncoder writes it', () => {
    for (const text of ['\ud83d', '\ude00', 'a\ud83db', '\ude00\ud83d']) {
      expect(utf8ByteLength(text, 0, text.length)).toBe(encoder.encode(text).length);
    }
  });

  it('measures a range only, and overstates a pair cut by the range by 2 bytes at most', () => {
    const text = 'ab😀cd';
    expect(utf8ByteLength(text, 1, 5)).toBe(encoder.encode('b😀c').length);
    expect(utf8ByteLength(text, 0, 3) + utf8ByteLength(text, 3, text.length)).toBe(
      encoder.encode(text).length + 2,
    );
  });
});
