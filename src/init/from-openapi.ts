/**
 * An OpenAPI document → a scenario model. Operations are chained by what they exchange: a value an
 * operation needs (a path parameter, a required query parameter, a body field, a bearer token) is
 * taken from an earlier operation's response that returns it under the same name (its links first;
 * `shops[0].id` is a shopId, `X-Test-Otp` an otp, `token`/`accessToken` the bearer); operations that
 * send the same person's fields follow the first that registers that person. Each connected chain is
 * a journey; the operations that need nothing and give nothing to another are one `browse` journey.
 * Bodies come from examples, defaults, enums and the schema; personal fields are seeded. An operation
 * whose credential no operation returns (an admin token, say) is left out, listed in a comment.
 */
import type { OpenApiDoc, Operation, Schema } from './openapi.js';
import type { CaptureFrom, JsonTemplate, Part, RequestSpec, ScenarioModel, Step, Template } from './model.js';
import { camel, idHint, jsonHint, resourceOf, singular } from './names.js';
import { personalField } from './personal.js';
import { businessCounter } from './business.js';

interface Produced { hint: string; capture: CaptureFrom }
type Need = { hint: string; key: string };

const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
function matches(produced: string, need: string): boolean {
  return produced === need || singular(produced) === need || produced.endsWith(cap(need));
}

function scalarType(s: Schema): string | undefined {
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  return t ?? (s.properties ? 'object' : s.items ? 'array' : undefined);
}
function pick(s: Schema): Schema {
  if (s.allOf) return s.allOf.reduce<Schema>((a, b) => ({ ...a, ...b, properties: { ...a.properties, ...b.properties }, required: [...(a.required ?? []), ...(b.required ?? [])] }), {});
  const alt = s.oneOf ?? s.anyOf;
  return alt ? pick(alt.find((x) => scalarType(x) !== 'null') ?? alt[0]) : s;
}

/** What a response holds: its JSON leaves (first item of each array) and its documented headers. */
export function producedBy(op: Operation): Produced[] {
  const out: Produced[] = [];
  const walk = (raw: Schema, path: (string | number)[], depth: number) => {
    const s = pick(raw);
    const t = scalarType(s);
    if (depth > 8) return;
    if (t === 'object') for (const [k, v] of Object.entries(s.properties ?? {})) walk(v, [...path, k], depth + 1);
    else if (t === 'array' && s.items) walk(s.items, [...path, 0], depth + 1);
    // a nullable field may well be null on the run: nothing to capture from
    else if ((t === 'string' || t === 'integer' || t === 'number') && !s.nullable && !(Array.isArray(s.type) && s.type.includes('null'))) out.push({ hint: jsonHint(path, op.path), capture: { from: 'json', path } });
  };
  if (op.responseSchema) walk(op.responseSchema, [], 0);
  for (const h of op.responseHeaders) if (!/^(retry-after|content-|cache-|date$)/i.test(h)) out.push({ hint: camel(h), capture: { from: 'header', name: h.toLowerCase() } });
  return out;
}

/** A path parameter's name as a value's name: `/shops/{id}` needs a shopId. */
function paramHint(op: Operation, name: string): string {
  if (!/^_?id$/i.test(name)) return camel(name);
  const segs = op.path.split('/');
  const at = segs.indexOf(`{${name}}`);
  return idHint(at > 0 ? segs[at - 1] : resourceOf(op.path));
}

function bodyNeeds(raw: Schema, key: string, parent: string, out: Need[], depth = 0): void {
  const s = pick(raw);
  const t = scalarType(s);
  if (depth > 8) return;
  if (t === 'object') for (const k of requiredKeys(s)) bodyNeeds(s.properties![k], k, key || parent, out, depth + 1);
  else if (t === 'array' && s.items) bodyNeeds(s.items, key, parent, out, depth + 1);
  else if (key && !personalField(key, sampleFor(key, s))) out.push({ key, hint: /^_?id$/i.test(key) ? idHint(parent || 'item') : camel(key) });
}

function requiredKeys(s: Schema): string[] {
  const props = Object.keys(s.properties ?? {});
  return s.required ? props.filter((p) => s.required!.includes(p)) : props;
}

function needsOf(op: Operation): Need[] {
  const out: Need[] = op.parameters.filter((p) => p.required && (p.in === 'path' || p.in === 'query')).map((p) => ({ key: p.name, hint: p.in === 'path' ? paramHint(op, p.name) : camel(p.name) }));
  if (op.body) bodyNeeds(op.body.schema, '', resourceOf(op.path), out);
  if (op.security.length && op.security.some((s) => s.kind === 'bearer')) out.push({ key: 'authorization', hint: 'token' });
  return out;
}

