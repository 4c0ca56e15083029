import type { ServerResponse } from 'node:http';
import type { JsonRpcId, JsonRpcMessage, JsonRpcRequest } from '../jsonrpc/types.js';
import type { KeepAlive } from './createKeepAlive.js';
import type { HttpRefusal } from './HttpRefusal.js';
import { SessionState } from './SessionState.js';
import type { ServerSession } from './ServerSession.js';
import type { ResolvedServerOptions } from './StreamableHttpServerOptions.js';

/** What the HTTP handlers can do with a session besides what the application sees. */
export interface SessionHandle {
  readonly session: ServerSession;
  readonly ended: boolean;
  /** Requests received and not yet answered. */
  openRequests(): number;
  /** Whether a request with this id is open (received and not yet answered). */
  isOpen(id: JsonRpcId): boolean;
  /** Hands a client message to the application; `false` when the inbox is full. */
  receive(message: JsonRpcMessage): boolean;
  /** Answers a POSTed request with an SSE stream on `res`. `release` frees its slot. */
  openRequestStream(request: JsonRpcRequest, res: ServerResponse, release: () => void): void;
  /** Answers a POSTed request with one JSON body once the response is sent. */
  openJsonAnswer(request: JsonRpcRequest, res: ServerResponse, release: () => void): void;
  /** `responseMode: 'auto'`: a JSON body if the response comes first and soon, else SSE. */
  openAutoAnswer(request: JsonRpcRequest, res: ServerResponse, release: () => void): void;
  /** A GET: the standalone stream (`cursor` undefined) or a resume after `Last-Event-ID`. */
  attachGet(
    res: ServerResponse,
    cursor: { readonly streamId: string; readonly seq: number } | undefined,
    release: () => void,
  ): HttpRefusal | undefined;
  /** Marks activity, restarting the idle countdown. */
  touch(): void;
  /** Ends the session: streams finish writing and end, `messages$` completes. */
  end(): void;
}

/**
 * Creates the state of one session. The HTTP handlers call the handle; the application sees
 * `handle.session`. `onEnd` runs once when the session ends, for the server to forget it.
 */
export function createServerSession(
  id: string,
  requestedVersion: string,
  options: ResolvedServerOptions,
  keepAlive: KeepAlive,
  onEnd: () => void,
): SessionHandle {
  return new SessionState(id, requestedVersion, options, keepAlive, onEnd);
}
