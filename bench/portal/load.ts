import { Pool } from 'undici';

export interface Req { method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string }
export interface LoadResult {
  rate: number; seconds: number; sent: number; statuses: Record<string, number>; timeouts: number; errors: number;
  /** 2xx within the SLO, per second */
  goodput: number; p50Ms: number | null; p99Ms: number | null; lateStarts: number;
  /** p99 of the answers that were not shed (not 429/503), and of the sheds: how fast "come back later" came */
  admittedP99Ms: number | null; shedP99Ms: number | null;
}

function pct(xs: number[], p: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] * 10) / 10;
}

/**
 * An open-model load: `rate` arrivals per second for `seconds`, each one request, started on schedule
 * whether or not earlier ones finished (as the launch-day crowd did). Latency of every answer, counted by
 * status; goodput counts only 2xx within `sloMs`.
 */
export async function openLoop(o: { url: string; rate: number; seconds: number; request: (i: number) => Req; timeoutMs?: number; sloMs?: number; connections?: number }): Promise<LoadResult> {
  const pool = new Pool(o.url, { connections: o.connections ?? 512, pipelining: 1, headersTimeout: o.timeoutMs ?? 5000, bodyTimeout: o.timeoutMs ?? 5000 });
  const lat: number[] = [];
  const admittedLat: number[] = [];
  const shedLat: number[] = [];
  const statuses: Record<string, number> = {};
  let timeouts = 0, errors = 0, good = 0, sent = 0, lateStarts = 0;
  const total = Math.round(o.rate * o.seconds);
  const t0 = performance.now();
  const inflight: Array<Promise<void>> = [];
  const one = async (i: number): Promise<void> => {
    const r = o.request(i);
    const start = performance.now();
    try {
      const res = await pool.request({ method: r.method, path: r.path, headers: r.headers, body: r.body, signal: AbortSignal.timeout(o.timeoutMs ?? 5000) });
      await res.body.dump();
      const ms = performance.now() - start;
      statuses[res.statusCode] = (statuses[res.statusCode] ?? 0) + 1;
      lat.push(ms);
      (res.statusCode === 429 || res.statusCode === 503 ? shedLat : admittedLat).push(ms);
      if (res.statusCode < 300 && ms <= (o.sloMs ?? 1000)) good++;
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError' || /Timeout/.test((err as Error).constructor.name)) timeouts++;
      else errors++;
    }
  };
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / o.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    else if (wait < -50) lateStarts++;
    sent++;
    inflight.push(one(i));
  }
  await Promise.all(inflight);
  await pool.close();
  return { rate: o.rate, seconds: o.seconds, sent, statuses, timeouts, errors, goodput: Math.round(good / o.seconds), p50Ms: pct(lat, 50), p99Ms: pct(lat, 99), lateStarts, admittedP99Ms: pct(admittedLat, 99), shedP99Ms: pct(shedLat, 99) };
}

/** Closed model: `connections` clients back to back for `seconds`; the maximum rate a server gives. */
export async function closedLoop(o: { url: string; seconds: number; connections: number; request: (i: number) => Req }): Promise<{ rps: number; p99Ms: number | null; non2xx: number }> {
  const pool = new Pool(o.url, { connections: o.connections, pipelining: 1 });
  const end = performance.now() + o.seconds * 1000;
  const lat: number[] = [];
  let n = 0, non2xx = 0, i = 0;
  await Promise.all(Array.from({ length: o.connections }, async () => {
    while (performance.now() < end) {
      const r = o.request(i++);
      const s = performance.now();
      const res = await pool.request({ method: r.method, path: r.path, headers: r.headers, body: r.body });
      await res.body.dump();
      lat.push(performance.now() - s);
      if (res.statusCode >= 300) non2xx++;
      n++;
    }
  }));
  await pool.close();
  return { rps: Math.round(n / o.seconds), p99Ms: pct(lat, 99), non2xx };
}
