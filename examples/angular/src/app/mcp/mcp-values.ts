import type { CallToolResult, Implementation, RxMcpError, Tool } from 'rxmcp';

/**
 * Where the service's connection stands, as a value. Failures are values too (`failed`),
 * so a template bound with `toSignal` never meets a thrown error.
 *
 * ```text
 * connecting(0) ──> open ──drop──> reconnecting(1, delayMs, reason) ──> connecting(1) ──> open
 *      │                                          │ retries spent
 *      └──────────── refused ─────────────────────┴──> failed(error)
 * the server ends the session, or the service is destroyed ──> closed
 * ```
 */
export type McpState =
  | { readonly type: 'connecting'; readonly attempt: number }
  | {
      readonly type: 'open';
      readonly serverInfo: Implementation;
      readonly protocolVersion: string;
      readonly instructions: string | undefined;
    }
  | {
      readonly type: 'reconnecting';
      readonly attempt: number;
      readonly delayMs: number;
      readonly reason: RxMcpError;
    }
  | { readonly type: 'failed'; readonly error: RxMcpError }
  | { readonly type: 'closed' };

/** The server's tools, as a value: loading, the list, or why there is none. */
export type McpTools =
  | { readonly status: 'loading'; readonly tools: readonly Tool[] }
  | { readonly status: 'ready'; readonly tools: readonly Tool[] }
  | { readonly status: 'error'; readonly tools: readonly Tool[]; readonly error: RxMcpError };

/** What a tool call emits: progress reports, then its result or its error, then completes. */
export type ToolCallEvent =
  | {
      readonly type: 'progress';
      readonly progress: number;
      readonly total: number | undefined;
      readonly message: string | undefined;
    }
  | { readonly type: 'result'; readonly result: CallToolResult }
  | { readonly type: 'error'; readonly error: RxMcpError };
