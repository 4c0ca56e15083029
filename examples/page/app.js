// The demo page: everything shown here comes from Observables of the rxmcp browser build.
// Connection state is a value stream (never an error), tools are a stream of items, and a
// tool call is a stream of progress values followed by its result.
import { connect, streamableHttpTransport } from '/rxmcp.js';

const $ = (id) => document.getElementById(id);
const log = (text) => {
  const line = `${new Date().toLocaleTimeString()}  ${text}\n`;
  $('log').textContent = line + $('log').textContent;
};

const transport = streamableHttpTransport({
  url: new URL('/mcp', location.href).href,
  retry: { initialDelayMs: 250, maxDelayMs: 2000, maxRetries: 50 },
});

transport.state$.subscribe((state) => {
  $('state').dataset.type = state.type;
  $('state').textContent = state.type;
  $('state-detail').textContent =
    state.type === 'reconnecting'
      ? `in ${state.delayMs} ms (attempt ${state.attempt}): ${state.reason.message}`
      : state.type === 'closed' && state.reason
        ? state.reason.message
        : '';
  log(`state: ${state.type}`);
});

connect(transport, { clientInfo: { name: 'rxmcp-demo-page', version: '1.0.0' } }).subscribe({
  next: (client) => {
    $('server').textContent =
      `${client.serverInfo.name} ${client.serverInfo.version}, protocol ${client.protocolVersion}`;
    // Progress is shown by the call it belongs to; everything else the server says goes here.
    client.notifications$.subscribe((n) => {
      if (n.method !== 'notifications/progress') {
        log(`notification ${n.method} ${JSON.stringify(n.params ?? {})}`);
      }
    });
    showTools(client);
    $('call').disabled = false;
    $('call').onclick = () => callCountdown(client);
  },
  error: (error) => log(`connection failed: ${error.message}`),
});

function showTools(client) {
  const items = [];
  client.listTools().subscribe({
    next: (tool) => items.push(tool),
    error: (error) => log(`tools/list failed: ${error.message}`),
    complete: () => {
      $('tools').innerHTML = '';
      for (const tool of items) {
        const li = document.createElement('li');
        li.innerHTML = `<code></code> <span class="muted"></span>`;
        li.querySelector('code').textContent = tool.name;
        li.querySelector('span').textContent = tool.description ?? '';
        $('tools').append(li);
      }
      log(`${items.length} tools listed`);
    },
  });
}

function callCountdown(client) {
  $('call').disabled = true;
  $('result').textContent = '';
  $('progress').value = 0;
  $('progress-text').textContent = 'calling…';
  client
    .request(
      'tools/call',
      { name: 'countdown', arguments: { from: 8, intervalMs: 700 } },
      { resetTimeoutOnProgress: true },
    )
    .subscribe({
      next: (event) => {
        if (event.type === 'progress') {
          $('progress').max = event.total ?? 1;
          $('progress').value = event.progress;
          $('progress-text').textContent =
            `${event.progress} / ${event.total ?? '?'} ${event.message ?? ''}`;
        } else {
          $('result').textContent = event.result.content?.map((c) => c.text).join(' ') ?? '';
          log('countdown finished');
        }
      },
      error: (error) => {
        $('progress-text').textContent = `failed: ${error.message}`;
        $('call').disabled = false;
      },
      complete: () => {
        $('call').disabled = false;
      },
    });
}
