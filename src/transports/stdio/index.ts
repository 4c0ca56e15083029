/**
 * The stdio transports (Node only, exported from `rxmcp/node`): `stdioTransport` runs an MCP
 * server as a child process, `stdioServerTransport` serves MCP over this process's own stdin
 * and stdout, and the building blocks they are made of.
 *
 * @packageDocumentation
 */
export { stdioTransport } from './stdioTransport.js';
export type { StdioTransport } from './stdioTransport.js';
export type { StdioTransportOptions } from './stdioTransportOptions.js';
export { stdioServerTransport } from './stdioServerTransport.js';
export type { StdioServerTransport, StdioServerTransportOptions } from './stdioServerTransport.js';
export { DEFAULT_INHERITED_ENV_VARS, safeEnvironment } from './safeEnvironment.js';
export { killProcessTree, processTreeAlive } from './killProcessTree.js';
export type { ShutdownSignal } from './killProcessTree.js';
export {
  DEFAULT_CLOSE_TIMEOUT_MS,
  DEFAULT_KILL_TIMEOUT_MS,
  shutdownProcessTree,
} from './shutdownProcessTree.js';
export type { ShutdownProcessTreeOptions } from './shutdownProcessTree.js';
export { watchChildProcess } from './watchChildProcess.js';
export type { ProcessExit, WatchedChild } from './watchChildProcess.js';
export { processExitError } from './processExitError.js';
export type { ProcessExitErrorData } from './processExitError.js';
export {
  DEFAULT_MAX_STDERR_LINE_LENGTH,
  DEFAULT_STDERR_LINES,
  createStderrRing,
} from './stderrRing.js';
export type { StderrRing, StderrRingOptions } from './stderrRing.js';
export { readMessages } from './readMessages.js';
export type { ReadMessagesOptions } from './readMessages.js';
export { DEFAULT_MAX_PENDING_WRITE_BYTES, writeToStream } from './writeToStream.js';
export type { WriteToStreamOptions } from './writeToStream.js';
export { serialiseLine } from './serialiseLine.js';
