import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { assess, assessRunDir, type Assessment } from '../../../src/assess/index.js';
import { buildReportModel } from '../../../src/report/model.js';
import { keyFigures, verdictSentences } from '../../../src/report/verdict-text.js';
import { whatIf } from '../../../src/analysis/whatif.js';
import { makeRun } from '../../helpers/report-fixture.js';

/** Every instance count and peak one report states: the verdict's, the card's and the untouched what-if panel's. */
function countsOf(a: Assessment) {
  const m = buildReportModel(a);
  const d = m.whatIf!;
  // what the page's script hands whatIf while no field was changed (whatif-panel.ts: exact defaults)
  const panel = whatIf({
    registrationsPerDay: d.registrationsPerDay, firstHourShare: d.firstHourShare, headroom: d.headroom, perInstanceRps: d.perInstanceRps,
    callsPerRegistration: d.callsPerRegistration, maxWaitMs: d.maxWaitMs, quantile: d.quantile, peakFactor: d.peakFactor ?? undefined,
  });
  const card = keyFigures(m, 'en').find((f) => f.label === 'Instances needed')!.value;
  const sentence = verdictSentences(m, 'en').find((s) => /needs \d+ instance/.test(s.text))!.text;
  return { m, panel, card, sentence };
}

describe('one demand figure per question', () => {
  it.each([
    ['a fixture run', () => assess(makeRun({ seconds: 60 }))],
    ['a saved quick launch day', () => assessRunDir(join(import.meta.dirname, '../../fixtures/quick-launch-day'))],
  ])('gives one instance count and one peak in the verdict, the cards and the untouched what-if panel (%s)', async (_, run) => {
    const { m, panel, card, sentence } = countsOf(await run());
    const n = m.verdict.instancesForPeak!;
    expect(n).toBeGreaterThanOrEqual(1);
    expect(card).toBe(String(n));
    expect(sentence).toContain(`needs ${n} instance`);
    expect(panel.instancesNeeded).toBe(n);
    expect(panel.peakDemandRps).toBeCloseTo(m.verdict.peakDemandRps!, 6);
    expect(m.whatIf!.headroom).toBe(m.verdict.headroom);
    // the panel also shows the first-hour average, lower than the peak that sizes the fleet
    expect(panel.firstHourAverageRps).toBeLessThan(panel.peakDemandRps);
  });
});
