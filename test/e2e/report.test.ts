import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { checkReportInBrowser } from '../../src/report/screenshot.js';
import { buildReportFromRunDir } from '../../src/report/index.js';
import { makeRun, writeRunDir } from '../helpers/report-fixture.js';

let root: string;
let runDir: string;

/** Run the CLI in this process and capture stderr (the launcher only imports main). */
async function cli(...args: string[]): Promise<{ code: number; stderr: string }> {
  const write = process.stderr.write.bind(process.stderr);
  const out = process.stdout.write.bind(process.stdout);
  let stderr = '';
  process.stderr.write = ((chunk: string) => { stderr += chunk; return true; }) as typeof process.stderr.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    const code = await main(['node', 'capacity-test', ...args]);
    process.exitCode = undefined;
    return { code, stderr };
  } finally {
    process.stderr.write = write;
    process.stdout.write = out;
  }
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'report-e2e-'));
  runDir = writeRunDir(join(root, 'run'), makeRun({ seconds: 45, thresholds: { http_req_failed: ['rate<0.01'] } }));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('capacity-test report <run-dir>', () => {
  it('rebuilds summary.json from metrics alone, identical apart from generatedAt', async () => {
    expect((await cli('report', runDir)).code).toBe(0);
    const first = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
    await new Promise((r) => setTimeout(r, 5));
    expect((await cli('report', runDir, '--out', join(root, 'again'))).code).toBe(0);
    const second = JSON.parse(readFileSync(join(root, 'again', 'summary.json'), 'utf8'));
    expect(first.generatedAt).not.toBe(second.generatedAt);
    expect({ ...second, generatedAt: null }).toEqual({ ...first, generatedAt: null });
    expect(first.schemaVersion).toBe(1);
    for (const name of ['report.html', 'charts/load.png', 'charts/latency.png', 'charts/usl.png', 'charts/money.png']) expect(existsSync(join(runDir, name)), name).toBe(true);
    const png = readFileSync(join(runDir, 'charts/load.png'));
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.readUInt32BE(16)).toBe(1000); // width from the IHDR chunk
    expect(png.length).toBeGreaterThan(20_000); // a drawn chart, not an empty canvas
  });

  it('exits 2 naming a missing or broken run directory', async () => {
    const missing = join(root, 'no-such-run');
    const r = await cli('report', missing);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(missing);
    const r2 = await cli('report', root); // a directory without run.json
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('run.json');
    expect((await cli('report', runDir, '--lang', 'fr')).code).toBe(2);
  });
});

describe('the report in headless Chromium, offline', () => {
  for (const lang of ['en', 'hi'] as const) {
    it(`opens from a file URL with no network, no console error and every chart drawn (${lang})`, async () => {
      const out = join(root, `browser-${lang}`);
      const r = await buildReportFromRunDir(runDir, { lang, out, screenshot: true, png: false });
      const pdfPath = join(out, 'report.pdf');
      const check = await checkReportInBrowser(r.reportPath, { pdfPath });
      expect(check.consoleErrors).toEqual([]);
      expect(check.blockedRequests).toEqual([]);
      // Printable: Chromium's print to PDF gives a multi-page document.
      const pdf = readFileSync(pdfPath);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect((pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) ?? []).length).toBeGreaterThanOrEqual(2);
      expect(check.canvases.length).toBeGreaterThanOrEqual(5);
      for (const c of check.canvases) {
        // A drawn chart inks a good share of its canvas (axes, grid, lines); a blank one inks nothing.
        expect(c.inkPixels, c.id).toBeGreaterThan((c.width * c.height) / 50);
      }
      expect(existsSync(r.screenshotPath!)).toBe(true);
      expect(statSync(r.screenshotPath!).size).toBeGreaterThan(20_000);
      if (lang === 'hi') {
        expect(check.title).toContain('क्षमता रिपोर्ट');
        expect(check.text).toContain('निष्कर्ष');
        expect(check.text).not.toContain('Verdict');
      } else {
        expect(check.text).toContain('Verdict');
      }
    });
  }
});

describe('a run that recorded nothing', () => {
  it('still gives a summary with nulls and a report that opens without error', async () => {
    const f = makeRun({ seconds: 5, withServer: false });
    const dir = writeRunDir(join(root, 'empty'), { ...f, windows: [], runInfo: { ...f.runInfo, durationSeconds: 0, extra: {}, profile: null } });
    const r = await buildReportFromRunDir(dir, { lang: 'hi' });
    expect(r.summary.overall).toMatchObject({ requests: 0, rps: null, errorRate: null });
    expect(r.summary.timeline).toEqual([]);
    const check = await checkReportInBrowser(r.reportPath);
    expect(check.consoleErrors).toEqual([]);
    expect(check.text).toContain('निष्कर्ष');
  });
});

describe('the what-if panel', () => {
  it('recomputes instances with the bundled analysis code when a planner changes the registrations', async () => {
    const out = join(root, 'whatif');
    const r = await buildReportFromRunDir(runDir, { lang: 'en', out, png: false });
    const html = readFileSync(r.reportPath, 'utf8');
    expect(html).toContain('CapacityWhatIf');
    const check = await checkReportInBrowser(r.reportPath, { evaluate: `(function () {
      var read = function () { return Number(document.getElementById('wi-out-needed').textContent.replace(/,/g, '')); };
      var before = read();
      var input = document.getElementById('wi-registrations');
      input.value = String(Number(input.value) * 20);
      input.dispatchEvent(new Event('input'));
      var after = read();
      var share = document.getElementById('wi-share');
      share.value = '150';
      share.dispatchEvent(new Event('input'));
      return { before: before, after: after, error: document.getElementById('wi-error').textContent };
    })()` });
    expect(check.consoleErrors).toEqual([]);
    const { before, after, error } = check.evaluated as { before: number; after: number; error: string };
    expect(before).toBeGreaterThanOrEqual(1);
    // untouched, the panel states the verdict's own instance count (one sizing: summary.json capacity.sizing)
    expect(before).toBe(r.summary.capacity.instancesForPeak);
    expect(after).toBeGreaterThan(before);
    // A share over 100% is refused by the analysis' own validation, and the page says so.
    expect(error).toMatch(/first-hour share/);
  });

  it('names the refused figure in Hindi as the panel labels it', async () => {
    const out = join(root, 'whatif-hi');
    const r = await buildReportFromRunDir(runDir, { lang: 'hi', out, png: false });
    const check = await checkReportInBrowser(r.reportPath, { evaluate: `(function () {
      var share = document.getElementById('wi-share');
      share.value = '150';
      share.dispatchEvent(new Event('input'));
      return document.getElementById('wi-error').textContent;
    })()` });
    expect(check.consoleErrors).toEqual([]);
    expect(check.evaluated).toBe('आँकड़े जाँचें: "इनमें से पहले घंटे का हिस्सा (%)" में 150 नहीं हो सकता।');
  });
});
