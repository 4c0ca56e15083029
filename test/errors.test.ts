import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TimeoutError } from 'rxjs';
import { RxMcpError, isRetryableByDefault } from '../src/errors';

describe('isRetryableByDefault', () => {
  it.each([
    ['network', undefined, true],
    ['timeout', undefined, true],
    ['http', 500, true],
    ['http', 503, true],
    ['http', 429, true],
    ['http', 408, true],
    ['http', 400, false],
    ['http', 401, false],
    ['http', 404, false],
    ['http', undefined, false],
    ['parse', undefined, false],
    ['protocol', undefined, false],
    ['limit', undefined, false],
    ['closed', undefined, false],
    ['aborted', undefined, false],
    ['rpc', undefined, false],
  ] as const)('%s %s -> %s', (kind, status, expected) => {
    expect(isRetryableByDefault(kind, status)).toBe(expected);
  });
});

describe('RxMcpError', () => {
  it('carries kind, status, hint, code, data and cause', () => {
    const cause = new Error('socket hang up');
    const error = new RxMcpError('http', 'Service unavailable', {
      status: 503,
      retryAfterMs: 2000,
      code: 7,
      data: { a: 1 },
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('RxMcpError');
    expect(error.kind).toBe('http');
    expect(error.retryable).toBe(true);
    expect(error.status).toBe(503);
    expect(error.retryAfterMs).toBe(2000);
    expect(error.code).toBe(7);
    expect(error.data).toEqual({ a: 1 });
    expect(error.cause).toBe(cause);
  });

  it('lets an explicit retryable flag override the default', () => {
    expect(new RxMcpError('http', 'x', { status: 503, retryable: false }).retryable).toBe(false);
    expect(new RxMcpError('parse', 'x', { retryable: true }).retryable).toBe(true);
  });

  it('omits absent optional fields', () => {
    const error = new RxMcpError('closed', 'gone');
    expect('status' in error).toBe(false);
    expect('retryAfterMs' in error).toBe(false);
    expect(error.cause).toBeUndefined();
  });

  describe('is', () => {
    it('recognises its own instances and structurally equal errors from another copy', () => {
      expect(RxMcpError.is(new RxMcpError('limit', 'x'))).toBe(true);
      const foreign = Object.assign(new Error('x'), { kind: 'network', retryable: true });
      expect(RxMcpError.is(foreign)).toBe(true);
      expect(RxMcpError.is(new Error('x'))).toBe(false);
      expect(RxMcpError.is({ kind: 'network', retryable: true })).toBe(false);
    });
  });

  describe('from', () => {
    it('returns an RxMcpError unchanged', () => {
      const error = new RxMcpError('timeout', 'x');
      expect(RxMcpError.from(error)).toBe(error);
    });

    it('keeps kind, retryable and retryAfterMs of a structurally tagged error', () => {
      const overflow = Object.assign(new Error('buffer full'), {
        kind: 'limit',
        retryable: false,
        retryAfterMs: 5,
      });
      const error = RxMcpError.from(overflow);
      expect(error.kind).toBe('limit');
      expect(error.retryable).toBe(false);
      expect(error.retryAfterMs).toBe(5);
      expect(error.cause).toBe(overflow);
    });

    it('maps an unknown tag to kind unknown', () => {
      const odd = Object.assign(new Error('x'), { kind: 'weird', retryable: true });
      expect(RxMcpError.from(odd).kind).toBe('unknown');
      expect(RxMcpError.from(odd).retryable).toBe(true);
    });

    it('maps AbortError to aborted', () => {
      const abort = new Error('This operation was aborted');
      abort.name = 'AbortError';
      expect(RxMcpError.from(abort).kind).toBe('aborted');
      expect(RxMcpError.from(new DOMException('stop', 'AbortError')).kind).toBe('aborted');
    });

    it('maps rxjs TimeoutError to a retryable timeout', () => {
      const error = RxMcpError.from(new TimeoutError());
      expect(error.kind).toBe('timeout');
      expect(error.retryable).toBe(true);
    });

    it('maps SyntaxError to parse', () => {
      let thrown: unknown;
      try {
        JSON.parse('{nope');
      } catch (error) {
        thrown = error;
      }
      const error = RxMcpError.from(thrown);
      expect(error.kind).toBe('parse');
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/Could not parse/);
    });

    it('maps a real fetch failure to a retryable network error that names the cause', async () => {
      // A port that was just listening and is now closed: the connect is refused.
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      let thrown: unknown;
      try {
        await fetch(`http://127.0.0.1:${port}/`);
      } catch (error) {
        thrown = error;
      }
      const error = RxMcpError.from(thrown);
      expect(error.kind).toBe('network');
      expect(error.retryable).toBe(true);
      expect(error.message).toMatch(/ECONNREFUSED/);
    });

    it('leaves a TypeError that is a bug as unknown', () => {
      const error = RxMcpError.from(new TypeError('x is not a function'));
      expect(error.kind).toBe('unknown');
      expect(error.retryable).toBe(false);
    });

    it('describes non-Error values', () => {
      expect(RxMcpError.from('boom').message).toMatch(/boom/);
      expect(RxMcpError.from({ a: 1 }).message).toMatch(/\{"a":1\}/);
      expect(RxMcpError.from(undefined).message).toMatch(/undefined/);
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      expect(RxMcpError.from(circular).kind).toBe('unknown');
    });
  });
});
