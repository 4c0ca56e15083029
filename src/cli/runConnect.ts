import { bridgeStdio } from '../proxy/bridgeStdio.js';
import type { Logger } from './logger.js';
import type { ConnectConfig } from './parseArgs.js';
import { onShutdownSignal } from './signals.js';

/**
 * Runs `rxmcp connect`: stdin/stdout to the remote server until stdin ends (exit code 0), a
 * signal (0), or the remote server is gone for good (1). Logs go to stderr only: stdout
 * carries nothing but JSON-RPC.
 */
export function runConnect(config: ConnectConfig, log: Logger): Promise<number> {
  return new Promise<number>((resolve) => {
    log.info('connecting', { url: config.url, fallback: config.fallback });
    const bridge = bridgeStdio({
      url: config.url,
      headers: config.headers,
      fallback: config.fallback ? 'legacy' : 'none',
      // Some servers (the reference one after a restart) answer an unknown session with 400.
      sessionExpiredStatuses: [404, 400],
      pipe: {
        onEvent: (event) =>
          log.warn('message not delivered', {
            direction: event.direction,
            method: 'method' in event.message ? event.message.method : undefined,
            ...(event.type === 'send-failed' ? { error: event.error.message } : {}),
          }),
      },
    }).subscribe({
      error: (error: Error) => {
        log.error('connection failed', { error: error.message });
        stopSignals();
        resolve(1);
      },
      complete: () => {
        log.info('stdin closed: done');
        stopSignals();
        resolve(0);
      },
    });
    const stopSignals = onShutdownSignal((signal) => {
      log.info('stopping', { signal });
      stopSignals();
      bridge.unsubscribe();
      resolve(0);
    });
  });
}
