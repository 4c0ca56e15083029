/**
 * `rxmcp/node`: everything in `rxmcp`, plus the parts that need Node (the stdio transport, the
 * Streamable HTTP server transport and the proxy arrive here in their own issues).
 *
 * @packageDocumentation
 */
export * from './index.js';
export * from './transports/stdio/index.js';
export * from './server/index.js';
export * from './proxy/index.js';
