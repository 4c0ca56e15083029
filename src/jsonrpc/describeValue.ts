const maxShown = 40;

/**
 * Names a JSON value for an error message: `null`, `boolean true`, `number 1.5`,
 * `string "abc"`, `an array of 2 elements`, `an object`, `nothing`. Strings are cut at 40
 * characters so that a 10 MiB value never ends up in a message.
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value))
    return `an array of ${value.length} element${value.length === 1 ? '' : 's'}`;
  switch (typeof value) {
    case 'string':
      return `string ${quote(value)}`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof value} ${String(value)}`;
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/** JSON-quotes `text`, cut to 40 characters with an ellipsis when longer. */
export function quote(text: string): string {
  return text.length > maxShown
    ? `${JSON.stringify(text.slice(0, maxShown))}…`
    : JSON.stringify(text);
}
