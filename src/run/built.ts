/**
 * Paths of this installation's built files, for child processes (a runner in a network namespace, the
 * forwarder): the same whether the caller runs from dist/ or, in tests, from the TypeScript sources.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json and bin/capacity-test.js. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++, dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bin', 'capacity-test.js'))) return dir;
  }
  throw new Error('capacity-test: cannot find its own package root');
}

/** The CLI launcher, bin/capacity-test.js. */
export function cliPath(): string {
  return join(packageRoot(), 'bin', 'capacity-test.js');
}

/** A module of dist/ by its path from the repository root, e.g. 'src/run/netns-forwarder-main.js'. */
export function builtModule(rel: string): string {
  return join(packageRoot(), 'dist', rel);
}
