/**
 * A fixed share of a core for one process: its own cgroup with a CPU quota, so that a portal instance
 * measured on this machine (`--cpu-share`) and the fleet `verify` starts run under the same budget,
 * whatever else the machine is doing. cgroup v2 (`cpu.max`) where the cpu controller is on the unified
 * hierarchy, else cgroup v1 (`cpu.cfs_quota_us` / `cpu.cfs_period_us`, usage from `cpuacct`). Root only.
 *
 * The pure parts (parsing /proc/mounts and cpu.stat, choosing the quota) are exported for tests; the
 * rest writes under /sys/fs/cgroup.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentError, invalid } from '../contracts/errors.js';

/** The kernel's default CFS period; a quota below 1 ms is refused by the kernel. */
export const CFS_PERIOD_US = 100_000;
const MIN_QUOTA_US = 1_000;
/** The largest share accepted: cores of a large machine, not a typo's 50 (meaning 0.5?) on this one. */
export const MAX_CPU_SHARE = 64;

export interface CpuQuota { periodUs: number; quotaUs: number }

/** A share of one core (0.5 = half a core; 2 = two cores) as a CFS quota per period. */
export function cpuQuotaOf(share: number, flag = '--cpu-share'): CpuQuota {
  if (typeof share !== 'number' || !Number.isFinite(share) || share <= 0 || share > MAX_CPU_SHARE) {
    throw invalid(flag, `a share of one core, above 0 and at most ${MAX_CPU_SHARE} (0.5 = half a core)`, share);
  }
  const quotaUs = Math.round(share * CFS_PERIOD_US);
  if (quotaUs < MIN_QUOTA_US) throw invalid(flag, `at least ${MIN_QUOTA_US / CFS_PERIOD_US} of a core (the kernel's smallest quota is 1 ms per 100 ms)`, share);
  return { periodUs: CFS_PERIOD_US, quotaUs };
}

/** Commander argParser for `--cpu-share`: the message names the flag and the value. */
export function parseCpuShare(value: string, flag = '--cpu-share'): number {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(n)) throw invalid(flag, 'a share of one core, e.g. 0.5', value);
  cpuQuotaOf(n, flag);
  return n;
}

/** cgroup v2's `cpu.max` line for a quota. */
export function cpuMaxLine(q: CpuQuota): string {
  return `${q.quotaUs} ${q.periodUs}`;
}

export interface CgroupMounts {
  /** the cgroup2 mount point, if any */
  v2: string | null;
  /** cgroup v1 mount points of the cpu and cpuacct controllers (one directory when co-mounted) */
  v1cpu: string | null;
  v1cpuacct: string | null;
}

/** The cgroup mount points of /proc/mounts (octal escapes such as \040 decoded). */
export function parseCgroupMounts(procMounts: string): CgroupMounts {
  const out: CgroupMounts = { v2: null, v1cpu: null, v1cpuacct: null };
  for (const line of procMounts.split('\n')) {
    const [, rawPoint, type, options] = line.trim().split(/\s+/);
    if (!rawPoint || !type || !options) continue;
    const point = rawPoint.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    if (type === 'cgroup2') out.v2 ??= point;
    else if (type === 'cgroup') {
      const opts = options.split(',');
      if (opts.includes('cpu')) out.v1cpu ??= point;
      if (opts.includes('cpuacct')) out.v1cpuacct ??= point;
    }
  }
  return out;
}

export type CgroupLayout =
  | { version: 2; root: string }
  | { version: 1; cpu: string; cpuacct: string | null };

/**
 * Which hierarchy takes the quota: v2 when its root offers the cpu controller (`v2Controllers`, the
 * words of its cgroup.controllers), else v1's cpu controller; null with the reason when neither.
 */
export function chooseCgroupLayout(m: CgroupMounts, v2Controllers: readonly string[] | null): CgroupLayout | { error: string } {
  if (m.v2 && v2Controllers?.includes('cpu')) return { version: 2, root: m.v2 };
  if (m.v1cpu) return { version: 1, cpu: m.v1cpu, cpuacct: m.v1cpuacct };
  if (m.v2) return { error: `the cgroup v2 hierarchy at ${m.v2} does not offer the cpu controller (${join(m.v2, 'cgroup.controllers')}: "${(v2Controllers ?? []).join(' ')}") and no cgroup v1 cpu controller is mounted` };
  return { error: 'no cgroup filesystem with a cpu controller is mounted (neither cgroup2 nor cgroup v1 "cpu" in /proc/mounts)' };
}

/** `key value` lines (cpu.stat) as numbers. */
export function parseKeyValues(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/);
    if (k && v !== undefined && /^-?\d+$/.test(v)) out[k] = Number(v);
  }
  return out;
}

/** What the cgroup's own accounting says it used. */
export interface CpuUsage {
  /** CPU time used by the cgroup's processes, microseconds (null when the hierarchy keeps no usage) */
  usageUs: number | null;
  /** CFS periods in which the cgroup ran, and those in which it hit its quota */
  periods: number;
  throttledPeriods: number;
  throttledUs: number;
}

