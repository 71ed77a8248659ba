import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Build once before any test file runs: e2e tests start the real CLI from dist/, and the engine
 * resolves scenarios' `import 'capacity-test'` to dist/src/scenario-api. One build for everyone, so no
 * test file rewrites dist/ under another's feet.
 */
export default function setup(): void {
  if (process.env.CAPACITY_TEST_SKIP_BUILD === '1') return;
  const root = join(import.meta.dirname, '..');
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
}
