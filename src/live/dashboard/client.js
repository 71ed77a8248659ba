/*
 * The live page's script (served by src/live/dashboard/server.ts; chart.js comes from /chart.js).
 * Listens to /events (server-sent events: start, second, abort, done, report) and redraws the charts
 * from the seconds received, one point per second, a second sent again (a late window) replacing its
 * point. `window.dashboard.points()` lists what the page holds, in order.
 */
/* global Chart, EventSource, document, window */
(function () {
  'use strict';
  var points = new Map(); // t → SecondPoint
  var plannedSeconds = null;
  var charts = {};
  var endpointCharts = new Map(); // name → chart
  var ERROR_COLOURS = { network: '#7c3aed', '429': '#f59e0b', '503': '#dc2626', '5xx': '#991b1b', '4xx': '#ea580c', other: '#6b7280' };

  function sorted() { return Array.from(points.keys()).sort(function (a, b) { return a - b; }).map(function (t) { return points.get(t); }); }

  // grey bands behind the seconds the generator could not keep the plan
  var shade = {
    id: 'saturated',
    beforeDatasetsDraw: function (chart) {
      var list = sorted(), x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      if (!x || list.length === 0) return;
      var step = list.length > 1 ? Math.abs(x.getPixelForValue(1) - x.getPixelForValue(0)) : area.right - area.left;
      ctx.save();
      ctx.fillStyle = 'rgba(120,120,120,0.18)';
      list.forEach(function (p, i) {
        if (p.saturated) ctx.fillRect(x.getPixelForValue(i) - step / 2, area.top, step, area.bottom - area.top);
      });
      ctx.restore();
    },
  };

  function lineChart(canvas, datasets, yTitle, extraScales) {
    var scales = { x: { title: { display: true, text: 'second of the run' } }, y: { beginAtZero: true, title: { display: !!yTitle, text: yTitle || '' } } };
    if (extraScales) Object.keys(extraScales).forEach(function (k) { scales[k] = extraScales[k]; });
    return new Chart(canvas, {
      type: 'line',
      data: { labels: [], datasets: datasets.map(function (d) { return Object.assign({ data: [], pointRadius: 0, borderWidth: 2, spanGaps: false, tension: 0 }, d); }) },
      options: { animation: false, responsive: true, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false }, scales: scales },
      plugins: [shade],
    });
  }

  function latencyDatasets() {
    return [{ label: 'p50', borderColor: '#2563eb' }, { label: 'p95', borderColor: '#f59e0b' }, { label: 'p99', borderColor: '#dc2626' }];
  }

  function setup() {
    charts.arrivals = lineChart('arrivals', [{ label: 'planned', borderColor: '#6b7280', borderDash: [6, 4] }, { label: 'started', borderColor: '#2563eb' }, { label: 'dropped', borderColor: '#dc2626' }], 'per second');
    charts.requests = lineChart('requests', [{ label: 'requests', borderColor: '#2563eb' }], 'per second');
    charts.latency = lineChart('latency', latencyDatasets(), 'ms');
    charts.vus = lineChart('vus', [{ label: 'VUs', borderColor: '#0f766e' }], 'VUs');
    charts.generator = lineChart('generator', [
      { label: 'schedule lag p99 (ms)', borderColor: '#dc2626', yAxisID: 'y' },
      { label: 'event-loop lag p99 (ms)', borderColor: '#f59e0b', yAxisID: 'y' },
      { label: 'CPU %', borderColor: '#2563eb', yAxisID: 'cpu' },
    ], 'ms', { cpu: { position: 'right', beginAtZero: true, suggestedMax: 100, title: { display: true, text: 'CPU %' }, grid: { drawOnChartArea: false } } });
  }

  function endpointChart(name) {
    var c = endpointCharts.get(name);
    if (c) return c;
    var fig = document.createElement('figure');
    var cap = document.createElement('figcaption');
    cap.textContent = name;
    var box = document.createElement('div');
    box.className = 'box';
    var canvas = document.createElement('canvas');
    canvas.id = 'endpoint-' + endpointCharts.size;
    canvas.setAttribute('data-endpoint', name);
    box.appendChild(canvas);
    fig.appendChild(cap);
    fig.appendChild(box);
    document.getElementById('endpoints').appendChild(fig);
    c = lineChart(canvas, latencyDatasets(), 'ms');
    endpointCharts.set(name, c);
    return c;
  }

  function setSeries(chart, labels, columns) {
    chart.data.labels = labels;
    columns.forEach(function (col, i) { chart.data.datasets[i].data = col; });
    chart.update('none');
  }

  function redraw() {
    var list = sorted();
    var labels = list.map(function (p) { return String(p.t); });
    setSeries(charts.arrivals, labels, [list.map(function (p) { return p.planned; }), list.map(function (p) { return p.started; }), list.map(function (p) { return p.dropped; })]);
    // one line per error kind seen so far, after the requests line
    var kinds = [];
    list.forEach(function (p) { Object.keys(p.errors).forEach(function (k) { if (kinds.indexOf(k) < 0) kinds.push(k); }); });
    kinds.sort();
    var ds = charts.requests.data.datasets;
    kinds.forEach(function (k, i) {
      var label = 'failed: ' + k;
      if (!ds[i + 1] || ds[i + 1].label !== label) ds.splice(i + 1, 0, { label: label, data: [], borderColor: ERROR_COLOURS[k] || '#6b7280', pointRadius: 0, borderWidth: 2, tension: 0 });
    });
    setSeries(charts.requests, labels, [list.map(function (p) { return p.requests; })].concat(kinds.map(function (k) { return list.map(function (p) { return p.errors[k] || 0; }); })));
    var pct = function (get) { return ['p50', 'p95', 'p99'].map(function (q) { return list.map(function (p) { var v = get(p); return v ? v[q] : null; }); }); };
    setSeries(charts.latency, labels, pct(function (p) { return p.latency; }));
    var names = [];
    list.forEach(function (p) { Object.keys(p.endpoints).forEach(function (n) { if (names.indexOf(n) < 0) names.push(n); }); });
    names.sort().forEach(function (n) { setSeries(endpointChart(n), labels, pct(function (p) { return p.endpoints[n]; })); });
    setSeries(charts.vus, labels, [list.map(function (p) { return p.vus; })]);
    setSeries(charts.generator, labels, [list.map(function (p) { return p.scheduleLagP99Ms; }), list.map(function (p) { return p.eventLoopLagP99Ms; }), list.map(function (p) { return p.cpuPercent; })]);
    var last = list[list.length - 1];
    if (last) { showNow(last); showThresholds(last.thresholds); }
  }

  var fmt = function (v, d) { return v === null || v === undefined ? '–' : Number(v).toFixed(d === undefined ? 0 : d); };

  function showNow(p) {
    var failed = Object.keys(p.errors).map(function (k) { return k + ' ' + p.errors[k]; }).join(', ') || '0';
    var rows = [['second', p.t], ['arrivals started / planned', p.started + ' / ' + p.planned], ['dropped', p.dropped], ['requests', p.requests],
      ['failed', failed], ['p95 (ms)', fmt(p.latency.p95, 1)], ['VUs', p.vus], ['schedule lag p99 (ms)', fmt(p.scheduleLagP99Ms, 1)],
      ['CPU %', fmt(p.cpuPercent)], ['generator', p.saturated ? 'SATURATED: this second does not measure the target' : 'kept the plan']];
    var table = document.getElementById('now');
    table.innerHTML = '';
    rows.forEach(function (r) {
      var tr = table.insertRow();
      tr.insertCell().textContent = r[0];
      var td = tr.insertCell();
      td.textContent = String(r[1]);
      td.setAttribute('data-key', r[0]);
    });
    document.getElementById('elapsed').textContent = (p.t + 1) + ' s' + (plannedSeconds ? ' of ' + plannedSeconds + ' s' : '');
  }

  function showThresholds(list) {
    if (!list || list.length === 0) return;
    var table = document.getElementById('thresholds');
    table.innerHTML = '<tr><th>metric</th><th>threshold</th><th>value so far</th><th>state</th><th>first failed at second</th></tr>';
    list.forEach(function (c) {
      var tr = table.insertRow();
      [c.name, c.threshold, fmt(c.value, 3), c.pass === null ? 'no sample yet' : c.pass ? 'pass' : 'FAIL', c.firstFailedAt === null ? '' : String(c.firstFailedAt)]
        .forEach(function (text, i) { var td = tr.insertCell(); td.textContent = text; if (i === 3) td.className = c.pass === null ? 'pending' : c.pass ? 'pass' : 'fail'; });
    });
  }

  var pending = false;
  function schedule() { if (!pending) { pending = true; setTimeout(function () { pending = false; redraw(); }, 0); } }

  function status(text, cls) { var s = document.getElementById('status'); s.textContent = text; s.className = cls || ''; }

  setup();
  var source = new EventSource('/events');
  source.addEventListener('start', function (e) { var s = JSON.parse(e.data); plannedSeconds = s.plannedSeconds; status('running'); });
  source.addEventListener('second', function (e) { var p = JSON.parse(e.data); points.set(p.t, p); schedule(); });
  source.addEventListener('abort', function (e) { var a = JSON.parse(e.data); status('aborting: ' + a.name + ' ' + a.threshold + ' crossed', 'aborted'); });
  source.addEventListener('done', function (e) { var d = JSON.parse(e.data); status(d.aborted ? 'aborted: ' + d.abortReason : 'finished', d.aborted ? 'aborted' : 'done'); });
  source.addEventListener('report', function (e) {
    var r = JSON.parse(e.data), a = document.getElementById('report');
    a.href = r.href; a.textContent = 'report: ' + r.path; a.hidden = false;
    source.close();
  });
  window.dashboard = { points: sorted, charts: charts, endpointCharts: endpointCharts };
})();
