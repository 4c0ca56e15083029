// Runs the official MCP conformance suite (@modelcontextprotocol/conformance) against the rxmcp
// Streamable HTTP server (server-fixture.mjs: an SDK McpServer per session, hosted with
// toSdkTransport) and fails on any failed check, any warning, a scenario that produced no
// result, or a runner that exits non-zero.
//
//   node test/conformance/run-server.mjs                 every server scenario (--suite all)
//   node test/conformance/run-server.mjs <scenario ...>  only those
//
// The fixture runs in this process, on the Node that runs this script (the library's floor is
// Node 20). The suite's CLI needs Node >= 22, so it runs under the Node 22 binary that `npm ci`
// in test/conformance installed from the npm registry (the node-<platform>-<arch> package).
//
// Environment:
//   RXMCP_ENTRY                   the built library to test
//                                 (default: <repo>/dist/esm/src/index.js)
//   RXMCP_CONFORMANCE_RESULTS     where the runner writes checks.json per scenario
//                                 (default: a fresh folder in the OS temp dir)
//   RXMCP_CONFORMANCE_VERBOSE=1   print the runner's whole output, pass or fail
import { startConformanceServer } from './server-fixture.mjs';
import { nodeVersion, prepareRun, runServerSuite, summarise } from './support.mjs';

async function main() {
  const only = process.argv.slice(2);
  const { node22, cli, cliVersion, entry, resultsRoot } = prepareRun(
    'conformance:server',
    'rxmcp-conformance-server-',
  );
  const fixture = await startConformanceServer({ entry });
  console.log(
    `conformance ${cliVersion} on node ${version(node22)}; server on node ${process.version}; ` +
      `rxmcp from ${entry}`,
  );
  console.log(`server at ${fixture.url}; results in ${resultsRoot}`);

  let run;
  try {
    run = await runServerSuite('conformance server', {
      node22,
      cli,
      url: fixture.url,
      only,
      resultsRoot,
    });
  } finally {
    await fixture.close();
  }
  process.exitCode = summarise('conformance:server', run);
}

function version(path) {
  return nodeVersion('conformance:server', path);
}

await main();
