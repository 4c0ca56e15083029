/**
 * The number of bytes `text.slice(start, end)` takes as UTF-8, without encoding it.
 *
 * A lone surrogate counts 3 bytes, what `TextEncoder` writes for it (U+FFFD). A surrogate pair
 * cut by `start` or `end` is therefore counted as 6 bytes instead of 4: a line size can be
 * overstated by 2 bytes when a string stream splits a pair across chunks, never understated.
 */
export function utf8ByteLength(text: string, start: number, end: number): number {
  // Start from one byte per code unit and add the extra bytes of non-ASCII units, so ASCII
  // (nearly all JSON-RPC traffic) costs one comparison per character.
  let bytes = end - start;
  for (let index = start; index < end; index++) {
    const unit = text.charCodeAt(index);
    if (unit < 0x80) continue;
    if (unit < 0x800) {
      bytes += 1;
    } else if (
      unit >= 0xd800 &&
      unit <= 0xdbff &&
      index + 1 < end &&
      isLowSurrogate(text.charCodeAt(index + 1))
    ) {
      // Two units, four bytes.
      bytes += 2;
      index++;
    } else {
      bytes += 2;
    }
  }
  return bytes;
}

function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}
