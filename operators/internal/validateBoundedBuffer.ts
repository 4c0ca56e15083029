import type { OverflowPolicy } from '../boundedBuffer.js';

const POLICIES: readonly OverflowPolicy[] = ['error', 'drop-oldest', 'drop-newest', 'pause'];

/**
 * Checks {@link boundedBuffer}'s options when the operator is created, so that a mistake
 * fails at the line that made it rather than at the first overflow, hours later.
 * Range problems throw a `RangeError`, a missing or needless valve a `TypeError`.
 */
export function validateBoundedBuffer(options: {
  readonly concurrency: number;
  readonly capacity: number;
  readonly overflow: OverflowPolicy;
  readonly resumeAt: number;
  readonly hasValve: boolean;
}): void {
  const { concurrency, capacity, overflow, resumeAt, hasValve } = options;
  if (!Number.isInteger(capacity) || capacity < 1) {
    throw new RangeError(`boundedBuffer: capacity must be a positive integer, got ${capacity}.`);
  }
  if (!(concurrency === Infinity || (Number.isInteger(concurrency) && concurrency >= 1))) {
    throw new RangeError(
      `boundedBuffer: concurrency must be an integer >= 1 or Infinity, got ${concurrency}.`,
    );
  }
  if (!POLICIES.includes(overflow)) {
    throw new RangeError(
      `boundedBuffer: overflow must be one of ${POLICIES.join(', ')}, got ${String(overflow)}.`,
    );
  }
  if (!Number.isInteger(resumeAt) || resumeAt < 0 || resumeAt >= capacity) {
    throw new RangeError(
      `boundedBuffer: resumeAt must be an integer in [0, ${capacity - 1}] (below the capacity), ` +
        `got ${resumeAt}.`,
    );
  }
  if (overflow === 'pause' && !hasValve) {
    throw new TypeError(
      "boundedBuffer: overflow 'pause' needs a valve the source listens to. Pass " +
        '{ valve: createValve() } here and the same valve to the source ' +
        '(fromReadable, fromReadableStream, fromAsyncIterable).',
    );
  }
  if (overflow !== 'pause' && hasValve) {
    throw new TypeError(
      `boundedBuffer: a valve is only operated with overflow 'pause', got '${overflow}'. ` +
        "Remove the valve or set overflow: 'pause'.",
    );
  }
}
