import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../contracts/errors.js';
import { RUN_FILES } from './run-dir.js';

/**
 * faults.json: each fault the run injected into the portal (a profile's `faults`), when it was meant
 * to start and end, and when the portal acknowledged each change, in seconds from the run's start.
 */
export interface FaultRecord {
  kind: 'latency' | 'errors' | 'dbStall' | 'crash';
  label: string;
  /** simulated clock of its start and end */
  at: string;
  until: string;
  /** planned real seconds from the run's start: [fromSecond, toSecond) */
  fromSecond: number;
  toSecond: number;
  /** when the portal answered the change (a crash: answered before dying; its end: the portal ready again); null: never sent, or refused (see `error`) */
  appliedAtSecond: number | null;
  clearedAtSecond: number | null;
  error: string | null;
}

export interface FaultsFile { schemaVersion: 1; faults: FaultRecord[] }

/** The faults of a run directory; none when it has no faults.json. A malformed file is a usage error naming it. */
export function readFaultsFile(dir: string): FaultRecord[] {
  const path = join(dir, RUN_FILES.faults);
  if (!existsSync(path)) return [];
  let data: unknown;
  try { data = JSON.parse(readFileSync(path, 'utf8')); } catch (err) {
    throw new UsageError(`invalid ${path}: expected JSON, got ${(err as Error).message}`);
  }
  const faults = (data as Partial<FaultsFile> | null)?.faults;
  if (!Array.isArray(faults) || faults.some((f) => typeof f?.fromSecond !== 'number' || typeof f?.toSecond !== 'number' || typeof f?.label !== 'string')) {
    throw new UsageError(`invalid ${path}: expected { faults: [{ label, fromSecond, toSecond, … }] }, got ${JSON.stringify(data).slice(0, 80)}`);
  }
  return faults as FaultRecord[];
}
