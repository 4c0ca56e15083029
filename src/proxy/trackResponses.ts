import type { IncomingMessage, ServerResponse } from 'node:http';
import { EMPTY, forkJoin, fromEvent, ignoreElements, merge, take } from 'rxjs';
import type { Observable } from 'rxjs';

/** The HTTP responses open per MCP session, to see whether its client keeps up. */
export interface ResponseTracker {
  /** Wraps a request handler, remembering each response under its `MCP-Session-Id`. */
  wrap(
    handle: (req: IncomingMessage, res: ServerResponse) => void,
  ): (req: IncomingMessage, res: ServerResponse) => void;
  /**
   * Completes once no response of the session has bytes waiting for the socket beyond its
   * high-water mark (at once when none has): on `'drain'` or `'close'`, never by polling.
   */
  drained(sessionId: string): Observable<never>;
}

/**
 * Creates a {@link ResponseTracker}. The server transport's `send` completes when an event is
 * queued, not when the client read it; this is what lets the proxy pause a child's stdout
 * while the client's SSE connection is backed up, so that a burst waits in the pipes and in
 * the child instead of in the proxy's memory. Bounded by the open responses (`maxStreams`).
 */
export function createResponseTracker(): ResponseTracker {
  const bySession = new Map<string, Set<ServerResponse>>();
  return {
    wrap: (handle) => (req, res) => {
      const header = req.headers['mcp-session-id'];
      if (typeof header === 'string') {
        const open = bySession.get(header) ?? new Set<ServerResponse>();
        bySession.set(header, open);
        open.add(res);
        res.once('close', () => {
          open.delete(res);
          if (open.size === 0 && bySession.get(header) === open) bySession.delete(header);
        });
      }
      handle(req, res);
    },
    drained(sessionId) {
      const backedUp = [...(bySession.get(sessionId) ?? [])].filter(
        (res) => res.writableNeedDrain && !res.destroyed,
      );
      if (backedUp.length === 0) return EMPTY;
      return forkJoin(
        backedUp.map((res) =>
          merge(fromEvent(res, 'drain'), fromEvent(res, 'close')).pipe(take(1)),
        ),
      ).pipe(ignoreElements());
    },
  };
}
