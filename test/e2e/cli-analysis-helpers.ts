import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const root = join(import.meta.dirname, '..', '..');

/** The CLI built by test/global-setup.ts (one build for every test file). */
export function buildPrivateCli(): { bin: string; cleanup(): void } {
  return { bin: join(root, 'bin', 'capacity-test.js'), cleanup: () => undefined };
}

export function runCli(bin: string, args: string[], timeout = 90_000) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', timeout });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
