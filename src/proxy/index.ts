/**
 * The proxy (Node only, from `rxmcp/node`): `pipeTransports` connects any two transports with
 * id remapping and backpressure; `proxyStdio`, `proxyUpstream` and `bridgeStdio` are the
 * three pipelines the `rxmcp` command runs.
 *
 * @packageDocumentation
 */
export { pipeTransports } from './pipeTransports.js';
export type { PipeDirection, PipeEvent, PipeTransportsOptions } from './pipeTransports.js';
export { createIdMapper, DEFAULT_ID_MAPPER_CAPACITY } from './createIdMapper.js';
export type { IdMapper, IdMapperOptions, MappedRequest } from './createIdMapper.js';
export { translateMessage, PROXY_BUSY_CODE } from './translateMessage.js';
export type { Translation } from './translateMessage.js';
export { createResponseTracker } from './trackResponses.js';
export type { ResponseTracker } from './trackResponses.js';
export { createProxyServer, DEFAULT_PROXY_RESPONSE_MODE } from './createProxyServer.js';
export type {
  McpProxy,
  ProxyEvent,
  ProxyHealth,
  ProxyServerOptions,
  SessionUpstream,
  StaticFile,
} from './createProxyServer.js';
export {
  createProxyEventStore,
  DEFAULT_PROXY_EVENT_STORE_BYTES,
  DEFAULT_PROXY_EVENT_STORE_CAPACITY,
} from './createProxyEventStore.js';
export type { ProxyEventStoreOptions } from './createProxyEventStore.js';
export { proxyStdio } from './proxyStdio.js';
export type { ProxyStdioOptions } from './proxyStdio.js';
export { proxyUpstream } from './proxyUpstream.js';
export type { ProxyUpstreamOptions } from './proxyUpstream.js';
export { bridgeStdio } from './bridgeStdio.js';
export type { BridgeStdioOptions } from './bridgeStdio.js';
