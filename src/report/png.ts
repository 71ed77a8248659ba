import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chartConfig, type ChartPayload } from './chart-config.js';

/** PNG fallbacks of the report's charts (for e-mail, slides and readers without JavaScript). */
export async function renderPngCharts(charts: ChartPayload[], dir: string, o: { width?: number; height?: number } = {}): Promise<string[]> {
  if (charts.length === 0) return [];
  // Loaded lazily: canvas is a native module, and summary-only callers should not need it.
  const { ChartJSNodeCanvas } = await import('chartjs-node-canvas');
  const width = o.width ?? 1000, height = o.height ?? 500;
  const renderer = new ChartJSNodeCanvas({ width, height, backgroundColour: 'white' });
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const c of charts) {
    // System fonts through fontconfig: Noto Sans Devanagari draws the Hindi labels.
    const config = chartConfig(c, "'Noto Sans', 'Noto Sans Devanagari', sans-serif");
    config.options.responsive = false;
    config.options.plugins.title = { display: true, text: c.title, font: { family: "'Noto Sans', 'Noto Sans Devanagari', sans-serif", size: 16 } };
    const buf = await renderer.renderToBuffer(config);
    const file = join(dir, `${c.id}.png`);
    writeFileSync(file, buf);
    files.push(file);
  }
  return files;
}
