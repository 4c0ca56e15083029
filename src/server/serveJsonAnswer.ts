import type { ServerResponse } from 'node:http';
import { refusal, sendRefusal } from './HttpRefusal.js';
import type { LogicalStream } from './LogicalStream.js';

/**
 * Makes `stream` the JSON answer of a POSTed request (`responseMode: 'json'`): the response,
 * when the application sends it, becomes the body. If the session ends first, the client
 * gets 404 (the session is gone, as for any later request). `onEnd` runs once when the HTTP
 * exchange is over, however it ended.
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
): void {
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
}
