import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EnvironmentError } from '../contracts/errors.js';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const INK_SCRIPT = `Array.from(document.querySelectorAll('canvas')).map(function (c) {
  var ctx = c.getContext('2d'), ink = 0;
  if (ctx && c.width > 0 && c.height > 0) {
    var d = ctx.getImageData(0, 0, c.width, c.height).data;
    for (var i = 3; i < d.length; i += 4) if (d[i] !== 0) ink++;
  }
  return { id: c.id, width: c.width, height: c.height, inkPixels: ink };
})`;

export interface PageCheck {
  consoleErrors: string[];
  /** requests the page tried to make outside file:// (all refused) */
  blockedRequests: string[];
  canvases: Array<{ id: string; width: number; height: number; inkPixels: number }>;
  title: string;
  text: string;
  /** the value of `evaluate`, a browser-side expression run after the charts are drawn */
  evaluated?: unknown;
}

/**
 * Open a report in headless Chromium with the network cut off (every non-file request aborted),
 * note console errors, count drawn pixels of each chart canvas, and optionally save a screenshot.
 */
export async function checkReportInBrowser(reportPath: string, o: { screenshotPath?: string; pdfPath?: string; width?: number; evaluate?: string } = {}): Promise<PageCheck> {
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch (err) {
    throw new EnvironmentError(`playwright-core is not usable: ${(err as Error).message}`);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'capacity-test-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true,
      viewport: { width: o.width ?? 1280, height: 900 }, deviceScaleFactor: 1, offline: true,
    });
  } catch (err) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw new EnvironmentError(`cannot start ${CHROMIUM}: ${(err as Error).message.split('\n')[0]}`);
  }
  try {
    const blockedRequests: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      blockedRequests.push(url);
      return route.abort();
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const consoleErrors: string[] = [];
    page.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });
    page.on('pageerror', (err) => consoleErrors.push(String(err)));
    await page.goto(pathToFileURL(reportPath).href, { waitUntil: 'load' });
    // Browser-side code as strings: this package compiles without the DOM library.
    await page.waitForFunction('window.__reportCharts !== undefined', undefined, { timeout: 15_000 });
    const canvases = (await page.evaluate(INK_SCRIPT)) as PageCheck['canvases'];
    if (o.screenshotPath) await page.screenshot({ path: o.screenshotPath, fullPage: true });
    if (o.pdfPath) {
      await page.emulateMedia({ media: 'print' });
      await page.pdf({ path: o.pdfPath, format: 'A4', printBackground: true });
      await page.emulateMedia({ media: 'screen' });
    }
    const evaluated = o.evaluate ? await page.evaluate(o.evaluate) : undefined;
    return { evaluated, consoleErrors, blockedRequests, canvases, title: await page.title(), text: (await page.evaluate('document.body.innerText')) as string };
  } finally {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

export async function screenshotReport(reportPath: string, screenshotPath: string): Promise<PageCheck> {
  return checkReportInBrowser(reportPath, { screenshotPath });
}
