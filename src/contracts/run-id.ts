import { basename } from 'node:path';

/**
 * The one form of a run id, the default name of a run directory: the UTC start to the second, then what
 * ran — 20261128-120501-launch-day, 20261128-120501-citizens (from citizens.ts), 20261128-120501-sweep —
 * so that `ls reports/` sorts by time.
 */
export function newRunId(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const what = basename(name).replace(/\.[cm]?[jt]s$/, '').replace(/[^A-Za-z0-9_-]+/g, '-');
  return `${stamp}-${what}`;
}
