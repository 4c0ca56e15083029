/** Decodes a stream of UTF-8 byte chunks into text, one chunk at a time. */
export interface Utf8StreamDecoder {
  /**
   * The text of `chunk`, up to its last complete character: the bytes of a character cut
   * off by the end of the chunk are kept and decoded with the next one.
   */
  decode(chunk: Uint8Array): string;
}

const BOM = 0xfeff;

/**
 * The WHATWG "UTF-8 decode" of a byte stream fed in chunks: exactly what
 * `new TextDecoder().decode(chunk, { stream: true })` returns for each chunk (one leading
 * BOM dropped, every invalid sequence replaced by U+FFFD), only faster.
 *
 * Performance: Node's `TextDecoder` decodes with `stream: true` through ICU, into a two-byte
 * string, at about 2 µs per KiB; without it, through V8's own UTF-8 decoder, which makes a
 * compact one-byte string out of ASCII, about 7 times faster (and the parser then scans half
 * the bytes, and the garbage collector frees half). So every chunk is decoded as a whole:
 * a character cut off at its end is held back (at most 3 bytes) and put in front of the next
 * chunk.
 *
 * Why a cut there gives the same text as one streaming decode: the UTF-8 decoder is back in
 * its initial state at every byte that is not a continuation byte (10xxxxxx), whatever came
 * before (a sequence cut short by such a byte is an error, U+FFFD, and the byte is then read
 * afresh). A chunk is therefore split in front of its last lead byte when the sequence that
 * byte starts is not complete yet; everything before decodes alone to the same text, and a
 * sequence that turns out invalid gives the same U+FFFD one chunk later.
 */
export function createUtf8StreamDecoder(): Utf8StreamDecoder {
  // Without `stream: true` it keeps no state between calls. `ignoreBOM` keeps a U+FEFF at
  // the start of every call: only the stream's first is dropped, below.
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  let heldBack: Uint8Array | undefined;
  let atStart = true;

  return {
    decode(chunk: Uint8Array): string {
      let bytes = chunk;
      if (heldBack !== undefined) {
        bytes = new Uint8Array(heldBack.length + chunk.length);
        bytes.set(heldBack);
        bytes.set(chunk, heldBack.length);
        heldBack = undefined;
      }
      const cut = completeLength(bytes);
      if (cut < bytes.length) {
        heldBack = bytes.slice(cut);
        bytes = bytes.subarray(0, cut);
      }
      let text = decoder.decode(bytes);
      if (atStart && text.length > 0) {
        // [WHATWG encoding] UTF-8 decode: one leading BOM is skipped, only at the stream start.
        atStart = false;
        if (text.charCodeAt(0) === BOM) text = text.slice(1);
      }
      return text;
    },
  };
}

/**
 * How many bytes of `bytes` end with a complete character or a sequence already known to be
 * invalid (the decoder reports those without waiting): all but the valid beginning of a
 * multi-byte character at the end.
 */
function completeLength(bytes: Uint8Array): number {
  const end = bytes.length;
  // A character has at most 3 continuation bytes, so its lead byte is in the last 4.
  for (let at = end - 1; at >= 0 && at >= end - 4; at--) {
    const lead = bytes[at] as number;
    if ((lead & 0xc0) === 0x80) continue;
    if (end - at >= sequenceLength(lead)) return end;
    // Only the lead byte limits the byte after it ([WHATWG encoding] UTF-8 decoder: E0 needs
    // A0-BF, ED 80-9F, F0 90-BF, F4 80-8F); any further byte here is already 80-BF.
    const second = at + 1 < end ? (bytes[at + 1] as number) : undefined;
    return second === undefined || fitsAfter(lead, second) ? at : end;
  }
  return end;
}

/** The length of the sequence a lead byte starts; 1 for ASCII and for bytes that cannot lead. */
function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 1;
}

function fitsAfter(lead: number, second: number): boolean {
  if (lead === 0xe0) return second >= 0xa0;
  if (lead === 0xed) return second <= 0x9f;
  if (lead === 0xf0) return second >= 0x90;
  if (lead === 0xf4) return second <= 0x8f;
  return true;
}
