/**
 * The report page's script, part 2 of 5 (page-script.ts joins them into one function scope):
 * the synchronised uPlot charts — downsampled to the plot's width (the maximum per pixel
 * column, exact samples once zoomed in far enough), time axes, the SKS-Proxy and panic bands
 * of the focus revision, the cursor line, zoom by dragging — for one run (the report) and for
 * several overlaid (the comparison page).
 * Reads the view state and helpers of part 1; calls setCursor and drawLane (part 3).
 */
export const CHARTS_SCRIPT = String.raw`
// ---- downsampling ----------------------------------------------------------------------
/** Sample indices [i0, i1) visible in the range and the bucket size giving about one point per pixel. */
function window_(run, stepMs, n, width) {
  var i0 = Math.max(0, Math.floor(state.from / stepMs) - 1), i1 = Math.min(n, Math.ceil(state.to / stepMs) + 1);
  var span = Math.max(1, i1 - i0), px = Math.max(50, Math.floor(width));
  var bucket = span <= px * 2 ? 1 : Math.ceil(span / px);
  return { i0: i0, i1: i1, bucket: bucket };
}
function xs(w, stepMs) { var out = []; for (var i = w.i0; i < w.i1; i += w.bucket) out.push((Math.min(w.i1, i + w.bucket)) * stepMs / 1000); return out; }
function ys(arr, w, f) {
  var out = [];
  for (var i = w.i0; i < w.i1; i += w.bucket) {
    var end = Math.min(w.i1, i + w.bucket), m = -Infinity;
    for (var k = i; k < end; k++) { var v = f ? f(k) : arr[k]; if (v > m) m = v; }
    out.push(m === -Infinity ? null : m);
  }
  return out;
}

// ---- charts ----------------------------------------------------------------------------
var charts = [];
var tip = null;
/** Axis ticks at round durations (1 s … 1 day), labelled compactly: 0, 50s, 2m30s, 3h. */
var TICKS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];
function fmtTick(sec) {
  if (sec === 0) return '0';
  var s = Math.round(sec * 10) / 10, h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = Math.round((s % 60) * 10) / 10;
  return (h ? h + 'h' : '') + (m ? m + 'm' : '') + (r || (!h && !m) ? r + 's' : '');
}
function axisTime() { return { incrs: TICKS, values: function (u, vals) { return vals.map(fmtTick); }, space: 60 }; }
function drawOverlay(u) {
  var ctx = u.ctx, top = u.bbox.top, h = u.bbox.height;
  // Bands: the focus revision's SKS Proxy (the activator in the path) and panic.
  if (!COMPARE && state.focus) {
    var rev = run0.columns.find(function (r) { return r.name === state.focus; });
    if (rev) {
      var mode = run0.col(rev, 'sksMode'), panic = run0.col(rev, 'panic'), stepMs = run0.stepMs;
      [[mode, 1, 'rgba(120,120,120,0.13)'], [panic, 1, 'rgba(213,94,0,0.22)']].forEach(function (b) {
        var arr = b[0], want = b[1];
        ctx.fillStyle = b[2];
        var i0 = Math.max(0, Math.floor(state.from / stepMs) - 1), i1 = Math.min(arr.length, Math.ceil(state.to / stepMs) + 1), start = -1;
        for (var i = i0; i <= i1; i++) {
          var on = i < i1 && arr[i] === want;
          if (on && start < 0) start = i;
          if (!on && start >= 0) {
            var x0 = u.valToPos(start * stepMs / 1000, 'x', true), x1 = u.valToPos(i * stepMs / 1000, 'x', true);
            ctx.fillRect(x0, top, Math.max(1, x1 - x0), h); start = -1;
          }
        }
      });
    }
  }
  // Expectation window being shown.
  if (state.highlight) {
    var hx0 = u.valToPos(state.highlight[0] / 1000, 'x', true), hx1 = u.valToPos(state.highlight[1] / 1000, 'x', true);
    ctx.fillStyle = 'rgba(0,114,178,0.10)'; ctx.fillRect(hx0, top, Math.max(2, hx1 - hx0), h);
  }
}
function drawCursor(u) {
  var x = u.valToPos(state.cursor / 1000, 'x', true);
  if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
  var ctx = u.ctx; ctx.save(); ctx.strokeStyle = '#000'; ctx.lineWidth = 2 * devicePixelRatio; ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke(); ctx.restore();
}
function makeChart(spec) {
  var fig = el('figure', { role: 'group', 'aria-label': spec.title + ' (a text summary is in the tables)' }, [el('figcaption', { text: spec.title })]);
  if (spec.note) fig.appendChild(el('div', { cls: 'legendnote', text: spec.note }));
  var holder = el('div', { cls: 'chart', 'data-chart': spec.id });
  fig.appendChild(holder);
  $('charts').appendChild(fig);
  var chart = { spec: spec, holder: holder, u: null };
  charts.push(chart);
  return chart;
}
function chartWidth() { return Math.max(320, $('charts').clientWidth - 4); }
function buildChart(chart) {
  var built = chart.spec.build(chartWidth());
  var opts = {
    width: chartWidth(), height: chart.spec.height || 170,
    scales: { x: { time: false, min: state.from / 1000, max: state.to / 1000 }, y: { range: function (u, min, max) { return [0, Math.max(chart.spec.minY || 1, max * 1.08)]; } } },
    axes: [axisTime(), { size: 52, values: function (u, vals) { return vals.map(function (v) { return String(Math.round(v * 100) / 100); }); } }],
    series: [{ label: 'time', value: function (u, v) { return v == null ? '' : fmtDur(v * 1000); } }].concat(built.series),
    legend: { show: true, live: true },
    cursor: { drag: { x: true, y: false, setScale: false }, sync: { key: 'knsim' } },
    hooks: { drawClear: [drawOverlay], draw: [drawCursor], setSelect: [onSelect] }
  };
  if (chart.u) chart.u.destroy();
  chart.u = new uPlot(opts, built.data, chart.holder);
  chart.u.over.addEventListener('click', function (e) {
    if (chart.dragged) { chart.dragged = false; return; }
    setCursor(chart.u.posToVal(e.offsetX, 'x') * 1000);
  });
  chart.u.over.addEventListener('mousedown', function () { chart.dragged = false; });
}
function onSelect(u) {
  if (u.select.width < 4) return;
  var a = u.posToVal(u.select.left, 'x') * 1000, b = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
  charts.forEach(function (c) { c.dragged = c.u === u; });
  u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
  setRange(a, b);
}
function setRange(a, b) {
  var maxT = Math.max.apply(null, RUNS.map(function (r) { return r.durationMs; }));
  state.from = Math.max(0, Math.min(a, b)); state.to = Math.min(maxT, Math.max(a, b));
  if (state.to - state.from < 5000) { var mid = (state.from + state.to) / 2; state.from = Math.max(0, mid - 2500); state.to = Math.min(maxT, mid + 2500); }
  redrawAll();
}
function redrawAll() {
  var w = chartWidth();
  charts.forEach(function (c) {
    var built = c.spec.build(w);
    if (!c.u || c.u.series.length !== built.series.length + 1 || c.u.width !== w) { buildChart(c); return; }
    c.u.batch(function () { c.u.setData(built.data, false); c.u.setScale('x', { min: state.from / 1000, max: state.to / 1000 }); });
  });
  drawLane();
  $('range').textContent = fmtDur(state.from) + ' – ' + fmtDur(state.to) + (state.to - state.from < maxDuration() ? ' (zoomed: drag on a chart to zoom more; double-click or Reset to see all)' : ' (drag on a chart to zoom)');
}
function maxDuration() { return Math.max.apply(null, RUNS.map(function (r) { return r.durationMs; })); }

function runSeries(run, label, stroke, dash, width) { return { label: label, stroke: stroke, dash: dash, width: width || 1.5, points: { show: false }, paths: uPlot.paths.stepped({ align: 1 }) }; }

function reportCharts() {
  makeChart({ id: 'requests', title: 'Requests per second, by status (responses ended in each second)', build: function (width) {
    var codes = Object.keys(run0.status).sort(), w = window_(run0, run0.stepMs, run0.steps, width);
    return { data: [xs(w, run0.stepMs)].concat(codes.map(function (c) { return ys(run0.statusCol(c), w); })),
      series: codes.map(function (c) { return runSeries(run0, String(c), STATUS_COLOR[c] || '#000', c === '200' ? [] : [5, 3]); }) };
  } });
  makeChart({ id: 'pods', title: 'Pods per revision: ready (solid), desired (dashed), all incl. starting/terminating (dotted)', note: 'Shaded: grey where the activator is in the path (SKS Proxy), orange where the KPA is in panic, for the focus revision.', build: function (width) {
    var revs = selectedRevs(run0), w = window_(run0, run0.stepMs, run0.steps, width), data = [xs(w, run0.stepMs)], series = [];
    revs.forEach(function (rev, i) {
      var color = PALETTE[i % PALETTE.length];
      data.push(ys(run0.col(rev, 'readyPods'), w)); series.push(runSeries(run0, rev.name + ' ready', color, DASH.ready, 2));
      data.push(ys(run0.col(rev, 'desiredReplicas'), w)); series.push(runSeries(run0, rev.name + ' desired', color, DASH.desired));
      data.push(ys(run0.col(rev, 'pods'), w)); series.push(runSeries(run0, rev.name + ' all', color, DASH.total));
    });
    if (run0.columns.length > revs.length) { data.push(ys(run0.total('readyPods'), w)); series.push(runSeries(run0, 'all revisions ready', '#000', [1, 2])); }
    return { data: data, series: series };
  } });
  makeChart({ id: 'concurrency', title: 'Concurrency: stable window (solid), panic window (dashed), target × ready pods (dotted), panic threshold (dash-dot)', note: 'Click a legend entry to hide that line; the axis rescales to what is left.', build: function (width) {
    var revs = selectedRevs(run0), w = window_(run0, run0.stepMs, run0.steps, width), data = [xs(w, run0.stepMs)], series = [];
    revs.forEach(function (rev, i) {
      var color = PALETTE[i % PALETTE.length], ready = run0.col(rev, 'readyPods');
      data.push(ys(run0.col(rev, 'stableConcurrency'), w)); series.push({ label: rev.name + ' stable', stroke: color, width: 2, points: { show: false } });
      data.push(ys(run0.col(rev, 'panicConcurrency'), w)); series.push({ label: rev.name + ' panic', stroke: color, dash: DASH.panic, points: { show: false } });
      data.push(ys(null, w, function (k) { return rev.target * ready[k]; })); series.push(runSeries(run0, rev.name + ' target × ready (' + num(rev.target) + ' per pod)', color, DASH.target));
      data.push(ys(null, w, function (k) { return rev.threshold * rev.target * Math.max(1, ready[k]); })); series.push(runSeries(run0, rev.name + ' panic threshold (' + num(rev.threshold) + '×)', color, DASH.threshold, 1));
    });
    return { data: data, series: series };
  } });
  makeChart({ id: 'latency', title: 'Latency per ' + fmtDur(run0.latency.intervalMs) + ' interval: p50 (solid), p99 (dashed), ms', build: function (width) {
    var L = run0.lat, w = window_(run0, run0.latency.intervalMs, run0.latency.intervals, width);
    function masked(arr) { return ys(null, w, function (k) { return L.count[k] > 0 ? arr[k] : -Infinity; }); }
    return { data: [xs(w, run0.latency.intervalMs), masked(L.p50), masked(L.p99)],
      series: [{ label: 'p50', stroke: '#0072B2', width: 2, points: { show: false } }, { label: 'p99', stroke: '#D55E00', dash: [6, 4], width: 2, points: { show: false } }] };
  } });
  makeChart({ id: 'activator', title: 'Requests waiting in the activator, per revision', height: 130, build: function (width) {
    var revs = selectedRevs(run0), w = window_(run0, run0.stepMs, run0.steps, width), data = [xs(w, run0.stepMs)], series = [];
    revs.forEach(function (rev, i) { data.push(ys(run0.col(rev, 'activatorQueue'), w)); series.push(runSeries(run0, rev.name, PALETTE[i % PALETTE.length], [], 2)); });
    return { data: data, series: series };
  } });
}

function compareCharts() {
  function total(title, id, f, dashes) {
    makeChart({ id: id, title: title, build: function (width) {
      var longest = RUNS.reduce(function (a, r) { return r.steps > a.steps ? r : a; }, RUNS[0]);
      var w = window_(longest, longest.stepMs, longest.steps, width), data = [xs(w, longest.stepMs)], series = [];
      RUNS.forEach(function (run, i) {
        var arr = f(run);
        data.push(ys(null, w, function (k) { return k < arr.length ? arr[k] : -Infinity; }));
        series.push({ label: DATA.labels[i], stroke: PALETTE[i % PALETTE.length], dash: dashes ? [[], [6, 4], [2, 3], [8, 3, 2, 3]][i % 4] : [], width: 2, points: { show: false }, paths: uPlot.paths.stepped({ align: 1 }) });
      });
      return { data: data, series: series };
    } });
  }
  total('Ready pods, all revisions', 'pods', function (run) { return run.total('readyPods'); }, true);
  total('Requests per second (responses)', 'requests', function (run) { return run.allRequests(); }, true);
  total('Stable-window concurrency, all revisions', 'concurrency', function (run) { return run.total('stableConcurrency'); }, true);
  total('Requests waiting in the activator', 'activator', function (run) { return run.total('activatorQueue'); }, true);
  makeChart({ id: 'latency', title: 'Latency p99 per interval, ms', build: function (width) {
    var longest = RUNS.reduce(function (a, r) { return r.latency.intervals > a.latency.intervals ? r : a; }, RUNS[0]);
    var w = window_(longest, longest.latency.intervalMs, longest.latency.intervals, width), data = [xs(w, longest.latency.intervalMs)], series = [];
    RUNS.forEach(function (run, i) {
      data.push(ys(null, w, function (k) { return k < run.lat.p99.length && run.lat.count[k] > 0 ? run.lat.p99[k] : -Infinity; }));
      series.push({ label: DATA.labels[i], stroke: PALETTE[i % PALETTE.length], dash: [[], [6, 4], [2, 3], [8, 3, 2, 3]][i % 4], width: 2, points: { show: false } });
    });
    return { data: data, series: series };
  } });
}
`;
