/** Views of a gate result: a console table, JUnit XML for CI, Markdown for PR comments. Pure strings. */
import { fmtValue, type GateResult, type Verdict } from './compare.js';

const STATUS_TEXT = { pass: 'ok', fail: 'FAIL', info: 'info' } as const;
const STATUS_MD = { pass: '✅', fail: '❌', info: 'ℹ️' } as const;
const METRIC_TEXT: Record<Verdict['metric'], string> = {
  p95: 'p95 latency', p99: 'p99 latency', errorRate: 'error rate', rps: 'throughput',
  presence: 'presence', threshold: 'threshold', generator: 'generator', run: 'run',
};

function change(v: Verdict): string {
  if (v.delta === null) return '';
  if (v.metric === 'errorRate') return `${v.delta >= 0 ? '+' : ''}${Number((v.delta * 100).toFixed(3))} pp`;
  if ((v.metric === 'p95' || v.metric === 'p99' || v.metric === 'rps') && v.baseline) {
    return `${v.delta >= 0 ? '+' : ''}${Number(((v.delta / v.baseline) * 100).toFixed(1))}%`;
  }
  return `${v.delta >= 0 ? '+' : ''}${Number(v.delta.toFixed(3))}`;
}

/** Terminal text: no control characters (an endpoint name must not drive the terminal). */
function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001F\u007F-\u009F]/g, '');
}

function rows(result: GateResult): string[][] {
  return result.verdicts.map((v) => [
    STATUS_TEXT[v.status], v.scope, v.metric === 'threshold' ? v.limit : METRIC_TEXT[v.metric],
    fmtValue(v.metric, v.baseline), fmtValue(v.metric, v.current), change(v),
    v.metric === 'threshold' ? '' : v.limit,
  ]);
}

function headline(result: GateResult): string {
  const { pass, fail, info } = result.counts;
  return `gate ${result.pass ? 'PASSED' : 'FAILED'}: ${fail} regression(s), ${pass} ok, ${info} info — baseline ${result.baseline.label} vs current ${result.current.label}`;
}

/** A fixed-width table for the terminal, failures first-readable by the FAIL column. */
export function renderConsole(result: GateResult): string {
  const header = ['status', 'scope', 'metric', 'baseline', 'current', 'change', 'limit'];
  const body = rows(result).map((r) => r.map(plain));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => [...r[i]].length)));
  const line = (r: string[]) => r.map((c, i) => c + ' '.repeat(widths[i] - [...c].length)).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  const notes = result.verdicts.filter((v) => v.status === 'fail' || (v.status === 'info' && v.metric !== 'presence'))
    .map((v) => plain(`${STATUS_TEXT[v.status]}: ${v.scope}: ${v.message}`));
  return [...out, '', ...notes, ...(notes.length ? [''] : []), headline(result), ''].join('\n');
}

/** XML 1.0 text: escape markup and drop characters XML cannot carry at all (control codes). */
export function escapeXml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** JUnit XML: one testcase per verdict; regressions are <failure>, info verdicts pass with their note in system-out. */
export function renderJUnit(result: GateResult, timestamp = new Date().toISOString()): string {
  const a = escapeXml;
  const tests = result.verdicts.length;
  const failures = result.counts.fail;
  const suite = `capacity-test gate: ${result.current.label} vs ${result.baseline.label}`;
  const cases = result.verdicts.map((v) => {
    const name = v.metric === 'threshold' ? `${v.scope} ${v.limit}` : METRIC_TEXT[v.metric];
    const classname = v.metric === 'threshold' ? 'capacity-test.gate.thresholds' : `capacity-test.gate.${v.scope}`;
    const open = `    <testcase classname="${a(classname)}" name="${a(name)}" time="0">`;
    const detail = `baseline: ${fmtValue(v.metric, v.baseline)}\ncurrent: ${fmtValue(v.metric, v.current)}\nchange: ${change(v) || '–'}\nlimit: ${v.limit || '–'}`;
    if (v.status === 'fail') {
      return `${open}\n      <failure message="${a(v.message)}" type="regression">${a(detail)}</failure>\n    </testcase>`;
    }
    return `${open}\n      <system-out>${a(`${v.status}: ${v.message}\n${detail}`)}</system-out>\n    </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="capacity-test gate" tests="${tests}" failures="${failures}" errors="0" time="0">`,
    `  <testsuite name="${a(suite)}" tests="${tests}" failures="${failures}" errors="0" skipped="0" time="0" timestamp="${a(timestamp)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** A Markdown table cell: pipes and line breaks would end the cell or the row. */
export function escapeMarkdownCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>').replace(/`/g, '\\`');
}

/** Markdown for a pull-request comment: verdict first, regressions listed, then the full table. */
export function renderMarkdown(result: GateResult): string {
  const e = escapeMarkdownCell;
  const { pass, fail, info } = result.counts;
  const out = [
    `### Capacity gate: ${result.pass ? '✅ passed' : '❌ failed'}`,
    '',
    `Baseline \`${result.baseline.label.replace(/`/g, "'")}\` → current \`${result.current.label.replace(/`/g, "'")}\`: **${fail}** regression(s), ${pass} ok, ${info} info.`,
    '',
  ];
  const failed = result.verdicts.filter((v) => v.status === 'fail');
  if (failed.length) {
    out.push(...failed.map((v) => `- ❌ **${e(v.scope)}**: ${e(v.message)}`), '');
  }
  out.push('| | Scope | Metric | Baseline | Current | Change | Limit |', '|---|---|---|---:|---:|---:|---|');
  for (const [i, r] of rows(result).entries()) {
    const v = result.verdicts[i];
    out.push(`| ${STATUS_MD[v.status]} | ${e(r[1])} | ${e(r[2])} | ${e(r[3])} | ${e(r[4])} | ${e(r[5])} | ${e(r[6])} |`);
  }
  return out.join('\n') + '\n';
}
