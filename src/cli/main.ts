/** What the launcher knows that the CLI needs. */
export interface CliContext {
  /** The package version, printed by `--version`. */
  readonly version: string;
}

const usage = `Usage: rxmcp <command> [options]

Commands:
  proxy      serve a stdio MCP server over Streamable HTTP (coming with the proxy issue)
  connect    bridge a stdio MCP client to a remote server (coming with the proxy issue)

Options:
  --version  print the version and exit
  --help     print this help and exit

Exit codes: 0 success, 1 runtime failure, 2 usage error.
`;

/**
 * Runs the `rxmcp` command with the given arguments (without `node` and the script path) and
 * resolves to the process exit code.
 */
export async function main(argv: readonly string[], context: CliContext): Promise<number> {
  const [first] = argv;
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${context.version}\n`);
    return 0;
  }
  if (first === undefined || first === '--help' || first === '-h') {
    process.stdout.write(usage);
    return 0;
  }
  process.stderr.write(
    `rxmcp: '${first}' is not available in this version. Run 'rxmcp --help' for the commands.\n`,
  );
  return 2;
}
