/** Views of a gate result: a console table, JUnit XML for CI, Markdown for PR comments. Pure strings. */
import { fmtValue, type GateResult, type Verdict } from './compare.js';
import { fmtP, fmtRatio } from './statistical.js';

const STATUS_TEXT = { pass: 'ok', fail: 'FAIL', info: 'info' } as const;
const STATUS_MD = { pass: '✅', fail: '❌', info: 'ℹ️' } as const;
/** a latency check's outcome, where the statistics can make it more than pass or fail */
const OUTCOME_TEXT = { pass: 'ok', regression: 'FAIL', improvement: 'better', inconclusive: 'unsure' } as const;
const OUTCOME_MD = { pass: '✅ pass', regression: '❌ regression', improvement: '🟢 improvement', inconclusive: '❔ inconclusive' } as const;

const isLatency = (v: Verdict): boolean => v.metric === 'p95' || v.metric === 'p99';

function statusText(v: Verdict): string {
  return isLatency(v) ? OUTCOME_TEXT[v.outcome] : STATUS_TEXT[v.status];
}

function statusMd(v: Verdict): string {
  return isLatency(v) ? OUTCOME_MD[v.outcome] : STATUS_MD[v.status];
}

/** What the seconds say, short: "×1.31 [1.18–1.45] p=2e-5" (machine taken out: "vs others"). */
export function evidenceText(v: Verdict): string {
  const e = v.evidence;
  if (!e) return '';
  const p = e.ratio >= 1 ? e.pSlower : e.pFaster;
  return `×${fmtRatio(e.ratio)} [${fmtRatio(e.ratioLow)}–${fmtRatio(e.ratioHigh)}]${e.corrected ? ' vs others' : ''} p=${fmtP(p)}`;
}
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
    statusText(v), v.scope, v.metric === 'threshold' ? v.limit : METRIC_TEXT[v.metric],
    fmtValue(v.metric, v.baseline), fmtValue(v.metric, v.current), change(v),
    v.metric === 'threshold' ? '' : v.limit, evidenceText(v),
  ]);
}

function headline(result: GateResult): string {
  const { pass, fail, info } = result.counts;
  const { inconclusive, improvement } = latencyOutcomes(result);
  const more = `${inconclusive ? `, ${inconclusive} inconclusive` : ''}${improvement ? `, ${improvement} improvement(s)` : ''}`;
  return `gate ${result.pass ? 'PASSED' : 'FAILED'}: ${fail} regression(s)${more}, ${pass} ok, ${info} info — baseline ${result.baseline.label} vs current ${result.current.label}`;
}

function latencyOutcomes(result: GateResult): { inconclusive: number; improvement: number } {
  const lat = result.verdicts.filter(isLatency);
  return { inconclusive: lat.filter((v) => v.outcome === 'inconclusive').length, improvement: lat.filter((v) => v.outcome === 'improvement').length };
}

/** A fixed-width table for the terminal, failures first-readable by the FAIL column. */
export function renderConsole(result: GateResult): string {
  const header = ['status', 'scope', 'metric', 'baseline', 'current', 'change', 'limit', 'seconds'];
  const body = rows(result).map((r) => r.map(plain));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => [...r[i]].length)));
  const line = (r: string[]) => r.map((c, i) => c + ' '.repeat(widths[i] - [...c].length)).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  const notes = result.verdicts.filter((v) => v.status === 'fail' || v.outcome === 'improvement' || (v.status === 'info' && v.metric !== 'presence'))
    .map((v) => plain(`${statusText(v)}: ${v.scope}: ${v.message}`));
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
    const seconds = evidenceText(v);
    const detail = `outcome: ${v.outcome}\nbaseline: ${fmtValue(v.metric, v.baseline)}\ncurrent: ${fmtValue(v.metric, v.current)}\nchange: ${change(v) || '–'}\nlimit: ${v.limit || '–'}${seconds ? `\nseconds: ${seconds}` : ''}`;
    if (v.status === 'fail') {
      return `${open}\n      <failure message="${a(v.message)}" type="regression">${a(detail)}</failure>\n    </testcase>`;
    }
    // an inconclusive check passes (only a regression fails the gate) and says so first
    return `${open}\n      <system-out>${a(`${isLatency(v) ? v.outcome : v.status}: ${v.message}\n${detail}`)}</system-out>\n    </testcase>`;
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
  const lo = latencyOutcomes(result);
  const out = [
    `### Capacity gate: ${result.pass ? '✅ passed' : '❌ failed'}`,
    '',
    `Baseline \`${result.baseline.label.replace(/`/g, "'")}\` → current \`${result.current.label.replace(/`/g, "'")}\`: **${fail}** regression(s)${lo.inconclusive ? `, ${lo.inconclusive} inconclusive` : ''}${lo.improvement ? `, ${lo.improvement} improvement(s)` : ''}, ${pass} ok, ${info} info.`,
    '',
    'A latency check fails only when it is above its fixed limit *and* the per-second windows show the shift (Mann–Whitney, Holm-adjusted; "vs others": read against the endpoints nearest its latency in the same seconds, so a busy machine is taken out). Above the limit without that support it is *inconclusive*: said, not failed.',
    '',
  ];
  const failed = result.verdicts.filter((v) => v.status === 'fail');
  if (failed.length) {
    out.push(...failed.map((v) => `- ❌ **${e(v.scope)}**: ${e(v.message)}`), '');
  }
  const unsure = result.verdicts.filter((v) => isLatency(v) && (v.outcome === 'inconclusive' || v.outcome === 'improvement'));
  if (unsure.length) {
    out.push(...unsure.map((v) => `- ${OUTCOME_MD[v.outcome]} **${e(v.scope)}**: ${e(v.message)}`), '');
  }
  out.push('| | Scope | Metric | Baseline | Current | Change | Limit | Seconds |', '|---|---|---|---:|---:|---:|---|---|');
  for (const [i, r] of rows(result).entries()) {
    const v = result.verdicts[i];
    out.push(`| ${statusMd(v)} | ${e(r[1])} | ${e(r[2])} | ${e(r[3])} | ${e(r[4])} | ${e(r[5])} | ${e(r[6])} | ${e(r[7])} |`);
  }
  return out.join('\n') + '\n';
}
