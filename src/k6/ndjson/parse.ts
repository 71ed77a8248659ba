/**
 * One line of k6's `--out json` results (k6's documented format, docs/k6.md "k6 results in"):
 *
 *   {"type":"Metric","data":{"name":"http_req_duration","type":"trend","contains":"time","thresholds":["p(95)<500"],"submetrics":[…]},"metric":"http_req_duration"}
 *   {"type":"Point","data":{"time":"2026-12-03T08:00:01.123456789+05:30","value":12.5,"tags":{"name":"GET /x","status":"200"}},"metric":"http_req_duration"}
 *
 * A Metric line declares a metric once, before its first point: its kind and the thresholds the
 * script gave it. Pure: text in, a value or an error naming the line out.
 */
import type { MetricKind } from '../../metrics/index.js';
import { parseK6Time } from './time.js';

export interface K6MetricLine {
  type: 'Metric';
  name: string;
  kind: MetricKind;
  /** k6's `contains`: "time" (ms), "data" (bytes) or "default" */
  contains: string;
  /** the threshold expressions of the metric itself (k6's thresholds sources) */
  thresholds: string[];
  /** submetrics with their thresholds, keyed by their name (`http_req_duration{name:x}`); empty lists when the file gives none */
  submetrics: Array<{ name: string; thresholds: string[] }>;
}

export interface K6PointLine {
  type: 'Point';
  metric: string;
  /** epoch ms */
  time: number;
  value: number;
  tags: Record<string, string>;
}

export type K6Line = K6MetricLine | K6PointLine;

/** A line that is not k6's JSON output: the line number and what was expected, for an exit 2. */
export class K6ResultsLineError extends Error {
  constructor(readonly lineNo: number, readonly reason: string) {
    super(`line ${lineNo}: ${reason}`);
    this.name = 'K6ResultsLineError';
  }
}

const KINDS: ReadonlySet<string> = new Set(['counter', 'gauge', 'rate', 'trend']);

const shown = (v: unknown): string => {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}…` : s;
};

/** Threshold sources as k6 writes them: strings, or objects with `threshold`/`source`. */
function thresholdList(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  const out: string[] = [];
  for (const t of v) {
    if (typeof t === 'string') out.push(t);
    else if (t && typeof t === 'object') {
      const o = t as Record<string, unknown>;
      const src = o.threshold ?? o.source;
      if (typeof src === 'string') out.push(src);
    }
  }
  return out;
}

function submetricList(v: unknown): Array<{ name: string; thresholds: string[] }> {
  if (!Array.isArray(v)) return [];
  const out: Array<{ name: string; thresholds: string[] }> = [];
  for (const s of v) {
    if (!s || typeof s !== 'object') continue;
    const o = s as Record<string, unknown>;
    if (typeof o.name !== 'string') continue;
    const inner = o.metric && typeof o.metric === 'object' ? (o.metric as Record<string, unknown>).thresholds : undefined;
    out.push({ name: o.name, thresholds: thresholdList(o.thresholds ?? inner) });
  }
  return out;
}

/** Parse one line (`lineNo` counted from 1); null for a blank line. */
export function parseK6Line(text: string, lineNo: number): K6Line | null {
  if (text.length === 0 || text.trim() === '') return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new K6ResultsLineError(lineNo, `expected a JSON object of k6's --out json, got ${shown(text.length > 60 ? text.slice(0, 60) : text)}`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new K6ResultsLineError(lineNo, `expected a JSON object of k6's --out json, got ${shown(v)}`);
  const o = v as Record<string, unknown>;
  const data = o.data as Record<string, unknown> | null | undefined;
  if (typeof o.metric !== 'string' || o.metric === '') throw new K6ResultsLineError(lineNo, `expected a "metric" name, got ${shown(o.metric)}`);
  if (!data || typeof data !== 'object') throw new K6ResultsLineError(lineNo, `expected a "data" object, got ${shown(data)}`);
  if (o.type === 'Point') {
    const time = typeof data.time === 'string' ? parseK6Time(data.time) : NaN;
    if (!Number.isFinite(time)) throw new K6ResultsLineError(lineNo, `expected data.time in RFC 3339 (as k6 writes it), got ${shown(data.time)}`);
    const value = data.value;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new K6ResultsLineError(lineNo, `expected data.value a number, got ${shown(value)}`);
    const tags = data.tags;
    if (tags !== null && tags !== undefined && (typeof tags !== 'object' || Array.isArray(tags))) throw new K6ResultsLineError(lineNo, `expected data.tags an object or null, got ${shown(tags)}`);
    return { type: 'Point', metric: o.metric, time, value, tags: (tags ?? {}) as Record<string, string> };
  }
  if (o.type === 'Metric') {
    const kind = data.type;
    if (typeof kind !== 'string' || !KINDS.has(kind)) throw new K6ResultsLineError(lineNo, `expected data.type counter, gauge, rate or trend, got ${shown(kind)}`);
    return {
      type: 'Metric', name: typeof data.name === 'string' ? data.name : o.metric, kind: kind as MetricKind,
      contains: typeof data.contains === 'string' ? data.contains : 'default',
      thresholds: thresholdList(data.thresholds), submetrics: submetricList(data.submetrics),
    };
  }
  throw new K6ResultsLineError(lineNo, `expected "type" Metric or Point, got ${shown(o.type)}`);
}