/** cpu.stat (and, on v1, cpuacct.usage in ns) → CpuUsage. */
export function cpuUsageOf(version: 1 | 2, cpuStat: string, cpuacctUsageNs: string | null): CpuUsage {
  const s = parseKeyValues(cpuStat);
  if (version === 2) {
    return { usageUs: s.usage_usec ?? null, periods: s.nr_periods ?? 0, throttledPeriods: s.nr_throttled ?? 0, throttledUs: s.throttled_usec ?? 0 };
  }
  const ns = cpuacctUsageNs !== null && /^\d+$/.test(cpuacctUsageNs.trim()) ? Number(cpuacctUsageNs.trim()) : null;
  return {
    usageUs: ns !== null ? ns / 1000 : (s.usage_usec ?? null),
    periods: s.nr_periods ?? 0, throttledPeriods: s.nr_throttled ?? 0, throttledUs: (s.throttled_time ?? 0) / 1000,
  };
}

/** The cgroup path of the cpu controller in /proc/<pid>/cgroup: v1's line naming cpu, else v2's `0::`. */
export function cpuCgroupPathOf(procCgroup: string, version: 1 | 2, controller: 'cpu' | 'cpuacct' = 'cpu'): string | null {
  for (const line of procCgroup.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line.trim());
    if (!m) continue;
    if (version === 2 && m[1] === '0' && m[2] === '') return m[3]!;
    if (version === 1 && m[2]!.split(',').includes(controller)) return m[3]!;
  }
  return null;
}

/**
 * The most a cgroup with this quota may have used over `periods` CFS periods: one period of slack for the
 * one in progress, and 5% for the kernel's bandwidth slices (a group may overrun a period by a slice,
 * paid back from the next).
 */
export function quotaCeilingUs(q: CpuQuota, periods: number): number {
  return q.quotaUs * (periods + 1) * 1.05;
}

// ——— the I/O side ———

const PARENT = 'capacity-test';
let counter = 0;

/** The pid a leaf's name starts with (`<pid>-<n>-<time>`), null for any other name. */
export function leafOwner(name: string): number | null {
  const m = /^(\d+)-\d+-[0-9a-z]+$/.exec(name);
  return m ? Number(m[1]) : null;
}

/**
 * Empty leaves left by a process that was killed before it could remove them (SIGKILL runs no exit
 * handler): removed when the next cgroup is made. rmdir refuses a cgroup that still holds a process.
 */
function removeStaleLeaves(parent: string): void {
  let names: string[];
  try { names = readdirSync(parent, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name); } catch { return; }
  for (const name of names) {
    const pid = leafOwner(name);
    if (pid === null || pid === process.pid || existsSync(`/proc/${pid}`)) continue;
    try { rmdirSync(join(parent, name)); } catch { /* still in use, or gone: leave it */ }
  }
}

function readOr(path: string): string | null {
  try { return readFileSync(path, 'utf8'); } catch { return null; }
}

function why(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ? `${e.code}: ${e.message}` : String(err);
}

/** The cgroup layout of this machine, or an EnvironmentError naming what is missing. */
export function cgroupLayout(): CgroupLayout {
  const mounts = parseCgroupMounts(readOr('/proc/mounts') ?? '');
  const controllers = mounts.v2 ? (readOr(join(mounts.v2, 'cgroup.controllers'))?.trim().split(/\s+/).filter(Boolean) ?? null) : null;
  const layout = chooseCgroupLayout(mounts, controllers);
  if ('error' in layout) throw new EnvironmentError(`--cpu-share needs a cgroup CPU quota, but ${layout.error}`);
  return layout;
}

/** Root and a cgroup cpu controller, or an EnvironmentError (exit 3) naming what is missing: checked before any load starts. */
export function checkCpuCgroups(): CgroupLayout {
  const uid = process.getuid?.();
  if (uid !== undefined && uid !== 0) throw new EnvironmentError(`--cpu-share needs root to create a cgroup with a CPU quota (running as uid ${uid})`);
  return cgroupLayout();
}

/** One process's cgroup with a CPU quota; `wrap` starts a command inside it, `remove` deletes it. */
export interface CpuCgroup {
  share: number;
  quota: CpuQuota;
  version: 1 | 2;
  /** the cgroup directories (v1: cpu and, when mounted apart, cpuacct) */
  dirs: string[];
  /** `cmd args…` as a command that joins the cgroup before it execs, so not one instruction runs outside the quota */
  wrap(cmd: string, args: readonly string[]): [string, string[]];
  /** put a running process in the cgroup */
  add(pid: number): void;
  /** move a process put in with `add` back where it was, then remove the cgroup (a process cannot delete its own cgroup) */
  release(pid: number): void;
  usage(): CpuUsage;
  /** delete the cgroup (its processes must have exited); never throws */
  remove(): void;
}

function write(path: string, text: string, what: string): void {
  try {
    writeFileSync(path, text);
  } catch (err) {
    throw new EnvironmentError(`--cpu-share: cannot ${what} (${path}): ${why(err)}`);
  }
}

