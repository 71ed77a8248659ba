#!/usr/bin/env node
// Launcher only: the CLI lives in src/cli and is compiled to dist/ by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('capacity-test is not built yet: run `npm run setup` (or `npm run build`) first.\n');
  process.exit(3);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv);
