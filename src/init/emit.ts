/**
 * A scenario model → a scenario file in our API (README "Writing your own scenario"): base URL from
 * TARGET (default the recorded origin), one exported function per journey, a `name` tag per endpoint
 * template, a check on every status, captures after the response that returned them, seeded personal
 * fields, think time between steps (THINK_SCALE scales it), and options that run each journey once.
 */
import type { Body, Capture, JsonTemplate, Part, RequestSpec, ScenarioModel, Template } from './model.js';

const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
const lit = (s: string) => s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${').replace(/\r/g, '\\r').replace(/\n/g, '\\n');
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (k: string) => (IDENT.test(k) ? k : q(k));
const comment = (s: string) => s.replace(/\*\//g, '*\\/');

function partExpr(p: Exclude<Part, { kind: 'text' }>): string {
  const raw = p.kind === 'var' ? `v.${p.name}` : p.kind === 'person' ? `p.${p.field}` : `(__ENV.${p.name} ?? ${q(p.fallback)})`;
  return 'encode' in p && p.encode ? `encodeURIComponent(String(${raw}))` : raw;
}

/** A template as an expression: a bare value for a lone capture, a string literal, or a template literal. */
export function templateExpr(t: Template, prefix = ''): string {
  if (!prefix && t.length === 1 && t[0].kind !== 'text' && !(('encode' in t[0]) && t[0].encode)) return partExpr(t[0]);
  if (t.every((p) => p.kind === 'text')) {
    const s = t.map((p) => (p as { text: string }).text).join('');
    return prefix ? `\`${prefix}${lit(s)}\`` : q(s);
  }
  return '`' + prefix + t.map((p) => (p.kind === 'text' ? lit(p.text) : `\${${partExpr(p)}}`)).join('') + '`';
}

function jsonExpr(j: JsonTemplate): string {
  switch (j.t) {
    case 'value': return typeof j.value === 'string' ? q(j.value) : JSON.stringify(j.value);
    case 'template': return templateExpr(j.template);
    case 'array': return `[${j.items.map(jsonExpr).join(', ')}]`;
    case 'object': return `{ ${j.entries.map(([k, v]) => `${key(k)}: ${jsonExpr(v)}`).join(', ')} }`;
  }
}

function bodyExpr(b: Body, headers: string[]): string {
  if (b.kind === 'json') return `{ json: ${jsonExpr(b.value)} }`;
  if (b.kind === 'form') {
    const keys = b.fields.map(([k]) => k);
    if (new Set(keys).size === keys.length) return `{ ${b.fields.map(([k, t]) => `${key(k)}: ${templateExpr(t)}`).join(', ')} }`;
    headers.push(`'content-type': 'application/x-www-form-urlencoded'`);
    return `formBody([${b.fields.map(([k, t]) => `[${q(k)}, ${templateExpr(t)}]`).join(', ')}])`;
  }
  if (b.mime) headers.push(`'content-type': ${q(b.mime)}`);
  return `{ body: ${templateExpr(b.text)} }`;
}

function captureStmt(c: Capture): string {
  switch (c.from) {
    case 'json': return `v.${c.var} = fromJson(res, ${JSON.stringify(c.path)});`;
    case 'header': return `v.${c.var} = fromHeader(res, ${q(c.name)}${c.pattern ? `, ${q(c.pattern)}` : ''});`;
    case 'cookie': return `v.${c.var} = fromCookie(res, ${q(c.name)});`;
    case 'form': return `v.${c.var} = fromForm(res, ${q(c.name)});`;
  }
}

const COUNTER_VAR = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) + 'Counter';

function requestLines(r: RequestSpec): string[] {
  const headers = r.headers.map(([k, t]) => `${q(k)}: ${templateExpr(t)}`);
  const url = templateExpr(r.path, '${BASE}');
  const method = r.method;
  const body = r.body ? bodyExpr(r.body, headers) : null;
  const params = [headers.length ? `headers: { ${headers.join(', ')} }` : '', `tags: { name: ${q(r.name)} }`, r.redirects !== undefined ? `redirects: ${r.redirects}` : '']
    .filter(Boolean).join(', ');
  let call: string;
  if (method === 'GET') call = `vu.http.get(${url}, { ${params} })`;
  else if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) {
    const fn = method === 'DELETE' ? 'del' : method.toLowerCase();
    call = `vu.http.${fn}(${url}, ${body ?? 'null'}, { ${params} })`;
  } else call = `vu.http.request(${q(method)}, ${url}, ${body ?? 'null'}, { ${params} })`;
  const cond = r.expect.length === 1 ? `r.status === ${r.expect[0]}` : `[${r.expect.join(', ')}].includes(r.status)`;
  const lines = [
    `res = await ${call};`,
    r.counter
      ? `if (check(res, { ${q(`${r.name} is ${r.expect.join(' or ')}`)}: (r) => ${cond} })) ${COUNTER_VAR(r.counter)}.add(1);`
      : `check(res, { ${q(`${r.name} is ${r.expect.join(' or ')}`)}: (r) => ${cond} });`,
  ];
  for (const c of r.captures) lines.push(captureStmt(c));
  return lines;
}

