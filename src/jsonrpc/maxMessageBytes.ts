/** The default largest NDJSON message: 10 MiB, as the official SDK's stdio reader. */
export const DEFAULT_NDJSON_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

/**
 * Returns `maxMessageBytes` or its default, or throws a `RangeError` naming `caller` when it is
 * not a whole number >= 1. Shared by the splitter and the operators, so that an operator fails
 * when it is built rather than when it is subscribed.
 */
export function checkMaxMessageBytes(maxMessageBytes: number | undefined, caller: string): number {
  const value = maxMessageBytes ?? DEFAULT_NDJSON_MAX_MESSAGE_BYTES;
  if (!(Number.isInteger(value) && value >= 1)) {
    throw new RangeError(
      `${caller}: maxMessageBytes must be a whole number >= 1 (bytes), got ${value}.`,
    );
  }
  return value;
}
