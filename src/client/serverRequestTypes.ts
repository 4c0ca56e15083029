/**
 * The shapes of the requests a server sends to the client (roots, sampling, elicitation) and
 * of the answers the client's handlers give, after `schema.ts` of MCP 2025-11-25. Split from
 * `types.ts` only to keep each file short; both are re-exported from `rxmcp`.
 */
import type { Annotations, Meta, RequestParams, Result, Role, Tool } from './types.js';

/** A root the client exposes: a `file://` URI and an optional name. */
export interface Root {
  readonly uri: string;
  readonly name?: string;
  readonly _meta?: Meta;
}

/** The answer to `roots/list`. */
export interface ListRootsResult extends Result {
  readonly roots: readonly Root[];
}

/** A block of a sampling message: text, media, or a tool use and its result. */
export type SamplingContent =
  | {
      readonly type: 'text';
      readonly text: string;
      readonly annotations?: Annotations;
      readonly _meta?: Meta;
    }
  | {
      readonly type: 'image' | 'audio';
      readonly data: string;
      readonly mimeType: string;
      readonly annotations?: Annotations;
      readonly _meta?: Meta;
    }
  | {
      readonly type: 'tool_use';
      readonly id: string;
      readonly name: string;
      readonly input: { readonly [key: string]: unknown };
      readonly _meta?: Meta;
    }
  | {
      readonly type: 'tool_result';
      readonly toolUseId: string;
      readonly content: readonly unknown[];
      readonly structuredContent?: { readonly [key: string]: unknown };
      readonly isError?: boolean;
      readonly _meta?: Meta;
    };

/** One message of a sampling conversation. */
export interface SamplingMessage {
  readonly role: Role;
  readonly content: SamplingContent | readonly SamplingContent[];
  readonly _meta?: Meta;
}

/** The params of `sampling/createMessage`. */
export interface CreateMessageRequestParams extends RequestParams {
  readonly messages: readonly SamplingMessage[];
  readonly maxTokens: number;
  readonly systemPrompt?: string;
  readonly includeContext?: 'none' | 'thisServer' | 'allServers';
  readonly temperature?: number;
  readonly stopSequences?: readonly string[];
  readonly metadata?: object;
  readonly modelPreferences?: {
    readonly hints?: readonly { readonly name?: string }[];
    readonly costPriority?: number;
    readonly speedPriority?: number;
    readonly intelligencePriority?: number;
  };
  readonly tools?: readonly Tool[];
  readonly toolChoice?: { readonly mode?: 'auto' | 'required' | 'none' };
}

/** The answer to `sampling/createMessage`. */
export interface CreateMessageResult extends Result {
  readonly role: Role;
  readonly content: SamplingContent | readonly SamplingContent[];
  readonly model: string;
  readonly stopReason?: string;
}

/**
 * One field of an elicitation form: a string, number, integer, boolean or enum schema. Kept
 * loose (the spec has seven variants) since the client reads only `default` from it.
 */
export interface PrimitiveSchemaDefinition {
  readonly type: 'string' | 'number' | 'integer' | 'boolean' | 'array';
  readonly title?: string;
  readonly description?: string;
  readonly default?: ElicitValue;
  readonly [key: string]: unknown;
}

/** A value a user may give for an elicitation field. */
export type ElicitValue = string | number | boolean | readonly string[];

/** The params of a form-mode `elicitation/create`: a message and a flat object schema. */
export interface ElicitRequestFormParams extends RequestParams {
  readonly mode?: 'form';
  readonly message: string;
  readonly requestedSchema: {
    readonly $schema?: string;
    readonly type: 'object';
    readonly properties: { readonly [key: string]: PrimitiveSchemaDefinition };
    readonly required?: readonly string[];
  };
}

/** The params of a URL-mode `elicitation/create`: the user is sent to `url`. */
export interface ElicitRequestUrlParams extends RequestParams {
  readonly mode: 'url';
  readonly message: string;
  readonly elicitationId: string;
  readonly url: string;
}

/** The params of `elicitation/create`. */
export type ElicitRequestParams = ElicitRequestFormParams | ElicitRequestUrlParams;

/** The answer to `elicitation/create`. */
export interface ElicitResult extends Result {
  readonly action: 'accept' | 'decline' | 'cancel';
  readonly content?: { readonly [key: string]: ElicitValue };
}
