import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { compareSummaries } from '../../../src/gate/compare.js';
import { parseSummary } from '../../../src/gate/load.js';
import { escapeMarkdownCell, escapeXml, renderConsole, renderJUnit, renderMarkdown } from '../../../src/gate/render.js';
import type { Summary } from '../../../src/contracts/summary.js';

const fixture = (name: string): Summary => parseSummary(JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')), name);

/**
 * A small XML 1.0 well-formedness check (no parser is installed): one root, balanced tags, quoted
 * attributes without raw '<' or '&', text without raw '<', every '&' an entity, no control characters.
 */
function assertWellFormedXml(xml: string): void {
  const body = xml.replace(/^<\?xml [^?]*\?>\s*/, '');
  // eslint-disable-next-line no-control-regex
  expect(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(body)).toBe(false);
  const entity = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/y;
  const stack: string[] = [];
  let i = 0;
  let roots = 0;
  while (i < body.length) {
    const ch = body[i];
    if (ch === '<') {
      const end = body.indexOf('>', i);
      expect(end).toBeGreaterThan(i);
      const tag = body.slice(i + 1, end);
      if (tag.startsWith('/')) {
        expect(stack.pop()).toBe(tag.slice(1).trim());
      } else {
        const m = /^([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.-]*="[^"<&]*(?:&(?:amp|lt|gt|quot|apos);[^"<&]*)*")*)\s*(\/?)$/.exec(tag);
        expect(m, `bad tag <${tag}>`).not.toBeNull();
        if (stack.length === 0) roots += 1;
        if (!m![3]) stack.push(m![1]);
      }
      i = end + 1;
    } else if (ch === '&') {
      entity.lastIndex = i;
      expect(entity.exec(body), `raw & at ${i}`).not.toBeNull();
      i = entity.lastIndex;
    } else {
      if (stack.length === 0) expect(/\s/.test(ch), `text outside the root at ${i}`).toBe(true);
      i += 1;
    }
  }
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
}

describe('gate views', () => {
  const result = compareSummaries(fixture('baseline.summary.json'), fixture('current-regressed.summary.json'));

  it('JUnit: one testcase per verdict, a failure for each regression, valid XML', () => {
    const xml = renderJUnit(result, '2026-11-28T12:00:00.000Z');
    assertWellFormedXml(xml);
    expect(xml.match(/<testcase /g)).toHaveLength(result.verdicts.length);
    expect(xml.match(/<failure /g)).toHaveLength(result.counts.fail);
    expect(xml).toContain(`tests="${result.verdicts.length}" failures="${result.counts.fail}"`);
    expect(xml).toContain('classname="capacity-test.gate.POST /api/v1/orders" name="p95 latency"');
    expect(xml).toContain('classname="capacity-test.gate.thresholds" name="http_req_failed rate&lt;0.01"');
  });

  it('XML escaping keeps any endpoint name well-formed and round-trips its text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (name) => {
      const r = structuredClone(result);
      r.verdicts[0].scope = name;
      r.verdicts[0].message = `${name} & <b>"quoted"</b> 'x'`;
      assertWellFormedXml(renderJUnit(r));
    }), { numRuns: 200 });
    const unescape = (t: string) => t.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !/[\u0000-\u001F]/.test(s)), (name) => {
      const r = structuredClone(result);
      r.verdicts[0].scope = name;
      const attr = /classname="([^"]*)"/.exec(renderJUnit(r))![1];
      expect(unescape(attr)).toBe(`capacity-test.gate.${name}`);
    }), { numRuns: 200 });
    expect(escapeXml(`<a href="x">&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;');
    expect(escapeXml('bell\u0007 tab\t')).toBe('bell tab\t');
  });

  it('Markdown: verdict headline, regressions listed, one table row per verdict, pipes escaped', () => {
    const r = structuredClone(result);
    r.verdicts[0].scope = 'GET /a|b';
    const md = renderMarkdown(r);
    expect(md).toMatch(/^### Capacity gate: ❌ failed/);
    expect(md).toContain('- ❌ **POST /api/v1/orders**: p95 120 ms → 260 ms (+116.67%)');
    const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| | Scope'));
    expect(rows).toHaveLength(r.verdicts.length);
    expect(md).toContain('GET /a\\|b');
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length).toBe(10); // 8 cells between 9 pipes
    expect(escapeMarkdownCell('a|b\nc')).toBe('a\\|b<br>c');
    expect(escapeMarkdownCell('GET /orders/<id>')).toBe('GET /orders/&lt;id&gt;');
  });

  it('console: a header, a row per verdict with FAIL where it regressed, and the outcome line', () => {
    const text = renderConsole(result);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^status\s+scope\s+metric\s+baseline\s+current\s+change\s+limit\s+seconds$/);
    expect(lines.filter((l) => /^FAIL /.test(l))).toHaveLength(result.counts.fail);
    expect(text).toMatch(/FAIL\s+POST \/api\/v1\/orders\s+p95 latency\s+120 ms\s+260 ms\s+\+116\.7%\s+\+20% and \+5 ms/);
    expect(text).toContain(`gate FAILED: ${result.counts.fail} regression(s)`);
  });
});