function sampleFor(key: string, s: Schema): string {
  if (s.format === 'email' || /e-?mail/i.test(key)) return 'a@b.in';
  if (/mobile|phone|tel/i.test(key)) return /\\\+|\+91/.test(s.pattern ?? '') ? '+919876543210' : '9876543210';
  return 'Asha Verma';
}

/** A value from the schema alone: example, default, first enum value, then by type (amounts generous). */
export function schemaValue(raw: Schema, key: string, resolve: (key: string, parent: string, schema: Schema) => Part | undefined, parent = ''): JsonTemplate {
  const s = pick(raw);
  const t = scalarType(s);
  if (t !== 'object' && t !== 'array' && key) {
    const part = resolve(key, parent, s);
    if (part) return { t: 'template', template: [part] };
  }
  const given = s.example ?? (Array.isArray(s.examples) ? s.examples[0] : undefined) ?? s.default ?? s.enum?.[0];
  if (given !== undefined && (given === null || typeof given !== 'object')) return { t: 'value', value: given as string | number | boolean | null };
  switch (t) {
    case 'object': return { t: 'object', entries: requiredKeys(s).map((k) => [k, schemaValue(s.properties![k], k, resolve, key || parent)]) };
    case 'array': return { t: 'array', items: Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => schemaValue(s.items ?? {}, key, resolve, parent)) };
    case 'integer': case 'number': {
      const min = typeof s.exclusiveMinimum === 'number' ? s.exclusiveMinimum + 1 : (s.minimum ?? 0) + (s.exclusiveMinimum === true ? 1 : 0);
      // an amount gets enough to pay for what a later step buys, within the schema's maximum
      if (/amount|paise|balance|topup|credit/i.test(key)) return { t: 'value', value: Math.min(s.maximum ?? 1_000_000, 1_000_000) };
      return { t: 'value', value: Math.max(min, 1) };
    }
    case 'boolean': return { t: 'value', value: true };
    default: {
      if (s.format === 'date') return { t: 'value', value: '2026-12-03' };
      if (s.format === 'date-time') return { t: 'value', value: '2026-12-03T10:00:00Z' };
      if (s.format === 'uuid') return { t: 'value', value: '00000000-0000-4000-8000-000000000000' };
      const digits = /^\^?\\d\{(\d+)\}\$?$/.exec(s.pattern ?? '');
      if (digits) return { t: 'value', value: '1'.repeat(Number(digits[1])) };
      return { t: 'value', value: 'sample'.padEnd(Math.max(6, s.minLength ?? 0), 'x') };
    }
  }
}

interface Placed { op: Operation; index: number; journey: number; captures: Map<string, string> }

