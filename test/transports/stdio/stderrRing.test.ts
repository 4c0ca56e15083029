import { createStderrRing } from '../../../src/transports/stdio/stderrRing.js';

describe('createStderrRing', () => {
  it('splits chunks into lines across chunk boundaries, CRLF or LF, and completes the last one on end', () => {
    const emitted: string[] = [];
    const ring = createStderrRing({ onLine: (line) => emitted.push(line) });
    ring.push('first\r\nsec');
    ring.push('ond\n\nthi');
    ring.push('rd');
    expect(emitted).toEqual(['first', 'second', '']);
    ring.end();
    expect(emitted).toEqual(['first', 'second', '', 'third']);
    expect(ring.lines()).toEqual(['first', 'second', '', 'third']);
    ring.end();
    expect(ring.lines()).toHaveLength(4);
  });

  it('keeps only the last `capacity` lines, oldest first', () => {
    const ring = createStderrRing({ capacity: 3 });
    ring.push('1\n2\n3\n4\n5\n');
    expect(ring.lines()).toEqual(['3', '4', '5']);
    ring.push('6\n');
    expect(ring.lines()).toEqual(['4', '5', '6']);
    const none = createStderrRing({ capacity: 0 });
    none.push('dropped\n');
    expect(none.lines()).toEqual([]);
  });

  it('cuts long lines, also when they arrive in many chunks, and never holds more than the cap', () => {
    const emitted: string[] = [];
    const ring = createStderrRing({ maxLineLength: 5, onLine: (line) => emitted.push(line) });
    ring.push('abcdefgh\n');
    ring.push('123');
    ring.push('456');
    ring.push('789\r\nok\n');
    ring.push('xyzxyz');
    ring.end();
    expect(emitted).toEqual([
      'abcde… (3 more characters)',
      '12345… (5 more characters)',
      'ok',
      'xyzxy… (1 more characters)',
    ]);
  });

  it('refuses capacities and lengths that are not whole numbers', () => {
    expect(() => createStderrRing({ capacity: -1 })).toThrow(
      /capacity must be a whole number >= 0/,
    );
    expect(() => createStderrRing({ maxLineLength: 0 })).toThrow(/maxLineLength/);
    expect(() => createStderrRing({ maxLineLength: 2.5 })).toThrow(RangeError);
  });
});
