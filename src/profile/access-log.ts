/**
 * Reading an access log: Combined Log Format or JSON lines (one object a line, as nginx's json
 * log_format, Caddy, Express loggers write them), told apart per file by its first non-empty line.
 * Pure: text in, requests out. Times are taken as written (the server's local clock is the simulated
 * day's clock), whichever offset the line carries.
 *
 *   combined   `127.0.0.1 - - [28/Nov/2026:09:00:01 +0530] "POST /api/v1/register HTTP/1.1" 201 123 "-" "ua"`
 *   JSON line  `{"time":"2026-11-28T09:00:01+05:30","method":"POST","path":"/api/v1/register","status":201}`
 */
export interface LogLine { minuteOfDay: number; dayIndex: number; route: string; status: number }
export type LogFormat = 'combined' | 'json';
export interface ParsedLog {
  format: LogFormat;
  lines: LogLine[];
  /** non-empty lines that could not be read */
  skipped: number;
  /** 1-based line number of the first of them, null when every line was read */
  firstBadLine: number | null;
}

const COMBINED = /^\S+ \S+ \S+ \[([^\]]+)\] "(\w+) (\S+)(?: [^"]*)?" (\d{3}) \S+/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const CLF_TIME = /^(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?: [+-]\d{4})?$/;
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/i;

// Field names as common loggers write them, in the order they are tried.
const TIME_FIELDS = ['time', 'time_local', 'time_iso8601', 'timestamp', '@timestamp'];
const METHOD_FIELDS = ['method', 'request_method'];
const PATH_FIELDS = ['path', 'uri', 'request_uri', 'url'];
const STATUS_FIELDS = ['status', 'status_code'];

/** A written time (ISO 8601 or the combined log's `28/Nov/2026:09:00:01 +0530`) → its day and minute as written. */
export function readLogTime(text: string): { day: number; minuteOfDay: number } | null {
  const c = CLF_TIME.exec(text.trim());
  const iso = c ? null : ISO_TIME.exec(text.trim());
  const parts = c
    ? { y: Number(c[3]), mo: MONTHS.indexOf(c[2].toLowerCase()), d: Number(c[1]), h: Number(c[4]), mi: Number(c[5]) }
    : iso ? { y: Number(iso[1]), mo: Number(iso[2]) - 1, d: Number(iso[3]), h: Number(iso[4]), mi: Number(iso[5]) } : null;
  if (!parts || parts.mo < 0 || parts.mo > 11 || parts.d < 1 || parts.d > 31 || parts.h > 23 || parts.mi > 59) return null;
  return { day: Math.floor(Date.UTC(parts.y, parts.mo, parts.d) / 86_400_000), minuteOfDay: parts.h * 60 + parts.mi };
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/**
 * Whether a path segment is an id (so 50 orders make one route, not 50): numbers, uuids, and tokens of
 * letters, digits, `-` and `_` that carry digits the way ids do — long (12+), four or more digits
 * (`ORD-2026-000123`, `BK7731`), letters and digits alternating (`a1b2c3d4`), or more digits than
 * letters (`u123`). Words keep their few digits (`v1`, `oauth2`, `i18n`, `sha256`); anything with a dot
 * or other punctuation (`app.js`) is a word.
 */
export function isIdSegment(seg: string): boolean {
  if (/^\d+$/.test(seg) || UUID.test(seg)) return true;
  if (!/^[A-Za-z0-9_-]+$/.test(seg)) return false;
  const digits = seg.replace(/\D/g, '').length;
  if (digits === 0) return false;
  const letters = seg.replace(/[^A-Za-z]/g, '').length;
  const runs = seg.replace(/[-_]/g, '').match(/[A-Za-z]+|\d+/g)?.length ?? 0;
  return seg.length >= 12 || digits >= 4 || runs >= 4 || digits > letters;
}

/** A request's route: no query, no scheme and host, ids become {id}. */
export function routeOf(method: string, target: string): string {
  const path = target.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').split(/[?#]/)[0] || '/';
  return `${method.toUpperCase()} ${path.split('/').map((seg) => (isIdSegment(seg) ? '{id}' : seg)).join('/')}`;
}

function status(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{3}$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isInteger(n) && n >= 100 && n <= 599 ? n : null;
}

function pick(o: Record<string, unknown>, fields: readonly string[]): string | undefined {
  for (const f of fields) if (typeof o[f] === 'string' && (o[f] as string).length > 0) return o[f] as string;
  return undefined;
}

function combinedLine(raw: string): Omit<LogLine, 'dayIndex'> & { day: number } | null {
  const m = COMBINED.exec(raw);
  const time = m ? readLogTime(m[1]) : null;
  const s = m ? status(m[4]) : null;
  return m && time && s !== null ? { ...time, route: routeOf(m[2], m[3]), status: s } : null;
}

function jsonLine(raw: string): Omit<LogLine, 'dayIndex'> & { day: number } | null {
  let o: unknown;
  try { o = JSON.parse(raw); } catch { return null; }
  if (!o || typeof o !== 'object' || Array.isArray(o)) return null;
  const rec = o as Record<string, unknown>;
  const timeText = pick(rec, TIME_FIELDS);
  const time = timeText === undefined ? null : readLogTime(timeText);
  const request = typeof rec.request === 'string' ? /^(\w+) (\S+)/.exec(rec.request) : null;
  const method = pick(rec, METHOD_FIELDS) ?? request?.[1];
  const path = pick(rec, PATH_FIELDS) ?? request?.[2];
  let s: number | null = null;
  for (const f of STATUS_FIELDS) if (rec[f] !== undefined) { s = status(rec[f]); break; }
  if (!time || !method || !/^[A-Za-z]+$/.test(method) || !path || s === null) return null;
  return { ...time, route: routeOf(method, path), status: s };
}

/** Which format a log is in: JSON lines when its first non-empty line starts with `{`. */
export function logFormat(text: string): LogFormat {
  const first = text.split('\n').find((l) => l.trim() !== '');
  return first?.trimStart().startsWith('{') ? 'json' : 'combined';
}

export function parseAccessLog(text: string, format: LogFormat = logFormat(text)): ParsedLog {
  const read = format === 'json' ? jsonLine : combinedLine;
  const lines: LogLine[] = [];
  let skipped = 0;
  let firstBadLine: number | null = null;
  let firstDay: number | undefined;
  text.split('\n').forEach((raw, i) => {
    if (!raw.trim()) return;
    const r = read(raw.replace(/\r$/, ''));
    if (!r) { skipped++; firstBadLine ??= i + 1; return; }
    firstDay ??= r.day;
    lines.push({ minuteOfDay: r.minuteOfDay, dayIndex: r.day - firstDay, route: r.route, status: r.status });
  });
  return { format, lines, skipped, firstBadLine };
}

/** 2xx and 3xx (and the rare 1xx) were served; 4xx and 5xx were not, and are no demand served of that kind. */
export type StatusClass = 'served' | 'clientError' | 'serverError';
export function statusClass(s: number): StatusClass {
  return s >= 500 ? 'serverError' : s >= 400 ? 'clientError' : 'served';
}
