import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../contracts/errors.js';
import { RUN_FILES, type RunInfo, type ServerMetricsFile } from './run-dir.js';
import { windowsFileOf, type WindowsFile } from './windows-file.js';

/** A run directory's plain files, read and checked; its windows located (read as a stream by their reader). */
export interface RunDirFiles { dir: string; runInfo: RunInfo; windows: WindowsFile; server: ServerMetricsFile | null }

/** Read a run directory (docs/contracts.md#run-directory); a missing or malformed one is a usage error naming it. */
export function readRunDirFiles(runDir: string): RunDirFiles {
  const dir = resolve(runDir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`invalid run directory: expected a directory, got ${JSON.stringify(runDir)}`);
  const runPath = join(dir, RUN_FILES.run);
  if (!existsSync(runPath)) throw new UsageError(`invalid run directory ${JSON.stringify(runDir)}: expected ${RUN_FILES.run}, got no such file`);
  let runInfo: RunInfo;
  try {
    runInfo = JSON.parse(readFileSync(runPath, 'utf8')) as RunInfo;
  } catch (err) {
    throw new UsageError(`invalid ${runPath}: expected JSON, got ${(err as Error).message}`);
  }
  if (!runInfo || typeof runInfo !== 'object' || typeof runInfo.id !== 'string' || typeof runInfo.startedAt !== 'string') {
    throw new UsageError(`invalid ${runPath}: expected a run.json with id and startedAt, got ${JSON.stringify(runInfo).slice(0, 80)}`);
  }
  runInfo.extra ??= {};
  runInfo.engine ??= { name: 'capacity-test', version: 'unknown' };
  // A run whose process was killed (kill -9) left only the plain log it appended each second.
  const windows = windowsFileOf(dir);
  if (!windows) throw new UsageError(`invalid run directory ${JSON.stringify(runDir)}: expected ${RUN_FILES.windows}, got no such file`);
  const serverPath = join(dir, RUN_FILES.serverMetrics);
  let server: ServerMetricsFile | null = null;
  if (existsSync(serverPath)) {
    try {
      server = JSON.parse(readFileSync(serverPath, 'utf8')) as ServerMetricsFile;
      server.scrapes ??= []; server.reconcileTimeline ??= []; server.clock ??= []; server.reconcile ??= null;
    } catch (err) {
      throw new UsageError(`invalid ${serverPath}: expected JSON, got ${(err as Error).message}`);
    }
  }
  return { dir, runInfo, windows, server };
}
