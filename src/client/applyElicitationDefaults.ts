import type { ElicitRequestParams, ElicitResult, ElicitValue } from './serverRequestTypes.js';

/**
 * Fills the fields a user left out of an accepted form elicitation with the defaults the
 * server's `requestedSchema` declares (SEP-1034). Fields the user gave are kept, even empty
 * ones; declined, cancelled and URL-mode elicitations are returned as they are. Returns a new
 * result; neither argument is changed.
 *
 * ```text
 * requestedSchema.properties: { name: {default: 'Ada'}, age: {default: 36}, city: {} }
 * result.content:             { age: 41 }
 * returned content:           { name: 'Ada', age: 41 }
 * ```
 *
 * ## Example
 *
 * ```ts
 * import { applyElicitationDefaults } from 'rxmcp';
 *
 * applyElicitationDefaults(
 *   {
 *     message: 'Who are you?',
 *     requestedSchema: { type: 'object', properties: { name: { type: 'string', default: 'Ada' } } },
 *   },
 *   { action: 'accept', content: {} },
 * ); // { action: 'accept', content: { name: 'Ada' } }
 * ```
 */
export function applyElicitationDefaults(
  params: ElicitRequestParams,
  result: ElicitResult,
): ElicitResult {
  // [spec 2025-11-25 changelog] Add support for default values in all primitive types
  // (string, number, enum) for elicitation schemas (SEP-1034).
  if (result.action !== 'accept' || params.mode === 'url') return result;
  const properties = params.requestedSchema?.properties ?? {};
  const content: { [key: string]: ElicitValue } = { ...result.content };
  for (const [key, schema] of Object.entries(properties)) {
    if (content[key] === undefined && schema?.default !== undefined) content[key] = schema.default;
  }
  return { ...result, content };
}
