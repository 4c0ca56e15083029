export { MCP_CONFIG, MCP_SCHEDULER, MCP_TRANSPORT, provideMcp } from './mcp-config';
export type { McpConfig } from './mcp-config';
export { McpService } from './mcp.service';
export type { McpState, McpTools, ToolCallEvent } from './mcp-values';
