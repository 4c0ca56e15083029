import type { Result } from './types.js';

/**
 * What a request emits: any number of progress reports, then exactly one result.
 *
 * ```text
 * request(...)   --p--p----r|      p: RequestProgress, r: RequestResult
 * ```
 */
export type RequestEvent<R = Result> = RequestProgress | RequestResult<R>;

/** A `notifications/progress` the server sent for this request. */
export interface RequestProgress {
  readonly type: 'progress';
  /** How far along; increases with each report, even when `total` is unknown. */
  readonly progress: number;
  /** The amount of work in all, when the server knows it. */
  readonly total?: number;
  /** A human-readable note on the current step. */
  readonly message?: string;
}

/** The server's result: the last value before completion. */
export interface RequestResult<R = Result> {
  readonly type: 'result';
  readonly result: R;
}
