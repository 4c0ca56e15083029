// A deliberately unreliable SSE server for the demo: it drops the connection every few
// events (sometimes in the middle of an event), replays a couple of already-sent events after
// each reconnect (as at-least-once servers do), and asks clients to reconnect after `retry:`.
// It honours `Last-Event-ID`, so a client that resumes gets every event.
import { createServer } from 'node:http';

/**
 * @param {{ total?: number, intervalMs?: number, retryMs?: number, replay?: number, random?: () => number }} [options]
 */
export function startFlakyServer(options = {}) {
  const { total = 120, intervalMs = 15, retryMs = 250, replay = 2, random = Math.random } = options;
  const stats = { connections: 0, drops: 0, replayed: 0 };
  const timers = new Set();

  const server = createServer((req, res) => {
    stats.connections++;
    const last = Number(req.headers['last-event-id'] ?? -1);
    let next = Number.isFinite(last) ? Math.max(0, last + 1 - replay) : 0;
    if (last >= 0) stats.replayed += Math.min(replay, last + 1);
    const dropAfter = 8 + Math.floor(random() * 20);
    let sent = 0;

    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    res.write(`retry: ${retryMs}\n\n`);

    const tick = () => {
      timers.delete(timer);
      if (next >= total) {
        res.end();
        return;
      }
      const event = `id: ${next}\ndata: ${JSON.stringify({ n: next, at: new Date().toISOString() })}\n\n`;
      if (sent === dropAfter) {
        stats.drops++;
        // Half of the drops cut an event in two: the client must discard the fragment.
        res.write(random() < 0.5 ? event.slice(0, event.length >> 1) : '');
        res.destroy();
        return;
      }
      res.write(event);
      next++;
      sent++;
      timer = setTimeout(tick, intervalMs);
      timers.add(timer);
    };
    let timer = setTimeout(tick, intervalMs);
    timers.add(timer);
    res.on('close', () => {
      clearTimeout(timer);
      timers.delete(timer);
    });
  });

  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}/events`,
        stats,
        close: () =>
          new Promise((done) => {
            for (const t of timers) clearTimeout(t);
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
