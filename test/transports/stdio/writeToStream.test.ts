import { PassThrough, Writable } from 'node:stream';
import { Subject, lastValueFrom, of } from 'rxjs';
import { RxMcpError } from '../../../src/errors.js';
import { writeToStream } from '../../../src/transports/stdio/writeToStream.js';

const write = (...args: Parameters<typeof writeToStream>) =>
  lastValueFrom(writeToStream(...args), { defaultValue: undefined });

describe('writeToStream', () => {
  it('writes nothing before subscription, and completes once written', async () => {
    const stream = new PassThrough();
    const chunks: string[] = [];
    stream.setEncoding('utf8').on('data', (chunk: string) => chunks.push(chunk));
    const writing = writeToStream(stream, 'a\n');
    expect(chunks).toEqual([]);
    await lastValueFrom(writing, { defaultValue: undefined });
    expect(chunks).toEqual(['a\n']);
  });

  it('fails with closed on a stream that is not writable', async () => {
    const stream = new PassThrough();
    stream.end();
    await expect(write(stream, 'x', { name: 'the pipe' })).rejects.toMatchObject({
      kind: 'closed',
      message: expect.stringMatching(/Cannot write to the pipe: it is already closed/),
    });
  });

  it('fails with limit when too much is already waiting', async () => {
    const stream = new PassThrough({ highWaterMark: 4 });
    void write(stream, 'x'.repeat(100)).catch(() => undefined);
    await expect(write(stream, 'y', { maxPendingBytes: 64 })).rejects.toMatchObject({
      kind: 'limit',
      data: { maxPendingBytes: 64 },
    });
    stream.destroy();
  });

  it('fails with closed when the write fails', async () => {
    const stream = new Writable({
      write: (_chunk, _encoding, callback) => callback(new Error('write EPIPE')),
    });
    stream.on('error', () => undefined);
    const error = await write(stream, 'x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RxMcpError);
    expect(error).toMatchObject({ kind: 'closed', message: expect.stringMatching(/EPIPE/) });
  });

  it('fails at once when abort$ fires, and at once when it already has', async () => {
    // A write that never finishes: the reader went away but nobody says so.
    const stream = new Writable({ highWaterMark: 1, write: () => undefined });
    const abort$ = new Subject<RxMcpError>();
    const writing = write(stream, 'x', { abort$ });
    abort$.next(new RxMcpError('closed', 'the reader exited'));
    await expect(writing).rejects.toThrow('the reader exited');

    const untouched = new PassThrough();
    const chunks: unknown[] = [];
    untouched.on('data', (chunk) => chunks.push(chunk));
    await expect(
      write(untouched, 'x', { abort$: of(new RxMcpError('closed', 'exited long ago')) }),
    ).rejects.toThrow('exited long ago');
    expect(untouched.writableLength).toBe(0);
    expect(chunks).toEqual([]);
  });
});
