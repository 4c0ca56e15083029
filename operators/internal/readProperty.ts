/**
 * Reads one property of a value whose type is unknown.
 *
 * The operators read errors and items structurally (`retryable`, `retryAfterMs`, `id`)
 * because they must not depend on any concrete class: an rxmcp error, a `fetch` failure and a
 * plain object all look alike to them. Primitives have no properties worth reading, so they
 * yield `undefined` rather than, say, a string's `length`.
 */
export function readProperty(value: unknown, key: string): unknown {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) {
    return undefined;
  }
  return (value as Record<string, unknown>)[key];
}
