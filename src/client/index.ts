/**
 * The Rx MCP client: an MCP session as Observables. Browser-safe: no Node built-ins, and
 * time comes from rxjs schedulers.
 *
 * @packageDocumentation
 */
export { connect } from './connect.js';
export type { ConnectOptions } from './connect.js';
export type { ListOptions, McpClient } from './McpClient.js';
export type { RequestOptions } from './sendRequest.js';
export type { RequestEvent, RequestProgress, RequestResult } from './RequestEvent.js';
export { toResult } from './toResult.js';
export { paginate } from './paginate.js';
export type { PaginateOptions } from './paginate.js';
export { applyElicitationDefaults } from './applyElicitationDefaults.js';
export type { ClientHandlers, RequestHandler, RequestHandlerContext } from './ClientHandlers.js';
export type {
  ClientDiagnostic,
  HandlerFailure,
  SendFailure,
  UnmatchedResponse,
} from './ClientDiagnostic.js';
export {
  LATEST_PROTOCOL_VERSION,
  SUPPORTED_PROTOCOL_VERSIONS,
  refuseProtocolVersion,
} from './protocolVersions.js';
export type * from './types.js';
export type * from './serverRequestTypes.js';
