import type { JsonRpcMessage } from '../../../src/jsonrpc/types';

/** An SSE response being read: its messages one at a time, as they arrive. */
export interface SseStream {
  readonly status: number;
  /** The next JSON-RPC message of the stream (priming and keep-alive events are skipped). */
  next(): Promise<JsonRpcMessage>;
  /** Aborts the request. */
  close(): void;
}

/** Opens a POST (with `message`) or a GET SSE stream of `session` and reads it as it comes. */
export async function openSseStream(
  url: string,
  session: string,
  message?: JsonRpcMessage,
): Promise<SseStream> {
  const abort = new AbortController();
  const res = await fetch(url, {
    method: message === undefined ? 'GET' : 'POST',
    headers: {
      accept: message === undefined ? 'text/event-stream' : 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
      'mcp-session-id': session,
      ...(message === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(message === undefined ? {} : { body: JSON.stringify(message) }),
    signal: abort.signal,
  });
  const arrived: JsonRpcMessage[] = [];
  const waiting: Array<(message: JsonRpcMessage) => void> = [];
  let failure: Error | undefined;
  const failWaiting = (error: Error): void => {
    failure = error;
    for (const reject of waiting.splice(0)) reject(undefined as never);
  };
  void (async () => {
    const decoder = new TextDecoder();
    let text = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        text += decoder.decode(chunk, { stream: true });
        const lines = text.split('\n');
        text = lines.pop() ?? '';
        for (const line of lines) {
          if (!line.startsWith('data: ') || line.length === 6) continue;
          const parsed = JSON.parse(line.slice(6)) as JsonRpcMessage;
          const waiter = waiting.shift();
          if (waiter === undefined) arrived.push(parsed);
          else waiter(parsed);
        }
      }
      failWaiting(new Error('the stream ended'));
    } catch (error) {
      failWaiting(error as Error);
    }
  })();
  return {
    status: res.status,
    next: () =>
      new Promise((resolve, reject) => {
        const ready = arrived.shift();
        if (ready !== undefined) resolve(ready);
        else if (failure !== undefined) reject(failure);
        else
          waiting.push((value) =>
            value === undefined ? reject(failure ?? new Error('the stream ended')) : resolve(value),
          );
      }),
    close: () => abort.abort(),
  };
}
