import type { ServerResponse } from 'node:http';

/**
 * Sends the head of an SSE response and flushes it, so that the client sees the stream open
 * before the first event (it may be a while).
 */
export function openSseResponse(res: ServerResponse, sessionId: string | undefined): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // nginx (and proxies that copy it) buffer responses unless told not to; a buffered SSE
    // stream delivers nothing until the buffer fills.
    'x-accel-buffering': 'no',
    ...(sessionId === undefined ? {} : { 'mcp-session-id': sessionId }),
  });
  res.flushHeaders();
}
