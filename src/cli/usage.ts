/** The `--help` texts of the `rxmcp` command. */

const exitCodes = `Exit codes:
  0  normal shutdown (SIGINT/SIGTERM, or stdin closed in connect mode)
  1  runtime failure (cannot listen, upstream gone for good, ...)
  2  usage error (unknown option, missing argument, bad value)`;

const logging = `  --log-format <text|json>    log format on stderr      [RXMCP_LOG_FORMAT]  (text)
  --log-level <level>         error|warn|info|debug     [RXMCP_LOG_LEVEL]   (info)`;

export const mainUsage = `Usage: rxmcp <command> [options]

Commands:
  proxy      serve a stdio MCP server (one child per session) or a remote MCP server
             over Streamable HTTP, with /healthz
  connect    bridge a stdio MCP client to a remote Streamable HTTP (or legacy SSE) server

Options:
  --version  print the version and exit
  --help     print this help and exit ('rxmcp <command> --help' for a command)

${exitCodes}
`;

export const proxyUsage = `Usage:
  rxmcp proxy [options] -- <command> [args...]   a stdio server, one child process per session
  rxmcp proxy [options] --upstream <url>         a remote Streamable HTTP / legacy SSE server

Options:
  --host <host>               interface to bind         [RXMCP_HOST]        (127.0.0.1)
  --port <port>               port to bind, 0 = any     [RXMCP_PORT]        (8787)
  --path <path>               MCP endpoint path         [RXMCP_PATH]        (/mcp)
  --upstream <url>            remote MCP server         [RXMCP_UPSTREAM]
  --header 'K: V'             header for the upstream (repeatable)
  --bearer-token <token>      require Authorization: Bearer <token>  [RXMCP_BEARER_TOKEN]
  --allowed-hosts <a,b>       accepted Host names, or 'any'   [RXMCP_ALLOWED_HOSTS] (localhost names)
  --allowed-origins <a,b>     accepted Origins, or 'any'      [RXMCP_ALLOWED_ORIGINS] (localhost names)
  --cors-origin <origin>      let pages of this origin call the proxy (CORS; repeatable;
                              '*' = any origin, no Origin check)  [RXMCP_CORS_ORIGINS: a,b] (none)
  --response-mode <m>         auto: one JSON body when the answer comes first (within 1 s),
                              else SSE; sse: always a resumable SSE stream; json: always
                              JSON, no streaming          [RXMCP_RESPONSE_MODE] (auto)
  --session-timeout <s>       end idle sessions after s seconds  [RXMCP_SESSION_TIMEOUT] (1800)
  --max-sessions <n>          most sessions (children) at once   [RXMCP_MAX_SESSIONS] (100)
  --env K=V                   variable for the child (repeatable); it gets a safe environment
  --inherit-env               pass this process's whole environment to the child
  --cwd <dir>                 the child's working directory
  --page                      serve a page at / that lists the tools and calls them live
${logging}
  --help                      print this help

GET /healthz answers {"status":"ok","sessions":N,"children":N,"uptimeSeconds":N}.
SIGINT/SIGTERM: sessions end, children are stopped (whole process tree), exit within 5 s.
A slow client pauses its child's stdout. For a tight memory budget, run with
NODE_OPTIONS=--optimize-for-size (docs/proxy.md).

${exitCodes}
`;

export const connectUsage = `Usage: rxmcp connect [options] <url>

Reads JSON-RPC on stdin and writes the server's messages on stdout (nothing else is ever
written to stdout). Reconnects, resumes streams and re-initializes an expired session.

Options:
  --header 'K: V'             request header (repeatable)   [RXMCP_HEADERS: one per line]
  --no-fallback               Streamable HTTP only (no legacy HTTP+SSE fallback)
${logging}
  --help                      print this help

  url may also come from RXMCP_URL.

${exitCodes}
`;
