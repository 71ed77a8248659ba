import { existsSync, mkdtempSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { EnvironmentError, UsageError } from '../contracts/errors.js';

/**
 * Before any load starts (run, launch-day, sweep): can the run directory `dir` be written? Checked where
 * it will be made — the directory itself when it exists, else its nearest existing parent — by making and
 * removing an empty probe directory there, so a read-only file system, a missing permission or a full
 * disk are found now, and nothing is left behind. A file in the way is a bad value (exit 2); a directory
 * that cannot be written is the environment (exit 3; docs/contracts.md#exit-codes).
 */
export function checkOutDir(dir: string, flag = '--out'): void {
  const abs = resolve(dir);
  let at = abs;
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  if (!statSync(at).isDirectory()) {
    throw new UsageError(`invalid ${flag}: expected a directory, or a path where one can be made, got ${JSON.stringify(dir)} (${JSON.stringify(at)} is a file)`);
  }
  try {
    rmdirSync(mkdtempSync(join(at, '.capacity-test-probe-')));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EROFS' ? 'a read-only file system' : e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : e.code === 'ENOSPC' ? 'no space left' : (e.code ?? e.message);
    throw new EnvironmentError(`cannot write the run directory ${JSON.stringify(abs)} (${flag}): ${JSON.stringify(at)} is not writable (${why})`);
  }
}
