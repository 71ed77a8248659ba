/**
 * Sends a run's faults (src/profile/faults.ts) to the portal's `POST /admin/faults` at their seconds
 * of the run, counted from the engine's common start (its `start` event), and takes each away at its
 * end; whatever is still applied when the run ends is taken away then. What happened — when the portal
 * acknowledged each change, or why it refused — is what the run directory's faults.json records.
 */
import type { EngineObserver } from '../engine/index.js';
import type { FaultStep, FaultsBody } from '../profile/index.js';
import type { FaultRecord } from '../rundir/index.js';
import { adminPost } from './portal-admin.js';

export interface FaultSchedule {
  observer: EngineObserver;
  /** after the run: every timer stopped, every applied fault cleared; the records for faults.json */
  finish(): Promise<FaultRecord[]>;
}

export type PostFaults = (body: FaultsBody) => Promise<void>;

/** POST /admin/faults with the admin token; a refusal is an error naming the status and the portal's message. */
export function portalFaults(target: string, adminToken: string): PostFaults {
  return adminPost(target, adminToken, '/admin/faults');
}

/**
 * `restart` starts the portal again after a crash (launch-day's embedded portal, same port and
 * database); without it a crash step is refused before the run (src/run/launch-day.ts).
 */
export function scheduleFaults(steps: readonly FaultStep[], post: PostFaults, now: () => number = Date.now,
  log: (line: string) => void = () => {}, restart?: (elapsedSeconds: number) => Promise<void>): FaultSchedule {
  const records: FaultRecord[] = steps.map((s) => ({
    kind: s.kind, label: s.label, at: s.at, until: s.until, fromSecond: s.fromSecond, toSecond: s.toSecond,
    appliedAtSecond: null, clearedAtSecond: null, error: null,
  }));
  const timers: NodeJS.Timeout[] = [];
  const pending = new Set<Promise<void>>();
  let startedAtMs: number | null = null;
  const elapsed = () => Math.round((now() - startedAtMs!) / 10) / 100;

  const send = (i: number, phase: 'set' | 'clear'): void => {
    const r = records[i];
    if (phase === 'clear' && (r.appliedAtSecond === null || r.clearedAtSecond !== null)) return;
    const change = steps[i][phase];
    const sent = change === 'restart'
      ? (restart ? restart(elapsed()) : Promise.reject(new Error('nothing can start this portal again')))
      : post(change);
    const p = sent.then(() => {
      if (phase === 'set') { r.appliedAtSecond = elapsed(); log(`fault on at ${r.at} (${r.appliedAtSecond} s): ${r.label}`); }
      else { r.clearedAtSecond = elapsed(); log(`fault off at ${r.until} (${r.clearedAtSecond} s): ${r.label}`); }
    }, (err: Error) => {
      r.error ??= `${phase === 'set' ? 'could not start' : 'could not end'} it: ${err.message}`;
      log(`fault ${r.label}: ${r.error}`);
    }).finally(() => pending.delete(p));
    pending.add(p);
  };

  const observer: EngineObserver = (events) => {
    events.once('start', (e) => {
      startedAtMs = e.startedAtMs;
      steps.forEach((s, i) => {
        timers.push(setTimeout(() => send(i, 'set'), Math.max(0, e.startedAtMs + s.fromSecond * 1000 - now())));
        timers.push(setTimeout(() => send(i, 'clear'), Math.max(0, e.startedAtMs + s.toSecond * 1000 - now())));
      });
    });
  };

  return {
    observer,
    async finish() {
      for (const t of timers) clearTimeout(t);
      await Promise.all([...pending]);
      if (startedAtMs !== null) records.forEach((_, i) => send(i, 'clear'));
      await Promise.all([...pending]);
      return records;
    },
  };
}
