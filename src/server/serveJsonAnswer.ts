import type { ServerResponse } from 'node:http';
import { Subscription, timer } from 'rxjs';
import type { SchedulerLike } from 'rxjs';
import { refusal, sendRefusal } from './HttpRefusal.js';
import type { LogicalStream } from './LogicalStream.js';

/**
 * Makes `stream` the JSON answer of a POSTed request (`responseMode: 'json'`): the response,
 * when the application sends it, becomes the body. If the session ends first, the client
 * gets 404 (the session is gone, as for any later request). `onEnd` runs once when the HTTP
 * exchange is over, however it ended.
 *
 * Returns a function that lets go of `res` without answering (`onEnd` will not run): for an
 * answer that turns into an SSE stream (`responseMode: 'auto'`).
 *
 * ```text
 * session.send(response)   ──> 200 application/json {response}
 * session ends first       ──> 404
 * client goes away         ──> onEnd; the response, when sent, is written nowhere
 * ```
 */
export function serveJsonAnswer(
  stream: LogicalStream,
  res: ServerResponse,
  sessionId: string,
  onEnd: () => void,
): () => void {
  const done = (): void => {
    res.off('close', done);
    onEnd();
  };
  res.on('close', done);
  stream.abandon = () =>
    sendRefusal(res, refusal(404, `Session ${sessionId} ended before the answer.`));
  stream.answer = (message) => {
    if (res.writableEnded || res.destroyed) return;
    const body = JSON.stringify(message);
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'mcp-session-id': sessionId,
    });
    res.end(body);
  };
  return () => {
    res.off('close', done);
    stream.answer = undefined;
    stream.abandon = undefined;
  };
}

/**
 * `responseMode: 'auto'`: makes `stream` a JSON answer (see {@link serveJsonAnswer}) that
 * turns into an SSE stream (`openSse`, which takes over `res`) when anything but the
 * response comes first (the session calls `stream.upgrade()`) or when `autoJsonWindowMs`
 * passes. Nothing is written to `res` until one or the other happens. `onJsonEnd` runs once
 * when the exchange ends as a JSON answer (answered, the session ended, the client left).
 *
 * ```text
 * response first, in the window    ──> 200 application/json {response}
 * progress first                   ──> upgrade: 200 text/event-stream, progress, ..., response
 * window over                      ──> upgrade: 200 text/event-stream (priming), ..., response
 * ```
 *
 * [spec 2025-11-25 transports] If the input is a JSON-RPC request, the server MUST either
 * return Content-Type: text/event-stream, to initiate an SSE stream, or Content-Type:
 * application/json, to return one JSON object. The client MUST support both these cases.
 */
export function serveAutoAnswer(
  stream: LogicalStream,
  res: ServerResponse,
  sessionId: string,
  options: { readonly autoJsonWindowMs: number; readonly scheduler: SchedulerLike },
  onJsonEnd: () => void,
  openSse: () => void,
): void {
  // Ends when the choice is made or the exchange is over.
  const deciding = new Subscription();
  const letGo = serveJsonAnswer(stream, res, sessionId, () => {
    deciding.unsubscribe();
    stream.upgrade = undefined;
    onJsonEnd();
  });
  const { answer, abandon } = stream;
  stream.answer = (message) => {
    deciding.unsubscribe();
    answer?.(message);
  };
  stream.abandon = () => {
    deciding.unsubscribe();
    abandon?.();
  };
  stream.upgrade = () => {
    deciding.unsubscribe();
    stream.upgrade = undefined;
    letGo();
    openSse();
  };
  deciding.add(
    timer(options.autoJsonWindowMs, options.scheduler).subscribe(() => stream.upgrade?.()),
  );
}
