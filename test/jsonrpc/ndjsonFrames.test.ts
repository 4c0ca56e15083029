import { Observable, Subject, catchError, of, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { RxMcpError } from '../../src/errors.js';
import { ndjsonFrames } from '../../src/jsonrpc/index.js';

const newScheduler = () =>
  new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('ndjsonFrames', () => {
  it('turns byte and text chunks into lines, dropping CRLF and empty lines', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Uint8Array | string>('-a--b--c-|', {
        a: utf8('{"x":1}\r\n{"y"'),
        b: ':2}\n\n',
        c: utf8('{"z":"é"}\n'),
      });
      expectObservable(source.pipe(ndjsonFrames())).toBe('-x--y--z-|', {
        x: '{"x":1}',
        y: '{"y":2}',
        z: '{"z":"é"}',
      });
      expectSubscriptions(source.subscriptions).toBe('^--------!');
    });
  });

  it('emits a last line without newline when the source completes', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const source = cold<string>('-a-b-|', { a: '{"x":1}\n{"tr', b: 'uncated"' });
      expectObservable(source.pipe(ndjsonFrames())).toBe('-x---(y|)', {
        x: '{"x":1}',
        y: '{"truncated"',
      });
    });
  });

  it('fails the stream with a "limit" error on an over-long line, and unsubscribes from the source', () => {
    newScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<string>('-a-b-c-|', { a: 'ok\n12', b: '3456789', c: '\n' });
      const framed = source.pipe(
        ndjsonFrames({ maxMessageBytes: 8 }),
        catchError((error: RxMcpError) => of(`error: ${error.kind}`)),
      );
      expectObservable(framed).toBe('-o-(e|)', { o: 'ok', e: 'error: limit' });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  it('names the limit and the size seen in that error', () => {
    let caught: unknown;
    of('123456789')
      .pipe(ndjsonFrames({ maxMessageBytes: 8 }))
      .subscribe({ error: (error: unknown) => (caught = error) });
    expect(caught).toBeInstanceOf(RxMcpError);
    expect((caught as RxMcpError).kind).toBe('limit');
    expect((caught as RxMcpError).message).toContain(
      'after 9 bytes exceeds maxMessageBytes (8 bytes)',
    );
  });

  it('passes a source error on, normalised to an RxMcpError, and drops the partial line', () => {
    const network = new RxMcpError('network', 'connection reset');
    const errors: unknown[] = [];
    const lines: string[] = [];
    const source = new Subject<string>();
    source.pipe(ndjsonFrames()).subscribe({
      next: (line) => lines.push(line),
      error: (error: unknown) => errors.push(error),
    });
    source.next('a\npartial');
    source.error(network);
    expect(lines).toEqual(['a']);
    expect(errors).toEqual([network]);
    expect(errors[0]).toBe(network);

    const foreign: unknown[] = [];
    const other = new Subject<string>();
    other.pipe(ndjsonFrames()).subscribe({ error: (error: unknown) => foreign.push(error) });
    other.error(new Error('boom'));
    expect(foreign[0]).toBeInstanceOf(RxMcpError);
    expect((foreign[0] as RxMcpError).kind).toBe('unknown');
    expect((foreign[0] as RxMcpError).message).toBe('boom');
  });

  it('is cold and lazy, and unsubscribing from it unsubscribes from the source', () => {
    let subscribed = 0;
    let unsubscribed = 0;
    const source = new Observable<string>((subscriber) => {
      subscribed++;
      subscriber.next('a\nb\nc\n');
      return () => unsubscribed++;
    });
    const framed = source.pipe(ndjsonFrames());
    expect(subscribed).toBe(0);
    const lines: string[] = [];
    framed.pipe(take(2)).subscribe((line) => lines.push(line));
    expect(lines).toEqual(['a', 'b']);
    expect([subscribed, unsubscribed]).toEqual([1, 1]);
  });

  it('gives every subscription its own splitter', () => {
    newScheduler().run(({ cold, expectObservable }) => {
      const framed = cold<string>('-a-b-|', { a: '{"x"', b: ':1}\n' }).pipe(ndjsonFrames());
      expectObservable(framed).toBe('---x-|', { x: '{"x":1}' });
      expectObservable(framed).toBe('---x-|', { x: '{"x":1}' });
    });
  });

  it('checks maxMessageBytes when the operator is built', () => {
    expect(() => ndjsonFrames({ maxMessageBytes: 0 })).toThrow(
      new RangeError('ndjsonFrames: maxMessageBytes must be a whole number >= 1 (bytes), got 0.'),
    );
  });
});
