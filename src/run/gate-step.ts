import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compareSummaries } from '../gate/compare.js';
import { loadSummary } from '../gate/load.js';
import { renderConsole, renderJUnit, renderMarkdown } from '../gate/render.js';
import { appendStepSummary } from '../gate/step-summary.js';

/** launch-day --baseline: the gate with default tolerances; verdicts kept beside the report. */
export async function runGate(baselinePath: string, currentPath: string, runDir: string, write: (s: string) => void = (s) => process.stderr.write(s)): Promise<{ pass: boolean }> {
  const baseline = await loadSummary(baselinePath, 'baseline');
  const current = await loadSummary(currentPath, 'current');
  const result = compareSummaries(baseline.summary, current.summary, {},
    { baseline: `${baseline.summary.run.id} (${baseline.file})`, current: `${current.summary.run.id} (${current.file})` });
  await writeFile(join(runDir, 'gate.junit.xml'), renderJUnit(result));
  const markdown = renderMarkdown(result);
  await writeFile(join(runDir, 'gate.md'), markdown);
  await appendStepSummary(markdown);
  write(renderConsole(result));
  return { pass: result.pass };
}