export function modelFromOpenApi(doc: OpenApiDoc, o: { source: string; origin?: string }): ScenarioModel {
  const notes: string[] = [];
  const server = doc.servers[0] ?? '';
  const absolute = /^https?:\/\//.test(server) ? new URL(server) : undefined;
  const origin = (o.origin ?? absolute?.origin ?? (doc.fetchedFrom ? new URL(doc.fetchedFrom).origin : 'http://localhost')).replace(/\/$/, '');
  if (!o.origin && !absolute && !doc.fetchedFrom) notes.push('the document names no absolute server: TARGET is needed');
  const basePath = (absolute ? absolute.pathname : server.startsWith('/') ? server : '').replace(/\/$/, '');

  const ops = doc.operations;
  const produced = ops.map(producedBy);
  const needs = ops.map(needsOf);
  const personOf = ops.map((op) => (op.body ? hasPersonal(op.body.schema) : false));
  const registrar = personOf.indexOf(true);
  const left: string[] = [];
  const candidates = (i: number, n: Need) => ops.map((_, j) => j).filter((j) => canFeed(j, i) && produced[j].some((p) => matches(p.hint, n.hint)));
  /** an operation feeds another unless it reads the other's own collection (GET /orders cannot feed POST /orders: it is empty before) */
  const canFeed = (j: number, i: number) => j !== i && !(`${ops[j].path}/`.startsWith(`${ops[i].path}/`) && ops[i].method !== 'GET');
  // the bearer scheme most operations use takes the token an operation returns; any other scheme is left out
  const uses = new Map<string, number>();
  for (const op of ops) for (const sc of op.security) if (sc.kind === 'bearer') uses.set(sc.scheme, (uses.get(sc.scheme) ?? 0) + 1);
  const userScheme = [...uses].sort((a, b) => b[1] - a[1])[0]?.[0];
  const usable = ops.map((op, i) => {
    const needsToken = needs[i].some((n) => n.hint === 'token');
    const other = op.security.length > 0 && !op.security.some((s) => s.scheme === userScheme);
    if (other || (needsToken && candidates(i, { key: 'authorization', hint: 'token' }).length === 0)) { left.push(`${op.method} ${op.path}`); return false; }
    return true;
  });

  // placement: document order, an operation once every value it needs that some operation returns has been returned
  const order: number[] = [];
  const placed = new Set<number>();
  const journeyOf = new Map<number, number>();
  let nextJourney = 0;
  const union = (a: number, b: number) => {
    const ja = journeyOf.get(a)!; const jb = journeyOf.get(b)!;
    if (ja !== jb) for (const [k, v] of journeyOf) if (v === jb) journeyOf.set(k, ja);
  };
  const writesFirst = (i: number) => ops[i].method !== 'GET' || !ops.some((w, k) => usable[k] && !placed.has(k) && w.method === 'POST' && w.path === ops[i].path);
  const ready = (i: number) => writesFirst(i) && needs[i].every((n) => { const c = candidates(i, n).filter((j) => usable[j]); return c.length === 0 || c.some((j) => placed.has(j)); })
    && (!personOf[i] || i === registrar || placed.has(registrar));
  while (order.length < ops.filter((_, i) => usable[i]).length) {
    let i = ops.findIndex((_, k) => usable[k] && !placed.has(k) && ready(k));
    if (i < 0) i = ops.findIndex((_, k) => usable[k] && !placed.has(k));
    placed.add(i);
    order.push(i);
    journeyOf.set(i, nextJourney++);
    if (personOf[i] && registrar >= 0 && i !== registrar) union(registrar, i);
  }

  const caps = new Map<number, { var: string; capture: CaptureFrom }[]>();
  const names = new Set<string>();
  const varFor = (j: number, p: Produced): string => {
    const list = caps.get(j) ?? [];
    const key = JSON.stringify(p.capture);
    const known = list.find((c) => JSON.stringify(c.capture) === key);
    if (known) return known.var;
    let name = p.hint;
    for (let k = 2; names.has(name); k++) name = `${p.hint}${k}`;
    names.add(name);
    list.push({ var: name, capture: p.capture });
    caps.set(j, list);
    return name;
  };
  const specs = new Map<number, RequestSpec>();
  order.forEach((i, at) => {
    const op = ops[i];
    const before = order.slice(0, at);
    const resolve = (key: string, parent: string, schema: Schema = {}): Part | undefined => {
      const person = personalField(key, sampleFor(key, schema));
      if (person) return { kind: 'person', field: person };
      const hint = /^_?id$/i.test(key) ? idHint(parent || 'item') : camel(key);
      for (const j of [...before].reverse()) {
        if (!canFeed(j, i)) continue;
        const p = produced[j].find((x) => matches(x.hint, hint));
        if (p) { union(i, j); return { kind: 'var', name: varFor(j, p) }; }
      }
      return undefined;
    };
    /** a value an earlier operation's link names for this operation's parameter */
    const linked = (i: number, earlier: number[], param: string): Part | undefined => {
      for (const j of [...earlier].reverse()) {
        for (const l of ops[j].links) {
          if (!l.operationId || l.operationId !== ops[i].operationId) continue;
          const expr = l.parameters[param];
          const capture = typeof expr === 'string' ? linkCapture(expr) : undefined;
          if (capture) { union(i, j); return { kind: 'var', name: varFor(j, { hint: paramKey(ops[i], param), capture }) }; }
        }
      }
      return undefined;
    };
    const path: Template = [{ kind: 'text', text: basePath }];
    for (const piece of op.path.split(/(\{[^}]+\})/).filter(Boolean)) {
      const m = /^\{(.+)\}$/.exec(piece);
      if (!m) { path.push({ kind: 'text', text: piece }); continue; }
      const param = op.parameters.find((p) => p.in === 'path' && p.name === m[1]);
      const v = schemaValue(param?.schema ?? {}, m[1], (k, _p, sc) => linked(i, before, m[1]) ?? resolve(k === m[1] ? paramKey(op, k) : k, '', sc));
      path.push(v.t === 'template' ? { ...v.template[0], encode: true } as Part : { kind: 'text', text: encodeURIComponent(String((v as { value: unknown }).value)) });
    }
    op.parameters.filter((p) => p.in === 'query' && p.required).forEach((p, k) => {
      const v = schemaValue(p.schema, p.name, (k, parent, sc) => linked(i, before, p.name) ?? resolve(k, parent, sc));
      path.push({ kind: 'text', text: `${k === 0 ? '?' : '&'}${encodeURIComponent(p.name)}=` },
        v.t === 'template' ? { ...v.template[0], encode: true } as Part : { kind: 'text', text: encodeURIComponent(String((v as { value: unknown }).value)) });
    });
    const headers: [string, Template][] = [];
    if (needs[i].some((n) => n.hint === 'token')) {
      const tok = resolve('token', '');
      if (tok) headers.push(['authorization', [{ kind: 'text', text: 'Bearer ' }, tok]]);
    }
    const body = op.body ? { kind: 'json' as const, value: op.body.example !== undefined && !hasPersonal(op.body.schema) ? exampleJson(op.body.example) : schemaValue(op.body.schema, '', resolve, resourceOf(op.path)) } : null;
    const name = `${op.method} ${basePath}${op.path.replace(/\{[^}]+\}/g, '{id}')}`;
    specs.set(i, { method: op.method, path, headers, body, name, expect: expected(op), captures: [], counter: businessCounter(op.method, `${basePath}${op.path}`, op.success[0]) });
  });
  for (const [j, list] of caps) specs.get(j)!.captures = list.map((c) => ({ ...c.capture, var: c.var }) as RequestSpec['captures'][number]);

  const groups = new Map<number, number[]>();
  for (const i of order) groups.set(journeyOf.get(i)!, [...(groups.get(journeyOf.get(i)!) ?? []), i]);
  const journeys: { name: string; ops: number[] }[] = [];
  const browse: number[] = [];
  for (const list of groups.values()) {
    if (list.length === 1 && ops[list[0]].method === 'GET') browse.push(list[0]);
    else journeys.push({ name: camel(resourceOf(ops[list.find((i) => ops[i].method !== 'GET') ?? list[0]].path)), ops: list });
  }
  if (browse.length) journeys.push({ name: 'browse', ops: browse });
  const used = new Set<string>();
  const model: ScenarioModel = {
    source: o.source, origin, notes,
    journeys: journeys.map((j) => {
      let name = j.name;
      for (let k = 2; used.has(name) || ['default', 'options', 'setup', 'teardown'].includes(name); k++) name = `${j.name}${k}`;
      used.add(name);
      const steps: Step[] = j.ops.map((i, k) => ({ title: specs.get(i)!.name, thinkSeconds: k === 0 ? 0 : 1, requests: [specs.get(i)!] }));
      return { name, steps };
    }),
  };
  if (left.length) notes.push(`left out, needing a credential no operation returns (${left.length}): ${left.join(', ')}`);
  return model;
}

