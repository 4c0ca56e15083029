import type { Observable } from 'rxjs';
import { httpTransport } from '../transports/http/httpTransport.js';
import type { HttpTransportOptions } from '../transports/http/httpTransport.js';
import { stdioServerTransport } from '../transports/stdio/stdioServerTransport.js';
import type { StdioServerTransportOptions } from '../transports/stdio/stdioServerTransport.js';
import { pipeTransports } from './pipeTransports.js';
import type { PipeTransportsOptions } from './pipeTransports.js';

/** Options of {@link bridgeStdio}. */
export interface BridgeStdioOptions extends HttpTransportOptions {
  /** Where the local client's messages come from and ours go. @default process.stdin / stdout */
  readonly stdio?: Pick<StdioServerTransportOptions, 'stdin' | 'stdout' | 'maxMessageBytes'>;
  /** Limits and the event hook of the pipe. */
  readonly pipe?: Pick<PipeTransportsOptions, 'maxInFlight' | 'bufferCapacity' | 'onEvent'>;
}

/**
 * For clients that only speak stdio: reads JSON-RPC on stdin, talks Streamable HTTP (with
 * the legacy HTTP+SSE fallback) to a remote server, writes its messages to stdout. The remote
 * leg reconnects, resumes streams and re-initializes an expired session by itself.
 *
 * Completes when stdin ends (the remote session is closed with DELETE first); errors when the
 * remote server is gone for good. Nothing but MCP messages is written to stdout.
 *
 * ## Example
 *
 * ```ts
 * import { bridgeStdio } from 'rxmcp/node';
 *
 * bridgeStdio({ url: 'https://mcp.example.com/mcp', headers: { authorization: `Bearer ${token}` } })
 *   .subscribe({ error: (error) => { console.error(error.message); process.exitCode = 1; } });
 * ```
 */
export function bridgeStdio(options: BridgeStdioOptions): Observable<never> {
  const { stdio, pipe, ...http } = options;
  return pipeTransports(stdioServerTransport(stdio), httpTransport(http), pipe);
}
