/**
 * The error a {@link boundedBuffer} fails with when its queue is full and the policy is
 * `'error'`, or when a source ignored the valve with `'pause'`. Its `kind` and `retryable`
 * let rxmcp's `RxMcpError.from` turn it into a non-retryable `'limit'` error.
 *
 * Lives in its own file to keep `boundedBuffer.ts` short; it is exported from there.
 */
export class BufferOverflowError extends Error {
  override readonly name = 'BufferOverflowError';
  /** The rxmcp error kind: a configured limit was hit. */
  readonly kind = 'limit';
  /** Retrying the same pipeline overflows again; the consumer or the settings must change. */
  readonly retryable = false;

  constructor(
    /** The capacity that was exceeded. */
    readonly capacity: number,
    /** The policy in force: `'error'`, or `'pause'` when the source ignored the valve. */
    readonly policy: 'error' | 'pause',
  ) {
    super(
      policy === 'pause'
        ? `The source pushed an item into a full buffer (capacity ${capacity}) although the ` +
            'valve was paused. Make the source honour the valve (fromReadable, ' +
            'fromReadableStream or fromAsyncIterable with { valve }) or raise the capacity.'
        : `The buffer is full: ${capacity} items are waiting for the consumer and the overflow ` +
            "policy is 'error'. Speed up the consumer, raise the capacity or concurrency, or " +
            "choose the 'drop-oldest', 'drop-newest' or 'pause' policy.",
    );
  }
}
