/**
 * One localized chart → a chart.js configuration. Used in the page (its source is inlined with
 * Function.prototype.toString, so it must stay self-contained: no imports, no outer variables) and
 * by the PNG renderer in Node, so both draw the same chart.
 */
export interface ChartPayload {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  y2Label?: string;
  kind: 'time' | 'xy';
  labels: string[];
  shade?: boolean[];
  /** labelled bands, bucket index ranges (inclusive): faults red; `generator` (a runner whose generator fell behind) grey */
  faults?: Array<{ from: number; to: number; label: string; tone?: 'generator' }>;
  stacked?: boolean;
  markerX?: number | null;
  markerLabel?: string;
  datasets: Array<{ label: string; data: Array<number | null> | Array<{ x: number; y: number }>; color: string; dashed?: boolean; axis?: 'y' | 'y2'; type?: 'line' | 'bar' | 'scatter'; stack?: string }>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function chartConfig(c: ChartPayload, font: string): any {
  const hasY2 = c.datasets.some((d) => d.axis === 'y2');
  const shadePlugin = {
    id: 'saturationShade',
    beforeDatasetsDraw(chart: any) {
      const shade = c.shade;
      if (c.kind !== 'time') return;
      const x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      const step = c.labels.length > 1 ? Math.abs(x.getPixelForValue(1) - x.getPixelForValue(0)) : area.right - area.left;
      ctx.save();
      for (const f of c.faults ?? []) {
        const grey = f.tone === 'generator';
        const left = Math.max(area.left, x.getPixelForValue(f.from) - step / 2), right = Math.min(area.right, x.getPixelForValue(f.to) + step / 2);
        ctx.fillStyle = grey ? 'rgba(120,120,120,0.18)' : 'rgba(207,34,46,0.10)';
        ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
        ctx.strokeStyle = grey ? 'rgba(87,96,106,0.7)' : 'rgba(207,34,46,0.7)';
        ctx.lineWidth = 1;
        ctx.beginPath(); ctx.moveTo(left, area.top); ctx.lineTo(left, area.bottom); ctx.moveTo(right, area.top); ctx.lineTo(right, area.bottom); ctx.stroke();
        ctx.fillStyle = grey ? '#424a53' : '#a40e26';
        ctx.font = `11px ${font}`;
        // a runner's label a line below a fault's, so the two can share a stretch
        ctx.fillText(f.label, left + 3, area.top + (grey ? 24 : 12), Math.max(40, right - left - 6));
      }
      if (!shade) { ctx.restore(); return; }
      ctx.fillStyle = 'rgba(120,120,120,0.18)';
      for (let i = 0; i < shade.length; i++) {
        if (!shade[i]) continue;
        const px = x.getPixelForValue(i);
        ctx.fillRect(Math.max(area.left, px - step / 2), area.top, step, area.bottom - area.top);
      }
      ctx.restore();
    },
  };
  const markerPlugin = {
    id: 'kneeMarker',
    afterDatasetsDraw(chart: any) {
      if (c.kind !== 'xy' || c.markerX === null || c.markerX === undefined) return;
      const x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      const px = x.getPixelForValue(c.markerX);
      if (px < area.left || px > area.right) return;
      ctx.save();
      ctx.strokeStyle = '#bf8700';
      ctx.lineWidth = 2;
      ctx.setLineDash([6, 4]);
      ctx.beginPath(); ctx.moveTo(px, area.top); ctx.lineTo(px, area.bottom); ctx.stroke();
      ctx.fillStyle = '#7d5a00';
      ctx.font = `12px ${font}`;
      ctx.fillText(c.markerLabel ?? 'knee', px + 4, area.top + 14);
      ctx.restore();
    },
  };
  const datasets = c.datasets.map((d) => ({
    label: d.label,
    data: d.data,
    type: d.type === 'scatter' ? 'scatter' : d.type === 'bar' ? 'bar' : 'line',
    borderColor: d.color,
    backgroundColor: d.type === 'bar' || d.type === 'scatter' ? d.color : d.color + '33',
    borderDash: d.dashed ? [6, 4] : [],
    borderWidth: 2,
    pointRadius: d.type === 'scatter' ? 4 : 0,
    showLine: d.type !== 'scatter',
    spanGaps: true,
    yAxisID: d.axis === 'y2' ? 'y2' : 'y',
    stack: d.stack,
    tension: 0.15,
  }));
  const tick = { font: { family: font, size: 11 } };
  const title = (text: string) => ({ display: true, text, font: { family: font, size: 12 } });
  const scales: any = c.kind === 'time'
    ? { x: { type: 'category', stacked: !!c.stacked, title: title(c.xLabel), ticks: { ...tick, maxTicksLimit: 12, autoSkip: true, maxRotation: 0 } } }
    : { x: { type: 'linear', beginAtZero: true, title: title(c.xLabel), ticks: tick } };
  scales.y = { type: 'linear', position: 'left', beginAtZero: true, stacked: !!c.stacked, title: title(c.yLabel), ticks: tick };
  if (hasY2) scales.y2 = { type: 'linear', position: 'right', beginAtZero: true, title: title(c.y2Label ?? ''), ticks: tick, grid: { drawOnChartArea: false } };
  return {
    type: 'line',
    data: { labels: c.kind === 'time' ? c.labels : undefined, datasets },
    options: {
      animation: false,
      locale: 'en-IN',
      responsive: true,
      maintainAspectRatio: false,
      parsing: c.kind === 'xy' ? true : undefined,
      interaction: { mode: c.kind === 'time' ? 'index' : 'nearest', intersect: false },
      plugins: {
        legend: { position: 'bottom', labels: { font: { family: font, size: 11 }, boxWidth: 14 } },
        title: { display: false },
        tooltip: { titleFont: { family: font }, bodyFont: { family: font } },
      },
      scales,
    },
    plugins: [shadePlugin, markerPlugin],
  };
}
