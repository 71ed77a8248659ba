/**
 * A recording → a scenario model: the application's own requests, grouped into steps by the user's
 * pauses (kept as think time), every value a response returned and a later request sends captured
 * instead of replayed, personal fields seeded, recorded credentials never written.
 */
import { routeOf } from '../profile/access-log.js';
import type { Exchange } from './har.js';
import { selectRequests, type FilterOptions } from './filter.js';
import { Correlator, isLiteral, templateOf, type Replacement } from './correlate.js';
import { personalReplacements } from './personal.js';
import { businessCounter } from './business.js';
import type { Body, JsonTemplate, RequestSpec, ScenarioModel, Step, Template } from './model.js';

export interface HarInitOptions extends FilterOptions {
  /** the journey's exported name (default `recorded`) */
  journey?: string;
  /** a gap between requests at least this long starts a new step (default 1000 ms) */
  pauseMs?: number;
}

/** Request headers a scenario never replays: the engine sets them, the jar sends cookies, or they are the browser's. */
const DROP_HEADERS = /^(host|content-length|connection|accept-encoding|accept-language|cookie|user-agent|referer|origin|sec-.*|upgrade-insecure-requests|pragma|cache-control|priority|dnt|te|keep-alive|if-none-match|if-modified-since|purpose|x-requested-with)$/;
/** the browser's own Accept of a page or a fetch: the engine's default says as much */
const BROWSER_ACCEPT = /^(\*\/\*|text\/html,.*)$/;
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization']);

function encoded(t: Template): Template {
  return t.map((p) => (p.kind === 'text' ? { kind: 'text', text: encodeURIComponent(p.text) } : { ...p, encode: true }));
}

function pathTemplate(url: URL, reps: Replacement[]): { path: Template; route: string } {
  const path: Template = [];
  const routeSegs: string[] = [];
  url.pathname.split('/').forEach((seg, i) => {
    if (i > 0) path.push({ kind: 'text', text: '/' });
    let decoded = seg;
    try { decoded = decodeURIComponent(seg); } catch { /* keep it raw */ }
    const t = templateOf(decoded, reps);
    if (isLiteral(t)) { path.push({ kind: 'text', text: seg }); routeSegs.push(seg); }
    else { path.push(...encoded(t)); routeSegs.push('{id}'); }
  });
  let first = true;
  for (const [k, v] of url.searchParams) {
    path.push({ kind: 'text', text: `${first ? '?' : '&'}${encodeURIComponent(k)}=` }, ...encoded(templateOf(v, reps)));
    first = false;
  }
  return { path, route: routeOf('GET', routeSegs.join('/')).slice(4) };
}

function jsonTemplate(value: unknown, reps: Replacement[]): JsonTemplate {
  if (Array.isArray(value)) return { t: 'array', items: value.map((v) => jsonTemplate(v, reps)) };
  if (value !== null && typeof value === 'object') return { t: 'object', entries: Object.entries(value).map(([k, v]) => [k, jsonTemplate(v, reps)]) };
  if (typeof value === 'string' || typeof value === 'number') {
    const s = String(value);
    // a whole number field replaced by a number-valued capture stays a number
    const whole = reps.find((r) => r.value === s && (typeof value === 'string' || r.numeric));
    if (whole) return { t: 'template', template: [whole.part] };
    const t = templateOf(s, reps);
    return isLiteral(t) ? { t: 'value', value } : { t: 'template', template: t };
  }
  return { t: 'value', value: value as null | boolean };
}

function bodyOf(x: Exchange, reps: Replacement[]): Body | null {
  if (!x.body || x.body.text === '') return null;
  const { mime, text } = x.body;
  if (/json/i.test(mime)) {
    try { return { kind: 'json', value: jsonTemplate(JSON.parse(text), reps) }; } catch { /* sent as text */ }
  }
  if (/x-www-form-urlencoded/i.test(mime)) {
    return { kind: 'form', fields: [...new URLSearchParams(text)].map(([k, v]) => [k, templateOf(v, reps)]) };
  }
  return { kind: 'text', mime, text: templateOf(text, reps) };
}

function templatesOf(spec: RequestSpec): Template[] {
  const out: Template[] = [spec.path, ...spec.headers.map(([, t]) => t)];
  const walk = (j: JsonTemplate): void => {
    if (j.t === 'template') out.push(j.template);
    else if (j.t === 'array') j.items.forEach(walk);
    else if (j.t === 'object') j.entries.forEach(([, v]) => walk(v));
  };
  if (spec.body?.kind === 'json') walk(spec.body.value);
  else if (spec.body?.kind === 'form') out.push(...spec.body.fields.map(([, t]) => t));
  else if (spec.body?.kind === 'text') out.push(spec.body.text);
  return out;
}

