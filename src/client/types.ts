/**
 * The MCP shapes the client sends and receives, after `schema.ts` of MCP 2025-11-25, kept to
 * what the client uses. Results arrive from the network unvalidated: these types say what a
 * well-behaved server sends, not what a misbehaving one cannot. Readonly throughout, so a
 * handler may answer with a frozen object or a literal.
 *
 * Task-augmented requests (`tasks/*`) are not modelled: the client does not offer them.
 */

/** `_meta` on params, results and items: reserved keys plus whatever a peer adds. */
export type Meta = { readonly [key: string]: unknown };

/** [spec 2025-11-25 schema] `export type ProgressToken = string | number;` */
export type ProgressToken = string | number;

/** The params of any request: named members, with `_meta.progressToken` reserved. */
export interface RequestParams {
  readonly _meta?: Meta & { readonly progressToken?: ProgressToken };
  readonly [key: string]: unknown;
}

/** The result of any request: an object, possibly with `_meta`. */
export interface Result {
  readonly _meta?: Meta;
  readonly [key: string]: unknown;
}

/** A result that only says "done" (`ping`). */
export type EmptyResult = Result;

/** A result with a pagination cursor: present means "there may be more". */
export interface PaginatedResult extends Result {
  readonly nextCursor?: string;
}

/** An icon a UI may show. */
export interface Icon {
  readonly src: string;
  readonly mimeType?: string;
  readonly sizes?: readonly string[];
  readonly theme?: 'light' | 'dark';
}

/** Who a client or server is (`clientInfo`, `serverInfo`). */
export interface Implementation {
  readonly name: string;
  readonly version: string;
  readonly title?: string;
  readonly description?: string;
  readonly websiteUrl?: string;
  readonly icons?: readonly Icon[];
}

/** What the client offers. Not a closed set: a client may add its own members. */
export interface ClientCapabilities {
  readonly experimental?: { readonly [key: string]: object };
  readonly roots?: { readonly listChanged?: boolean };
  readonly sampling?: { readonly context?: object; readonly tools?: object };
  /** `{}` means form mode only (backwards compatible); `url` must be declared to get URL mode. */
  readonly elicitation?: { readonly form?: object; readonly url?: object };
  readonly [key: string]: unknown;
}

/** What the server offers. Not a closed set. */
export interface ServerCapabilities {
  readonly experimental?: { readonly [key: string]: object };
  readonly logging?: object;
  readonly completions?: object;
  readonly prompts?: { readonly listChanged?: boolean };
  readonly resources?: { readonly subscribe?: boolean; readonly listChanged?: boolean };
  readonly tools?: { readonly listChanged?: boolean };
  readonly [key: string]: unknown;
}

/** The params of `initialize`. */
export interface InitializeRequestParams extends RequestParams {
  readonly protocolVersion: string;
  readonly capabilities: ClientCapabilities;
  readonly clientInfo: Implementation;
}

/** The server's answer to `initialize`. */
export interface InitializeResult extends Result {
  readonly protocolVersion: string;
  readonly capabilities: ServerCapabilities;
  readonly serverInfo: Implementation;
  readonly instructions?: string;
}

/** Hints about who should see a piece of content and how much it matters. */
export interface Annotations {
  readonly audience?: readonly Role[];
  readonly priority?: number;
  readonly lastModified?: string;
}

/** Who speaks in a prompt or sampling message. */
export type Role = 'user' | 'assistant';

/** Text content. */
export interface TextContent {
  readonly type: 'text';
  readonly text: string;
  readonly annotations?: Annotations;
  readonly _meta?: Meta;
}

/** Image or audio content, base64-encoded. */
export interface MediaContent {
  readonly type: 'image' | 'audio';
  readonly data: string;
  readonly mimeType: string;
  readonly annotations?: Annotations;
  readonly _meta?: Meta;
}