/**
 * The statuses a check accepts: the documented 2xx, and for an action on a resource the journey made
 * (POST /orders/{id}/cancel) a documented 409 too: whether the order is still cancellable is the
 * target's timing, not a failure of the call.
 */
function expected(op: Operation): number[] {
  const action = op.method !== 'GET' && /\{[^}]+\}\/[A-Za-z][\w-]*$/.test(op.path);
  return action && op.documented.includes(409) ? [...op.success, 409] : op.success;
}

/** `$response.body#/a/0/b` or `$response.header.X-Id` → where to capture it. */
export function linkCapture(expr: string): CaptureFrom | undefined {
  const body = /^\$response\.body#(\/.*)?$/.exec(expr);
  if (body) return { from: 'json', path: (body[1] ?? '').split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~')).map((k) => (/^\d+$/.test(k) ? Number(k) : k)) };
  const header = /^\$response\.header\.(.+)$/.exec(expr);
  return header ? { from: 'header', name: header[1].toLowerCase() } : undefined;
}

/** A path parameter named `id` is looked up by the id of its resource (`/shops/{id}` → shopId). */
function paramKey(op: Operation, name: string): string { return /^_?id$/i.test(name) ? paramHint(op, name) : name; }

function hasPersonal(raw: Schema, depth = 0): boolean {
  const s = pick(raw);
  if (depth > 8) return false;
  if (s.properties) return Object.entries(s.properties).some(([k, v]) => personalField(k, sampleFor(k, pick(v))) !== null || hasPersonal(v, depth + 1));
  return s.items ? hasPersonal(s.items, depth + 1) : false;
}

function exampleJson(v: unknown): JsonTemplate {
  if (Array.isArray(v)) return { t: 'array', items: v.map(exampleJson) };
  if (v !== null && typeof v === 'object') return { t: 'object', entries: Object.entries(v).map(([k, x]) => [k, exampleJson(x)]) };
  return { t: 'value', value: v as string | number | boolean | null };
}