export function emitScenario(m: ScenarioModel, generatedBy: string): string {
  const journeys = m.journeys;
  const counters = [...new Set(journeys.flatMap((j) => j.steps.flatMap((s) => s.requests.map((r) => r.counter)).filter((c): c is string => !!c)))];
  const usesPerson = JSON.stringify(journeys).includes('"person"');
  const caps = new Set(journeys.flatMap((j) => j.steps.flatMap((s) => s.requests.flatMap((r) => r.captures.map((c) => c.from)))));
  const imports = ['check', 'sleep', ...(counters.length ? ['Counter'] : []),
    ...(caps.has('json') ? ['fromJson'] : []), ...(caps.has('header') ? ['fromHeader'] : []),
    ...(caps.has('cookie') ? ['fromCookie'] : []), ...(caps.has('form') ? ['fromForm'] : []),
    ...(journeys.some((j) => j.steps.some((s) => s.requests.some((r) => r.body?.kind === 'form' && new Set(r.body.fields.map(([k]) => k)).size < r.body.fields.length))) ? ['formBody'] : []), ...(usesPerson ? ['seededPerson', 'personIndex'] : []), 'type VU'];
  const out: string[] = [
    '/**',
    ` * Written by \`${comment(generatedBy)}\` from ${comment(m.source)} (recorded origin ${comment(m.origin)}).`,
    ' * Smoke test: `npx capacity-test run <this file> --env TARGET=<base URL>` runs each journey once;',
    ' * `capacity-test launch-day --scenario <this file> --target <base URL>` drives the journeys with the traffic model.',
    ' * Env: TARGET (default the recorded origin), SEED (seeded personal data), THINK_SCALE (think time × this; default 1).',
    ...m.notes.map((n) => ` * ${comment(n)}`),
    ' */',
    `import { ${imports.join(', ')} } from 'capacity-test';`,
    '',
    `const BASE = (__ENV.TARGET || ${q(m.origin)}).replace(/\\/$/, '');`,
    ...(usesPerson ? ["const SEED = Number(__ENV.SEED || 1);"] : []),
    "const THINK_SCALE = Number(__ENV.THINK_SCALE ?? 1);",
    ...counters.map((c) => `const ${COUNTER_VAR(c)} = new Counter(${q(c)});`),
    '',
    'export const options = {',
    '  scenarios: {',
    ...journeys.map((j) => `    ${key(j.name)}: { executor: 'per-vu-iterations' as const, vus: 1, iterations: 1, exec: ${q(j.name)}, maxDuration: '5m' },`),
    '  },',
    "  thresholds: { checks: ['rate==1'] },",
    '};',
  ];
  for (const j of journeys) {
    out.push('', `export async function ${j.name}(vu: VU): Promise<void> {`);
    if (JSON.stringify(j).includes('"person"')) out.push('  const p = seededPerson(SEED, personIndex(vu));');
    out.push('  const v: Record<string, any> = {};', '  let res;');
    j.steps.forEach((s, i) => {
      out.push('');
      if (s.thinkSeconds > 0) out.push(`  await sleep(${s.thinkSeconds} * THINK_SCALE);`);
      out.push(`  // step ${i + 1}: ${comment(s.title)}`);
      for (const r of s.requests) for (const line of requestLines(r)) out.push(`  ${line}`);
    });
    out.push('}');
  }
  if (journeys.length === 1) out.push('', `export default ${journeys[0].name};`);
  return out.join('\n') + '\n';
}
