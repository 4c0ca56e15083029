// delay-seconds is `1*DIGIT` in RFC 9110; a fraction ("1.5") is not valid but harmless, so it
// is read rather than thrown away.
const SECONDS = /^\d+(?:\.\d+)?$/;
// Every HTTP-date form (IMF-fixdate, RFC 850, asctime) names the month in letters. Requiring
// letters keeps `Date.parse` from reading garbage such as "-1" or "12" as a year.
const LOOKS_LIKE_DATE = /[a-z]{3}/i;
// asctime ("Sun Nov  6 08:49:37 1994") is GMT by definition but names no zone, so
// `Date.parse` would read it in the machine's local time.
const ASCTIME = /^[a-z]{3} [a-z]{3} +\d{1,2} \d\d:\d\d:\d\d \d{4}$/i;

/**
 * Reads an HTTP `Retry-After` header as a delay in milliseconds.
 *
 * - delay-seconds (`"120"`) becomes `120000`;
 * - an HTTP-date (`"Wed, 21 Oct 2026 07:28:00 GMT"`) becomes the time from `nowMs` until
 *   then, and `0` when that moment has passed;
 * - anything else (absent, empty, negative, garbage) is ignored: `undefined`, so the caller
 *   falls back to its own backoff.
 *
 * `nowMs` is a parameter, not the wall clock, so that callers pass their scheduler's `now()`
 * and tests run in virtual time.
 *
 * ```text
 * "1"                              -> 1000
 * "Wed, 21 Oct 2026 07:28:05 GMT"  -> 5000   (now = 07:28:00)
 * "-1", "soon", ""                 -> undefined
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { parseRetryAfter } from 'rxmcp';
 *
 * parseRetryAfter('2', 0); // 2000
 * parseRetryAfter('Thu, 01 Jan 1970 00:00:03 GMT', 1000); // 2000
 * parseRetryAfter('later', 0); // undefined
 * ```
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number,
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (SECONDS.test(text)) return Math.ceil(Number(text) * 1000);
  if (!LOOKS_LIKE_DATE.test(text)) return undefined;
  const at = Date.parse(ASCTIME.test(text) ? `${text} GMT` : text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
