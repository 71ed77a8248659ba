import type { ServerScrape } from '../rundir/run-dir.js';

/** Per chart bucket: the portal's queue, waiting room, event-loop lag (ms) and CPU (%) from its scrapes (the largest of a bucket). */
export function serverSeries(scrapes: ServerScrape[], width: number, nb: number) {
  const names = new Set<string>();
  for (const s of scrapes) for (const n of Object.keys(s.samples)) names.add(n);
  const all = [...names];
  const queueName = all.find((n) => /queue.*(depth|length|size)|queue$/i.test(n));
  const lagName = all.find((n) => /event_?loop_lag_p99/i.test(n)) ?? all.find((n) => /event_?loop_lag(_seconds)?$/i.test(n));
  const cpuName = all.find((n) => n === 'process_cpu_seconds_total');
  const waitingName = all.find((n) => /waiting_room_(size|length|depth)/i.test(n));
  const maxIn = (f: (s: ServerScrape, i: number) => number | null) => {
    const out = new Array<number | null>(nb).fill(null);
    scrapes.forEach((s, i) => {
      const v = f(s, i);
      const b = Math.floor(s.t / width);
      if (v === null || b < 0 || b >= nb) return;
      out[b] = out[b] === null ? v : Math.max(out[b]!, v);
    });
    return out;
  };
  const total = (s: ServerScrape, n: string) => {
    const xs = s.samples[n];
    if (!xs || xs.length === 0) return null;
    // A series labelled "all" is the portal's own total (portal_queue_depth{shop="all"}): don't add it twice.
    const all = xs.find((x) => Object.values(x.labels).includes('all'));
    return all ? all.value : xs.reduce((a, x) => a + x.value, 0);
  };
  const sorted = [...scrapes].sort((a, b) => a.at - b.at);
  return {
    queue: queueName ? maxIn((s) => total(s, queueName)) : null,
    waitingRoom: waitingName ? maxIn((s) => total(s, waitingName)) : null,
    lagMs: lagName ? maxIn((s) => { const xs = s.samples[lagName]; return xs?.length ? Math.max(...xs.map((x) => x.value)) * 1000 : null; }) : null,
    cpu: cpuName ? (() => {
      const out = new Array<number | null>(nb).fill(null);
      for (let i = 1; i < sorted.length; i++) {
        const a = total(sorted[i - 1], cpuName), c = total(sorted[i], cpuName);
        const dt = (sorted[i].at - sorted[i - 1].at) / 1000;
        const b = Math.floor(sorted[i].t / width);
        if (a === null || c === null || dt <= 0 || b >= nb) continue;
        const pct = ((c - a) / dt) * 100;
        out[b] = out[b] === null ? pct : Math.max(out[b]!, pct);
      }
      return out;
    })() : null,
  };
}