function resolveAll(spec: RequestSpec, c: Correlator): RequestSpec {
  const r = (t: Template) => c.resolve(t);
  const json = (j: JsonTemplate): JsonTemplate =>
    j.t === 'template' ? { t: 'template', template: r(j.template) }
      : j.t === 'array' ? { t: 'array', items: j.items.map(json) }
        : j.t === 'object' ? { t: 'object', entries: j.entries.map(([k, v]) => [k, json(v)]) } : j;
  const body: Body | null = !spec.body ? null
    : spec.body.kind === 'json' ? { kind: 'json', value: json(spec.body.value) }
      : spec.body.kind === 'form' ? { kind: 'form', fields: spec.body.fields.map(([k, t]) => [k, r(t)]) }
        : { ...spec.body, text: r(spec.body.text) };
  return { ...spec, path: r(spec.path), headers: spec.headers.map(([k, t]) => [k, r(t)]), body };
}

export function modelFromHar(all: readonly Exchange[], source: string, o: HarInitOptions = {}): ScenarioModel {
  const { origin, kept, excluded } = selectRequests(all, o);
  const notes: string[] = [];
  if (kept.length === 0) throw new Error(`no request of ${origin} left to replay (${excluded.length} left out)`);
  const personal = personalReplacements(kept);
  const corr = new Correlator();
  const dropped = new Map<string, number>();
  const specs: RequestSpec[] = kept.map((x, i) => {
    const reps = [...personal, ...corr.replacements()];
    const { path, route } = pathTemplate(x.url, reps);
    const body = bodyOf(x, reps);
    const headers: [string, Template][] = [];
    for (const [k, v] of x.requestHeaders) {
      if (DROP_HEADERS.test(k) || (k === 'content-type' && body && body.kind !== 'text') || (k === 'accept' && BROWSER_ACCEPT.test(v))) continue;
      const t = templateOf(v, reps);
      if (CREDENTIAL_HEADERS.has(k) && isLiteral(t)) { dropped.set(k, (dropped.get(k) ?? 0) + 1); continue; }
      headers.push([k, t]);
    }
    const name = `${x.method} ${route}`;
    const spec: RequestSpec = {
      method: x.method, path, headers, body, name, captures: [], redirects: 0,
      expect: x.status === 304 ? [200, 304] : [x.status],
      counter: businessCounter(x.method, route, x.status),
    };
    const resolved = resolveAll(spec, corr);
    corr.sending(x);
    corr.received(x, i);
    return resolved;
  });
  specs.forEach((s, i) => { s.captures = corr.captures.get(i) ?? []; });
  const literalIds = specs.filter((s) => s.name.includes('{id}') && s.path.every((p) => p.kind === 'text')).map((s) => s.name);
  if (literalIds.length) notes.push(`replayed literally, as no earlier response in the recording returned them (check these ids exist on the target): ${[...new Set(literalIds)].join(', ')}`);
  for (const [k, n] of dropped) notes.push(`${k}: recorded on ${n} request(s) with a value no earlier response returned; not written (set it in the scenario if the target needs it)`);
  const cookiesSent = kept.filter((x) => x.requestHeaders.some(([k]) => k === 'cookie')).length;
  if (cookiesSent) notes.push(`cookies: recorded on ${cookiesSent} request(s); not written — the engine's cookie jar sends what the target sets`);
  const byReason = new Map<string, string[]>();
  for (const e of excluded) byReason.set(e.reason, [...(byReason.get(e.reason) ?? []), `${e.method} ${e.url}`]);
  for (const [reason, urls] of byReason) notes.push(`left out, ${reason} (${urls.length}): ${urls.slice(0, 20).join(', ')}${urls.length > 20 ? ', …' : ''}`);
  return { source, origin, notes, journeys: [{ name: o.journey ?? 'recorded', steps: stepsOf(kept, specs, o.pauseMs ?? 1000) }] };
}

/** Requests into steps: a gap of at least `pauseMs` after everything before it has ended starts a new step. */
export function stepsOf(kept: readonly Exchange[], specs: readonly RequestSpec[], pauseMs: number): Step[] {
  const steps: Step[] = [];
  let lastEnd = -Infinity;
  kept.forEach((x, i) => {
    const gap = x.startedMs - lastEnd;
    if (steps.length === 0 || gap >= pauseMs) {
      steps.push({ title: specs[i].name, thinkSeconds: steps.length === 0 ? 0 : Math.round(gap / 100) / 10, requests: [] });
    }
    steps.at(-1)!.requests.push(specs[i]);
    lastEnd = Math.max(lastEnd, x.endedMs);
  });
  return steps;
}
