import { lastValueFrom } from 'rxjs';
import { join } from 'node:path';
import type {
  McpProxy,
  ProxyEvent,
  ProxyServerOptions,
  StaticFile,
} from '../proxy/createProxyServer.js';
import { proxyStdio } from '../proxy/proxyStdio.js';
import { proxyUpstream } from '../proxy/proxyUpstream.js';
import type { Logger } from './logger.js';
import type { ProxyConfig } from './parseArgs.js';
import { onShutdownSignal } from './signals.js';

/** How long a graceful shutdown may take before what is left is destroyed and killed. */
const SHUTDOWN_TIMEOUT_MS = 4000;

/**
 * Runs `rxmcp proxy` until SIGINT/SIGTERM (exit code 0) or a failure to listen (1).
 */
export async function runProxy(
  config: ProxyConfig,
  log: Logger,
  packageRoot?: string,
): Promise<number> {
  const serverOptions: ProxyServerOptions = {
    host: config.host,
    port: config.port,
    path: config.path,
    sessionIdleTimeoutMs: config.sessionTimeoutMs,
    maxSessions: config.maxSessions,
    shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS,
    ...(config.bearerToken === undefined ? {} : { bearerToken: config.bearerToken }),
    ...(config.allowedHosts === undefined ? {} : { allowedHosts: config.allowedHosts }),
    ...(config.allowedOrigins === undefined ? {} : { allowedOrigins: config.allowedOrigins }),
    ...(config.corsOrigins === undefined ? {} : { cors: { origins: config.corsOrigins } }),
    ...(config.responseMode === undefined ? {} : { responseMode: config.responseMode }),
    onEvent: (event) => logEvent(log, event),
    ...(config.page && packageRoot !== undefined ? { staticFiles: pageFiles(packageRoot) } : {}),
  };
  const proxy: McpProxy =
    config.upstream !== undefined
      ? proxyUpstream({
          ...serverOptions,
          upstream: { url: config.upstream, headers: config.headers },
        })
      : proxyStdio({
          ...serverOptions,
          server: {
            command: config.command ?? '',
            args: config.args,
            env: config.env,
            inheritEnv: config.inheritEnv,
            ...(config.cwd === undefined ? {} : { cwd: config.cwd }),
          },
          onChild: (child, sessionId) => {
            child.stderr$.subscribe((line) =>
              log.debug('child stderr', { session: short(sessionId), line }),
            );
            child.exit$.subscribe(({ pid, code, signal }) =>
              log.info('child exited', { session: short(sessionId), pid, code, signal }),
            );
          },
        });

  return new Promise<number>((resolve) => {
    let stopping = false;
    const serving = proxy.listen().subscribe({
      next: ({ url }) => {
        const origin = url.slice(0, url.length - config.path.length);
        log.info('proxy listening', {
          url,
          health: `${origin}/healthz`,
          target: config.upstream ?? [config.command, ...config.args].join(' '),
          ...(config.page ? { page: `${origin}/` } : {}),
        });
        // A first request to try, for people who start here (logs stay on stderr).
        log.info(`try: ${tryCommand(url)}`);
      },
      error: (error: Error) => {
        log.error(error.message);
        stopSignals();
        resolve(1);
      },
    });
    const stopSignals = onShutdownSignal((signal, count) => {
      if (count > 1) {
        log.warn('second signal: stopping at once', { signal });
        serving.unsubscribe();
        resolve(1);
        return;
      }
      if (stopping) return;
      stopping = true;
      log.info('shutting down', { signal });
      lastValueFrom(proxy.close({ timeoutMs: SHUTDOWN_TIMEOUT_MS }), {
        defaultValue: undefined,
      }).then(
        () => {
          serving.unsubscribe();
          stopSignals();
          log.info('stopped');
          resolve(0);
        },
        (error: Error) => {
          log.error('shutdown failed', { error: error.message });
          serving.unsubscribe();
          stopSignals();
          resolve(1);
        },
      );
    });
  });
}

function logEvent(log: Logger, event: ProxyEvent): void {
  const session = short(event.sessionId);
  switch (event.type) {
    case 'session-opened':
      log.info('session opened', { session, protocolVersion: event.protocolVersion });
      return;
    case 'session-closed':
      if (event.error === undefined) log.info('session closed', { session });
      else log.warn('session ended by a failure', { session, error: event.error.message });
      return;
    case 'send-failed':
      log.warn('message not delivered', {
        session,
        direction: event.direction,
        method: 'method' in event.message ? event.message.method : undefined,
        error: event.error.message,
      });
      return;
    case 'refused':
      log.warn('request refused: too many in flight', { session, direction: event.direction });
  }
}

/** The first characters of a session id: enough to follow a session in the log. */
function short(sessionId: string): string {
  return sessionId.slice(0, 8);
}

/** The demo page and the browser build it loads, served by `--page`. */
function pageFiles(packageRoot: string): Record<string, StaticFile> {
  const page = (name: string, contentType: string): StaticFile => ({
    file: join(packageRoot, 'examples', 'page', name),
    contentType,
  });
  const index = page('index.html', 'text/html; charset=utf-8');
  return {
    '/': index,
    '/index.html': index,
    '/app.js': page('app.js', 'text/javascript; charset=utf-8'),
    '/rxmcp.js': {
      file: join(packageRoot, 'dist', 'browser', 'rxmcp.js'),
      contentType: 'text/javascript; charset=utf-8',
    },
  };
}

/** A one-line `curl` that initializes a session at `url`, to show the proxy answering. */
function tryCommand(url: string): string {
  const initialize = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'curl', version: '1' },
    },
  });
  return (
    `curl -sN ${url} -H 'content-type: application/json' ` +
    `-H 'accept: application/json, text/event-stream' -d '${initialize}'`
  );
}
