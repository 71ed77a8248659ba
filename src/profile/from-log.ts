import { UsageError } from '../contracts/errors.js';
import type { ProfileInput } from './schema.js';
import { formatClock } from './figures.js';

/**
 * Combined Log Format → arrivals per minute per route, and a profile that replays that shape.
 * `127.0.0.1 - - [28/Nov/2026:09:00:01 +0530] "POST /api/v1/register HTTP/1.1" 201 123 "-" "ua"`
 * Times are taken as written (the server's local clock is the simulated day's clock).
 */
export interface LogLine { minuteOfDay: number; dayIndex: number; route: string; status: number }

const LINE = /^\S+ \S+ \S+ \[(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?: [+-]\d{4})?\] "(\w+) (\S+)(?: [^"]*)?" (\d{3}) \S+/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** A path's route: no query, ids (numbers, uuids, long hex or mixed tokens) become {id}. */
export function routeOf(method: string, target: string): string {
  const path = target.split('?')[0];
  const parts = path.split('/').map((seg) =>
    /^\d+$/.test(seg) || /^[0-9a-f]{8}-[0-9a-f-]{27}$/i.test(seg) || /^(?=.*\d)[A-Za-z0-9_-]{12,}$/.test(seg) ? '{id}' : seg);
  return `${method.toUpperCase()} ${parts.join('/')}`;
}

export function parseCombinedLog(text: string): { lines: LogLine[]; skipped: number } {
  const lines: LogLine[] = [];
  let skipped = 0;
  let firstDay: number | undefined;
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    const m = LINE.exec(raw);
    const month = m ? MONTHS.indexOf(m[2].toLowerCase()) : -1;
    if (!m || month < 0) { skipped++; continue; }
    const day = Math.floor(Date.UTC(Number(m[3]), month, Number(m[1])) / 86_400_000);
    firstDay ??= day;
    lines.push({ minuteOfDay: Number(m[4]) * 60 + Number(m[5]), dayIndex: day - firstDay, route: routeOf(m[7], m[8]), status: Number(m[9]) });
  }
  return { lines, skipped };
}

export function logToProfile(text: string, name = 'from-log'): { profile: ProfileInput; routes: string[]; skipped: number } {
  const { lines, skipped } = parseCombinedLog(text);
  if (lines.length === 0) throw new UsageError(`invalid access log ${name}: expected lines in combined log format, got ${skipped} unreadable line(s)`);
  const abs = lines.map((l) => l.dayIndex * 1440 + l.minuteOfDay);
  const start = Math.min(...abs);
  const end = Math.max(...abs);
  if (end - start >= 1440) throw new UsageError(`invalid access log ${name}: expected at most one day, got ${Math.ceil((end - start) / 1440)} days`);
  const minutes: Record<string, number>[] = Array.from({ length: end - start + 1 }, () => ({}));
  const routes = new Set<string>();
  lines.forEach((l, k) => {
    const row = minutes[abs[k] - start];
    row[l.route] = (row[l.route] ?? 0) + 1;
    routes.add(l.route);
  });
  const registrations = lines.filter((l) => l.route === 'POST /api/v1/register').length;
  return {
    profile: {
      name, description: `arrivals per minute per route from ${name} (${lines.length} requests)`,
      ...(registrations > 0 ? { registrations } : {}),
      // orders come from the log too, so the default 29,000 never dwarfs a small log's registrations
      orders: lines.filter((l) => l.route === 'POST /api/v1/orders').length,
      measured: { start: formatClock(start % 1440), minutes },
    },
    routes: [...routes].sort(),
    skipped,
  };
}
