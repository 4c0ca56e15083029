import { createValve } from '../../operators/valve.js';
import { stdioTransport } from '../transports/stdio/stdioTransport.js';
import type { StdioTransport } from '../transports/stdio/stdioTransport.js';
import type { StdioTransportOptions } from '../transports/stdio/stdioTransportOptions.js';
import { createProxyServer } from './createProxyServer.js';
import type { McpProxy, ProxyServerOptions } from './createProxyServer.js';

/** Options of {@link proxyStdio}: the server's, plus how to start the child. */
export interface ProxyStdioOptions extends ProxyServerOptions {
  /** The stdio server to run for each session: command, args, env, cwd and limits. */
  readonly server: Omit<StdioTransportOptions, 'valve' | 'protocolVersion'>;
  /** Called with each child's transport, e.g. to forward its stderr to a log. @default none */
  readonly onChild?: (child: StdioTransport, sessionId: string) => void;
}

/**
 * Serves a stdio MCP server over Streamable HTTP, **one child process per session**: no
 * state is shared between clients. The child is started when its session's `initialize`
 * arrives and its whole process tree is ended when the session ends (DELETE, idle expiry,
 * shutdown) or the pipe fails; a child that exits ends its session (the client then gets 404
 * and re-initializes, starting a new child).
 *
 * Backpressure runs end to end: the child's stdout is read through a valve that closes while
 * the client's SSE connection is backed up, so a burst waits in the child, not in the proxy.
 *
 * ```text
 * client ──POST initialize──> session ──spawn──> child (stdin/stdout)
 *        <──SSE result──────          <──────── result
 * DELETE / idle / close() ──> session ends ──> stdin.end, SIGTERM, SIGKILL (whole group)
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { proxyStdio } from 'rxmcp/node';
 *
 * const proxy = proxyStdio({ port: 8787, server: { command: 'node', args: ['server.js'] } });
 * proxy.listen().subscribe(({ url }) => console.error(`serving on ${url}`));
 * process.on('SIGTERM', () => proxy.close().subscribe());
 * ```
 */
export function proxyStdio(options: ProxyStdioOptions): McpProxy {
  const { server, onChild, ...serverOptions } = options;
  return createProxyServer(serverOptions, (session) => {
    const valve = createValve();
    const child = stdioTransport({ ...server, valve, protocolVersion: session.protocolVersion });
    onChild?.(child, session.id);
    return { transport: child, valve };
  });
}
