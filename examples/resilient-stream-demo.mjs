// `npm start`: reads a deliberately flaky SSE server through rxmcp's `eventStream` and shows
// that every event arrives once, in order, although the server keeps dropping the connection
// (sometimes mid-event) and replays events after each reconnect.
//
// Until the `rxmcp proxy` command lands, this is the project's runnable demo.
import { eventStream } from 'rxmcp';
import { startFlakyServer } from './support/flaky-sse-server.mjs';

const total = Number(process.env.DEMO_EVENTS ?? 120);
const server = await startFlakyServer({ total });
console.log(`rxmcp demo: reading ${total} events from a flaky SSE server at ${server.url}\n`);

const { events$, state$ } = eventStream(
  { url: server.url },
  {
    retry: { initialDelayMs: 100, maxRetries: 20 },
    idleTimeoutMs: 5_000,
  },
);

const describe = (state) => {
  switch (state.type) {
    case 'reconnecting':
      return `reconnecting in ${state.delayMs} ms (attempt ${state.attempt}): ${state.reason.message}`;
    case 'connecting':
      return state.attempt === 0 ? 'connecting' : `connecting (attempt ${state.attempt})`;
    case 'closed':
      return state.reason ? `closed: ${state.reason.message}` : 'closed';
    default:
      return state.type;
  }
};
const stateSubscription = state$.subscribe((state) => console.log(`  [state] ${describe(state)}`));

const seen = [];
let reconnects = 0;
state$.subscribe((state) => {
  if (state.type === 'reconnecting') reconnects++;
});

events$.subscribe({
  next: (event) => {
    seen.push(Number(event.id));
    if (seen.length % 20 === 0)
      console.log(`  received ${seen.length} events (last id ${event.id})`);
  },
  error: async (error) => {
    console.error(`\nThe stream failed: ${error.message}`);
    await finish(1);
  },
  complete: async () => {
    const inOrder = seen.every((id, i) => id === i);
    const ok = seen.length === total && inOrder;
    console.log(
      `\n${ok ? 'Done' : 'MISMATCH'}: ${seen.length} of ${total} events, ${inOrder ? 'in order' : 'OUT OF ORDER'}, ` +
        `${new Set(seen).size === seen.length ? 'none twice' : 'SOME TWICE'}.`,
    );
    console.log(
      `The server dropped the connection ${server.stats.drops} times and replayed ` +
        `${server.stats.replayed} events; rxmcp reconnected ${reconnects} times, resumed with ` +
        `Last-Event-ID and dropped the replays.`,
    );
    await finish(ok ? 0 : 1);
  },
});

async function finish(code) {
  stateSubscription.unsubscribe();
  await server.close();
  process.exitCode = code;
}