/** The text or the base64 bytes of a resource. */
export type ResourceContents =
  | {
      readonly uri: string;
      readonly mimeType?: string;
      readonly text: string;
      readonly _meta?: Meta;
    }
  | {
      readonly uri: string;
      readonly mimeType?: string;
      readonly blob: string;
      readonly _meta?: Meta;
    };

/** A resource embedded in content. */
export interface EmbeddedResource {
  readonly type: 'resource';
  readonly resource: ResourceContents;
  readonly annotations?: Annotations;
  readonly _meta?: Meta;
}

/** A link to a resource, in content. */
export interface ResourceLink extends Resource {
  readonly type: 'resource_link';
}

/** One block of content in a tool result or a prompt message. */
export type ContentBlock = TextContent | MediaContent | ResourceLink | EmbeddedResource;

/** A JSON Schema for an object, as tools declare their input and output. */
export interface ObjectSchema {
  readonly type: 'object';
  readonly $schema?: string;
  readonly properties?: { readonly [key: string]: object };
  readonly required?: readonly string[];
}

/** A tool the server offers. */
export interface Tool {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema: ObjectSchema;
  readonly outputSchema?: ObjectSchema;
  readonly annotations?: {
    readonly title?: string;
    readonly readOnlyHint?: boolean;
    readonly destructiveHint?: boolean;
    readonly idempotentHint?: boolean;
    readonly openWorldHint?: boolean;
  };
  readonly icons?: readonly Icon[];
  readonly _meta?: Meta;
}

/** A page of `tools/list`. */
export interface ListToolsResult extends PaginatedResult {
  readonly tools: readonly Tool[];
}

/** The params of `tools/call`. */
export interface CallToolRequestParams extends RequestParams {
  readonly name: string;
  readonly arguments?: { readonly [key: string]: unknown };
}

/** The result of `tools/call`. A tool's own failure is `isError: true`, not a JSON-RPC error. */
export interface CallToolResult extends Result {
  readonly content: readonly ContentBlock[];
  readonly structuredContent?: { readonly [key: string]: unknown };
  readonly isError?: boolean;
}

/** A resource the server can read. */
export interface Resource {
  readonly uri: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
  readonly size?: number;
  readonly annotations?: Annotations;
  readonly icons?: readonly Icon[];
  readonly _meta?: Meta;
}

/** A family of resources, addressed by an RFC 6570 URI template. */
export interface ResourceTemplate extends Omit<Resource, 'uri' | 'size'> {
  readonly uriTemplate: string;
}

/** A page of `resources/list`. */
export interface ListResourcesResult extends PaginatedResult {
  readonly resources: readonly Resource[];
}

/** A page of `resources/templates/list`. */
export interface ListResourceTemplatesResult extends PaginatedResult {
  readonly resourceTemplates: readonly ResourceTemplate[];
}

/** The params of `resources/read`. */
export interface ReadResourceRequestParams extends RequestParams {
  readonly uri: string;
}

/** The result of `resources/read`. */
export interface ReadResourceResult extends Result {
  readonly contents: readonly ResourceContents[];
}

/** A prompt template the server offers. */
export interface Prompt {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly arguments?: readonly {
    readonly name: string;
    readonly title?: string;
    readonly description?: string;
    readonly required?: boolean;
  }[];
  readonly icons?: readonly Icon[];
  readonly _meta?: Meta;
}

/** A page of `prompts/list`. */
export interface ListPromptsResult extends PaginatedResult {
  readonly prompts: readonly Prompt[];
}

/** The params of `prompts/get`. */
export interface GetPromptRequestParams extends RequestParams {
  readonly name: string;
  readonly arguments?: { readonly [key: string]: string };
}

/** The result of `prompts/get`. */
export interface GetPromptResult extends Result {
  readonly description?: string;
  readonly messages: readonly { readonly role: Role; readonly content: ContentBlock }[];
}

/** A notification's params for `notifications/progress`. */
export interface ProgressNotificationParams {
  readonly progressToken: ProgressToken;
  readonly progress: number;
  readonly total?: number;
  readonly message?: string;
  readonly _meta?: Meta;
}
