#!/usr/bin/env node
'use strict';
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
