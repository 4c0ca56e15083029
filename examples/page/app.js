// The demo page: everything shown here comes from Observables of the rxmcp browser build.
// Connection state is a value stream (never an error), tools are a stream of items, and a
// tool call is a stream of progress values followed by its result. A dropped stream is
// resumed with Last-Event-ID and replays are dropped by the transport, so each progress
// value is shown once even when the proxy's listener went away meanwhile.
//
// `?mcp=<url>` points the page at an MCP endpoint of another origin (the server must allow
// it: `rxmcp proxy --cors-origin <this page's origin>`); the default is `/mcp` here.
import { connect, streamableHttpTransport } from '/rxmcp.js';

const $ = (id) => document.getElementById(id);
const log = (text) => {
  const line = `${new Date().toLocaleTimeString()}  ${text}\n`;
  $('log').textContent = line + $('log').textContent;
};

const endpoint = new URL(new URL(location.href).searchParams.get('mcp') ?? '/mcp', location.href);
$('endpoint').textContent = endpoint.href;

let sessionId;
let client;
// Looks at the answers the transport gets, only to show the session: the transport itself
// re-initializes when the server says (404) that it no longer knows the session.
const watchSession = async (url, init) => {
  const response = await fetch(url, init);
  const sent = new window.Headers(init.headers).get('mcp-session-id');
  if (response.status === 404 && sent !== null && sent === sessionId) {
    showSession('lost', `session ${short(sent)} lost (404): re-initializing`);
  }
  const assigned = response.headers.get('mcp-session-id');
  if (assigned !== null && assigned !== sessionId) {
    const renewed = sessionId !== undefined;
    sessionId = assigned;
    showSession(renewed ? 'renewed' : 'open', `${renewed ? 'new ' : ''}session ${short(assigned)}`);
    // A new session may be another server: list its tools again.
    if (renewed && client !== undefined) showTools(client);
  }
  return response;
};
const short = (id) => id.slice(0, 8);
const showSession = (type, text) => {
  $('session').dataset.type = type;
  $('session').textContent = text;
  log(text);
};

const transport = streamableHttpTransport({
  url: endpoint.href,
  fetch: watchSession,
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
  next: (connected) => {
    client = connected;
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
  error: (error) => {
    $('error').textContent = `connection failed: ${error.message}`;
    log($('error').textContent);
  },
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
  $('progress-log').replaceChildren();
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
          // Every progress value as it arrived: a duplicate or a gap would show here.
          const item = document.createElement('li');
          item.dataset.progress = String(event.progress);
          item.textContent = String(event.progress);
          $('progress-log').append(item);
        } else {
          $('result').textContent = event.result.content?.map((c) => c.text).join(' ') ?? '';
          log('countdown finished');
        }
      },
      error: (error) => {
        $('progress-text').textContent = `failed: ${error.message}`;
        log(`countdown failed: ${error.message}`);
        $('call').disabled = false;
      },
      complete: () => {
        $('call').disabled = false;
      },
    });
}
