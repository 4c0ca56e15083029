import { RxMcpError } from '../../src/errors';
import { checkResponse } from '../../src/sse/checkResponse';

const url = 'http://127.0.0.1/events';
const response = (status: number, headers: Record<string, string> = {}): Response =>
  new Response(status === 204 ? null : 'body', { status, headers });

describe('checkResponse', () => {
  it('accepts a 2xx text/event-stream, with or without parameters', () => {
    for (const type of [
      'text/event-stream',
      'Text/Event-Stream; charset=utf-8',
      ' text/event-stream ;x=1',
    ]) {
      expect(checkResponse(response(200, { 'content-type': type }), url, 0).unwrap()).toBe(
        'stream',
      );
    }
  });

  it('reads 204 as done', () => {
    expect(checkResponse(response(204), url, 0).unwrap()).toBe('done');
  });

  it('rejects another content type with a non-retryable protocol error', () => {
    for (const headers of [{ 'content-type': 'application/json' }, {}] as Record<
      string,
      string
    >[]) {
      const error = checkResponse(response(200, headers), url, 0).expectErr('should fail');
      expect(error).toBeInstanceOf(RxMcpError);
      expect(error).toMatchObject({ kind: 'protocol', retryable: false });
      expect(error.message).toMatch(/expected "text\/event-stream"/);
    }
  });

  it.each([
    [500, true],
    [503, true],
    [429, true],
    [408, true],
    [401, false],
    [403, false],
    [404, false],
    [400, false],
  ])('turns %i into an http error, retryable: %s', (status, retryable) => {
    const error = checkResponse(response(status), url, 0).expectErr('should fail');
    expect(error).toMatchObject({ kind: 'http', status, retryable });
    expect(error.message).toContain(`${url} answered ${status}`);
    expect(error.retryAfterMs).toBeUndefined();
  });

  it('carries Retry-After as retryAfterMs, in seconds or as an HTTP-date', () => {
    const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
    expect(
      checkResponse(response(429, { 'retry-after': '1' }), url, now).expectErr(''),
    ).toMatchObject({
      retryAfterMs: 1000,
    });
    const dated = response(503, { 'retry-after': 'Wed, 21 Oct 2026 07:28:03 GMT' });
    expect(checkResponse(dated, url, now).expectErr('').retryAfterMs).toBe(3000);
    expect(
      checkResponse(response(503, { 'retry-after': 'never' }), url, now).expectErr('').retryAfterMs,
    ).toBeUndefined();
  });
});
