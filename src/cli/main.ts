import { createLogger } from './logger.js';
import { parseConnectArgs, parseProxyArgs } from './parseArgs.js';
import { runConnect } from './runConnect.js';
import { runProxy } from './runProxy.js';
import { connectUsage, mainUsage, proxyUsage } from './usage.js';

/** What the launcher knows that the CLI needs. */
export interface CliContext {
  /** The package version, printed by `--version`. */
  readonly version: string;
  /** Environment variables (`RXMCP_*`) that stand in for omitted flags. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * The installed package's folder, where `--page` finds the page (`examples/page`) and the
   * browser build (`dist/browser`). The launcher passes it; without it `--page` is refused.
   * @default undefined
   */
  readonly packageRoot?: string;
}

/** Exit codes of the `rxmcp` command. */
export const ExitCode = { ok: 0, failure: 1, usage: 2 } as const;

/**
 * Runs the `rxmcp` command with the given arguments (without `node` and the script path) and
 * resolves to the process exit code: 0 normal shutdown, 1 runtime failure, 2 usage error.
 */
export async function main(argv: readonly string[], context: CliContext): Promise<number> {
  const [first, ...rest] = argv;
  const env = context.env ?? process.env;
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${context.version}\n`);
    return ExitCode.ok;
  }
  if (first === undefined || first === '--help' || first === '-h') {
    process.stdout.write(mainUsage);
    return ExitCode.ok;
  }
  if (first === 'proxy') {
    const config = parseProxyArgs(rest, env);
    if (config.isErr()) return usageError('proxy', config.error);
    if (config.value.help) {
      process.stdout.write(proxyUsage);
      return ExitCode.ok;
    }
    if (config.value.page && context.packageRoot === undefined) {
      return usageError('proxy', '--page needs the launcher to say where the package is.');
    }
    return runProxy(
      config.value,
      createLogger({ level: config.value.logLevel, format: config.value.logFormat }),
      context.packageRoot,
    );
  }
  if (first === 'connect') {
    const config = parseConnectArgs(rest, env);
    if (config.isErr()) return usageError('connect', config.error);
    if (config.value.help) {
      // stdout is the JSON-RPC channel only while connected; help is an answer to a human.
      process.stdout.write(connectUsage);
      return ExitCode.ok;
    }
    return runConnect(
      config.value,
      createLogger({ level: config.value.logLevel, format: config.value.logFormat }),
    );
  }
  process.stderr.write(`rxmcp: unknown command '${first}'. Run 'rxmcp --help' for the commands.\n`);
  return ExitCode.usage;
}

function usageError(command: string, message: string): number {
  process.stderr.write(
    `rxmcp ${command}: ${message}\nRun 'rxmcp ${command} --help' for the options.\n`,
  );
  return ExitCode.usage;
}
