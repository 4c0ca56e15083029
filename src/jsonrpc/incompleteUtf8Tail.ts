/**
 * How many bytes at the end of `bytes[start, end)` are the start of a UTF-8 character that is
 * not complete yet (0 to 3): the bytes to hold back until the next chunk brings the rest.
 *
 * Looks back at most 3 bytes for the last lead byte. Anything malformed answers 0, so that the
 * decoder replaces it with U+FFFD in place, as it would have done without the split.
 */
export function incompleteUtf8Tail(bytes: Uint8Array, start: number, end: number): number {
  for (let seen = 1; seen <= 3 && end - seen >= start; seen++) {
    const byte = bytes[end - seen] as number;
    if (byte < 0x80) return 0;
    if (byte >= 0xc0) return utf8SequenceLength(byte) > seen ? seen : 0;
  }
  return 0;
}

/** The length of the UTF-8 sequence a lead byte (>= 0xc0) starts; 1 for 0xf8 and up, invalid. */
export function utf8SequenceLength(lead: number): number {
  if (lead >= 0xf8) return 1;
  if (lead >= 0xf0) return 4;
  return lead >= 0xe0 ? 3 : 2;
}

/** Whether `byte` continues a UTF-8 sequence (0b10xxxxxx). */
export function isUtf8Continuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}
