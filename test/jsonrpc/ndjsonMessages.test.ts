import { lastValueFrom, of, toArray } from 'rxjs';
import type { Observable } from 'rxjs';
import type { Result } from 'ts-results-es';
import { RxMcpError } from '../../src/errors.js';
import { ndjsonMessages } from '../../src/jsonrpc/index.js';
import type { JsonRpcDecodeError } from '../../src/jsonrpc/index.js';

/** A readable summary of each result: the message, or the failure's reason. */
async function summarise<T>(
  results: Observable<Result<T, JsonRpcDecodeError>>,
): Promise<unknown[]> {
  const all = await lastValueFrom(results.pipe(toArray()));
  return all.map((result) => (result.isOk() ? result.value : `Err(${result.error.reason})`));
}

describe('ndjsonMessages', () => {
  it('decodes every line, reporting a bad line as a value and going on', async () => {
    const stream = of(
      new TextEncoder().encode('{"jsonrpc":"2.0","id":1,"method":"ping"}\nserver starting...\n'),
      '{"jsonrpc":"2.0","id":1,"result":{}}\r\n{"jsonrpc":"2.0","id":true,"method":"a"}\n{"jsonrpc":"2.0","method":"n"',
    );
    expect(await summarise(stream.pipe(ndjsonMessages()))).toEqual([
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      'Err(not-json)',
      { jsonrpc: '2.0', id: 1, result: {} },
      'Err(bad-id)',
      // The last line had no newline: it is emitted at completion and happens to be complete.
      'Err(not-json)',
    ]);
  });

  it('refuses batches by default and decodes them with allowBatch', async () => {
    const batch = '[{"jsonrpc":"2.0","method":"a"},{"jsonrpc":"2.0","id":2,"method":"b"}]\n';
    expect(await summarise(of(batch).pipe(ndjsonMessages()))).toEqual(['Err(batch-refused)']);
    expect(await summarise(of(batch).pipe(ndjsonMessages({ allowBatch: true })))).toEqual([
      [
        { jsonrpc: '2.0', method: 'a' },
        { jsonrpc: '2.0', id: 2, method: 'b' },
      ],
    ]);
  });

  it('fails the stream with a "limit" error for an oversized message, after the good ones', () => {
    const long = `{"jsonrpc":"2.0","method":"${'x'.repeat(100)}"}`;
    const seen: unknown[] = [];
    let failure: unknown;
    of('{"jsonrpc":"2.0","method":"a"}\n', `${long}\n`, '{"jsonrpc":"2.0","method":"b"}\n')
      .pipe(ndjsonMessages({ maxMessageBytes: 64 }))
      .subscribe({
        next: (result) => seen.push(result.unwrap()),
        error: (error: unknown) => (failure = error),
      });
    expect(seen).toEqual([{ jsonrpc: '2.0', method: 'a' }]);
    expect(failure).toBeInstanceOf(RxMcpError);
    expect((failure as RxMcpError).kind).toBe('limit');
    expect((failure as RxMcpError).data).toEqual({ maxMessageBytes: 64, seenBytes: long.length });
  });
});