/**
 * A new cgroup under `<hierarchy>/capacity-test/` with a quota of `share` of one core. Needs root; an
 * EnvironmentError (exit 3) naming the problem otherwise.
 */
export function createCpuCgroup(share: number, layout?: CgroupLayout): CpuCgroup {
  const quota = cpuQuotaOf(share);
  const found = checkCpuCgroups();
  layout ??= found;
  const name = `${process.pid}-${++counter}-${Date.now().toString(36)}`;
  const dirs: string[] = [];
  const made: string[] = [];
  const mk = (dir: string): void => {
    try {
      mkdirSync(dir, { recursive: true });
      made.push(dir);
    } catch (err) {
      throw new EnvironmentError(`--cpu-share: cannot create the cgroup ${dir}: ${why(err)}`);
    }
  };
  const remove = (): void => {
    for (const d of [...made].reverse()) { try { rmdirSync(d); } catch { /* busy or gone: best effort */ } }
    made.length = 0;
  };
  try {
    if (layout.version === 2) {
      const parent = join(layout.root, PARENT);
      // the cpu controller must be enabled for the children of the root and of our parent
      write(join(layout.root, 'cgroup.subtree_control'), '+cpu', `enable the cpu controller in ${layout.root}`);
      // the parent is shared by concurrent runs and stays (empty, harmless); only our leaf is removed
      if (!existsSync(parent)) {
        try { mkdirSync(parent, { recursive: true }); } catch (err) { throw new EnvironmentError(`--cpu-share: cannot create the cgroup ${parent}: ${why(err)}`); }
      }
      write(join(parent, 'cgroup.subtree_control'), '+cpu', `enable the cpu controller in ${parent}`);
      removeStaleLeaves(parent);
      const dir = join(parent, name);
      mk(dir);
      dirs.push(dir);
      write(join(dir, 'cpu.max'), cpuMaxLine(quota), 'set cpu.max');
    } else {
      removeStaleLeaves(join(layout.cpu, PARENT));
      if (layout.cpuacct && layout.cpuacct !== layout.cpu) removeStaleLeaves(join(layout.cpuacct, PARENT));
      const dir = join(layout.cpu, PARENT, name);
      mk(dir);
      dirs.push(dir);
      write(join(dir, 'cpu.cfs_period_us'), String(quota.periodUs), 'set cpu.cfs_period_us');
      write(join(dir, 'cpu.cfs_quota_us'), String(quota.quotaUs), 'set cpu.cfs_quota_us');
      if (layout.cpuacct && layout.cpuacct !== layout.cpu) {
        const acct = join(layout.cpuacct, PARENT, name);
        mk(acct);
        dirs.push(acct);
      }
    }
  } catch (err) {
    remove();
    throw err;
  }
  const procsFiles = dirs.map((d) => join(d, 'cgroup.procs'));
  const roots = layout.version === 2 ? [layout.root] : [layout.cpu, ...(dirs.length > 1 && layout.cpuacct ? [layout.cpuacct] : [])];
  const controllers = ['cpu', 'cpuacct'] as const;
  const before = new Map<number, string[]>();
  const acctDir = layout.version === 1 ? (layout.cpuacct === layout.cpu ? dirs[0] : dirs[1]) : undefined;
  return {
    share, quota, version: layout.version, dirs,
    wrap: (cmd, args) => ['/bin/sh', ['-c', 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"', 'sh', ...procsFiles, '--', cmd, ...args]],
    add: (pid) => {
      const own = readOr(`/proc/${pid}/cgroup`) ?? '';
      before.set(pid, roots.map((r, i) => join(r, cpuCgroupPathOf(own, layout.version, controllers[i]) ?? '/')));
      for (const f of procsFiles) write(f, String(pid), `move process ${pid} into the cgroup`);
    },
    release: (pid) => {
      for (const d of before.get(pid) ?? roots) { try { writeFileSync(join(d, 'cgroup.procs'), String(pid)); } catch { /* gone: best effort */ } }
      before.delete(pid);
      remove();
    },
    usage: () => cpuUsageOf(layout.version, readOr(join(dirs[0], 'cpu.stat')) ?? '', acctDir ? readOr(join(acctDir, 'cpuacct.usage')) : null),
    remove: () => {
      remove();
      dirs.length = 0;
    },
  };
}

/**
 * Remove a cgroup once its last process has gone, when this process cannot wait (it is exiting): a
 * detached shell retries for a few seconds. Used from `process.on('exit')`, where nothing async runs.
 */
export function removeCgroupLater(dirs: readonly string[]): void {
  if (dirs.length === 0) return;
  const script = `for i in 1 2 3 4 5 6 7 8 9 10; do rmdir ${[...dirs].reverse().map((d) => `'${d}'`).join(' ')} 2>/dev/null && exit 0; sleep 0.5; done`;
  try { spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore' }).unref(); } catch { /* best effort */ }
}
