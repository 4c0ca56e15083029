import { parseRetryAfter } from '../../src/sse/parseRetryAfter';

describe('parseRetryAfter', () => {
  const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });

  it('reads an HTTP-date relative to now, in each of the three HTTP date formats', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:28:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wednesday, 21-Oct-26 07:28:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed Oct 21 07:28:02 2026', now)).toBe(2000);
    expect(parseRetryAfter('Wed Oct  1 07:28:00 2026', now)).toBe(0);
  });

  it('turns a date in the past into no wait', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2026 07:00:00 GMT', now)).toBe(0);
  });

  it('ignores absent, negative and garbage values', () => {
    for (const value of [
      null,
      undefined,
      '',
      '-1',
      '-0.5',
      'soon',
      '1e3',
      '12abc',
      'Foo, 99 Bar',
    ]) {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    }
  });
});
