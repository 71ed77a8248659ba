/**
 * k6's `--out json` files where `report`, `merge` and `gate` take a run directory: the files are read
 * into a run directory first (src/run/k6-results.ts), which is then a run like any other.
 */
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { UsageError } from '../contracts/errors.js';
import { newRunId } from '../contracts/run-id.js';
import { importK6Results, isK6ResultsFile, type K6ImportResult } from '../run/k6-results.js';

export { isK6ResultsFile };

/** An empty file: what k6 writes for a runner that recorded nothing (Metric lines come with the first sample). */
async function isEmptyFile(path: string): Promise<boolean> {
  try { return (await stat(path)).isFile() && (await stat(path)).size === 0; } catch { return false; }
}

/**
 * Which of `paths` are k6 results files; all or none, else a usage error naming the odd one. An empty
 * file goes with the others (a runner whose share had nothing to run).
 */
export async function k6FilesOf(paths: readonly string[], what: string): Promise<boolean> {
  const flags = await Promise.all(paths.map(isK6ResultsFile));
  if (flags.every((f) => !f)) return false;
  const empty = await Promise.all(paths.map(isEmptyFile));
  const odd = paths.find((_, k) => !flags[k] && !empty[k]);
  if (odd !== undefined) throw new UsageError(`invalid ${what} ${odd}: expected k6 results files like the others (${paths.filter((_, k) => flags[k]).join(', ')}), got something else (a run directory? read its runs separately)`);
  return true;
}

/** Read k6 results into `outDir` (default reports/<run-id>-k6); the run directory's path and what was read. */
export async function runDirOfK6(files: readonly string[], outDir: string | undefined, command: string): Promise<{ dir: string; imported: K6ImportResult }> {
  const dir = outDir ?? join('reports', newRunId('k6-results'));
  const imported = await importK6Results(files, dir, { command });
  return { dir, imported };
}

/** A throwaway run directory of k6 results (for `gate`, which reads only the summary). */
export async function tempRunDirOfK6(file: string, role: string): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'ct-k6-')), basename(file).replace(/[^A-Za-z0-9_.-]+/g, '-'));
  await importK6Results([file], dir, { command: `gate --${role} ${file}` });
  return dir;
}

/** One line saying what k6 does not record, for the terminal. */
export function notRecordedLine(r: K6ImportResult): string {
  const missing = (r.runInfo.extra.notRecorded as string[] | undefined) ?? [];
  const late = r.late ? `; ${r.late} samples came more than the reorder window late (kept, as late windows)` : '';
  return `k6 results: ${r.points} samples read${late}${missing.length ? `; not recorded by k6, left empty in the report: ${missing.join(', ')}` : ''}`;
}
