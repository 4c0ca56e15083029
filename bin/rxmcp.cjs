#!/usr/bin/env -S node --max-semi-space-size=2
'use strict';
// The flag caps V8's young generation at 2 MiB per semi-space (the default grows to 16-32 MiB
// under a burst): a proxy relaying 128 MiB then peaks at ~70 MiB RSS instead of 80-103 MiB,
// for a few more (cheap) scavenges. See docs/proxy.md, "Backpressure, end to end". `env -S`
// splits the line on Linux and macOS, and npm's Windows shims read it the same way.
// Thin launcher: the CLI lives in the built CommonJS output so `npx rxmcp` works without a
// TypeScript toolchain.
require('../dist/cjs/src/cli/main.js')
  .main(process.argv.slice(2), {
    version: require('../package.json').version,
    packageRoot: require('node:path').join(__dirname, '..'),
  })
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`rxmcp: ${error && error.stack ? error.stack : String(error)}\n`);
      process.exitCode = 1;
    },
  );
