/**
 * The Streamable HTTP server transport (`rxmcp/node`): sessions as rxmcp Transports,
 * resumable SSE streams, admission limits and graceful shutdown, on `node:http`.
 *
 * @packageDocumentation
 */
export { createStreamableHttpServer } from './createStreamableHttpServer.js';
export type {
  ListeningAddress,
  McpHttpServer,
  ServerCloseOptions,
} from './createStreamableHttpServer.js';
export type { ServerSendOptions, ServerSession, ServerSessionStats } from './ServerSession.js';
export { createMemoryEventStore } from './EventStore.js';
export type { EventStore, MemoryEventStoreOptions, StoredEvent } from './EventStore.js';
export {
  LOCALHOST_NAMES,
  STREAMABLE_HTTP_PROTOCOL_VERSIONS,
} from './StreamableHttpServerOptions.js';
export type { StreamableHttpServerOptions } from './StreamableHttpServerOptions.js';
export type { CorsOptions } from './cors.js';
