import { httpTransport } from '../transports/http/httpTransport.js';
import type { HttpTransportOptions } from '../transports/http/httpTransport.js';
import { createProxyServer } from './createProxyServer.js';
import type { McpProxy, ProxyServerOptions } from './createProxyServer.js';

/** Options of {@link proxyUpstream}: the server's, plus the remote server to reach. */
export interface ProxyUpstreamOptions extends ProxyServerOptions {
  /** The remote MCP server: `url`, `headers`, retry and fallback settings of `httpTransport`. */
  readonly upstream: HttpTransportOptions;
}

/**
 * A reverse proxy from Streamable HTTP to a remote Streamable HTTP (or legacy HTTP+SSE)
 * server: each client session gets its own upstream session through `httpTransport`, which
 * adds reconnection, resumption and re-initialization after a 404, while this side adds the
 * server protections (Host/Origin allow-lists, bearer token, limits, graceful shutdown).
 *
 * The client's `initialize` goes upstream unchanged, so the protocol version the client asks
 * for is the one asked upstream, and the upstream's answer comes back unchanged: the client
 * decides whether it accepts it. Nothing is rewritten (no silent downgrade).
 *
 * ## Example
 *
 * ```ts
 * import { proxyUpstream } from 'rxmcp/node';
 *
 * const proxy = proxyUpstream({ port: 8787, upstream: { url: 'https://mcp.example.com/mcp' } });
 * proxy.listen().subscribe(({ url }) => console.error(`serving on ${url}`));
 * ```
 */
export function proxyUpstream(options: ProxyUpstreamOptions): McpProxy {
  const { upstream, ...serverOptions } = options;
  return createProxyServer(serverOptions, () => ({ transport: httpTransport(upstream) }));
}
