import type { RxMcpError } from '../errors.js';

/**
 * Where a long-lived connection stands, published as a value so that a UI can show it
 * without ever handling an error notification (Angular's `toSignal`, a React hook, a CLI
 * status line).
 *
 * Transport-neutral: an SSE event stream, a Streamable HTTP session or a child process all
 * move through the same states.
 *
 * ```text
 * idle ──subscribe──> connecting(0) ──> open ──drop──> reconnecting(1, delay, reason)
 *                          ^                                   │
 *                          └──────── connecting(1) <───────────┘
 * any state ──unsubscribe / end / give up──> closed(reason?)
 * ```
 */
export type ConnectionState =
  | ConnectionIdle
  | ConnectionConnecting
  | ConnectionOpen
  | ConnectionReconnecting
  | ConnectionClosed;

/** Nobody has subscribed yet: no connection is open or being attempted. */
export interface ConnectionIdle {
  readonly type: 'idle';
}

/** A connection attempt is under way. */
export interface ConnectionConnecting {
  readonly type: 'connecting';
  /** `0` for the first attempt, then the number of the retry (as in `reconnecting`). */
  readonly attempt: number;
}

/** The connection is established and data may flow. */
export interface ConnectionOpen {
  readonly type: 'open';
}

/** The connection was lost (or refused) and a new attempt is scheduled. */
export interface ConnectionReconnecting {
  readonly type: 'reconnecting';
  /** The 1-based number of the retry about to happen within the current failure streak. */
  readonly attempt: number;
  /** How long until the attempt starts, in milliseconds. */
  readonly delayMs: number;
  /** Why the previous connection ended. */
  readonly reason: RxMcpError;
}

/** Nothing more will happen: the stream ended, was unsubscribed, or gave up. */
export interface ConnectionClosed {
  readonly type: 'closed';
  /** The error that ended the stream; `undefined` for a normal end or an unsubscribe. */
  readonly reason?: RxMcpError;
}
