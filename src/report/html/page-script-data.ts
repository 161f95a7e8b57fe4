/**
 * The report page's script, part 1 of 5 (page-script.ts joins them into one function scope):
 * the data embedded in the page decoded (the varint reader of its 64-letter alphabet,
 * run-length columns expanded lazily per run, events, object changes and autoscaler
 * decisions), the DOM and number-formatting helpers every part uses, and the view state
 * (time range, cursor, selected revisions, event components, focus revision) the other parts
 * read and change. The encoding it reads is page-data.ts's.
 */
export const DATA_SCRIPT = String.raw`
var DATA = JSON.parse(document.getElementById('knsim-data').textContent);
var RUNS = DATA.runs;
var COMPARE = DATA.mode === 'compare';
var DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
var DIGIT = {};
for (var di = 0; di < DIGITS.length; di++) DIGIT[DIGITS[di]] = di;
var PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9', '#000000', '#F0E442'];
var STATUS_COLOR = { '200': '#0072B2', '404': '#777777', '500': '#D55E00', '502': '#009E73', '503': '#E69F00', '504': '#CC79A7' };
var STRING_FIELDS = ['phase', 'via'];
var DASH = { ready: [], desired: [6, 4], total: [2, 3], stable: [], panic: [6, 4], target: [2, 3], threshold: [8, 3, 2, 3] };

function $(id) { return document.getElementById(id); }
function el(tag, attrs, children) {
  var e = document.createElement(tag);
  if (attrs) for (var k in attrs) { if (k === 'text') e.textContent = attrs[k]; else if (k === 'cls') e.className = attrs[k]; else e.setAttribute(k, attrs[k]); }
  if (children) for (var i = 0; i < children.length; i++) if (children[i] != null) e.appendChild(typeof children[i] === 'string' ? document.createTextNode(children[i]) : children[i]);
  return e;
}
function reader(text) {
  var i = 0;
  return {
    more: function () { return i < text.length; },
    next: function () { var v = 0, mul = 1; for (;;) { var c = DIGIT[text.charAt(i++)]; if (c < 32) return v + c * mul; v += (c - 32) * mul; mul *= 32; } }
  };
}
function ints(text) { var r = reader(text), out = []; while (r.more()) out.push(r.next()); return out; }
function times(text) { var r = reader(text), out = [], t = 0; while (r.more()) { t += r.next(); out.push(t); } return out; }
/** Runs of an encoded column: values and lengths. */
function runsOf(col) {
  var r = reader(col.d), vals = [], lens = [], prev = 0;
  while (r.more()) {
    var tok = r.next(), zig = Math.floor(tok / 2), d = zig % 2 === 0 ? zig / 2 : -(zig + 1) / 2;
    prev += d; vals.push(prev / col.s); lens.push(tok % 2 === 1 ? r.next() + 2 : 1);
  }
  return { vals: vals, lens: lens };
}
function expand(col, n) {
  var out = new Float64Array(n), runs = runsOf(col), k = 0;
  for (var i = 0; i < runs.vals.length; i++) { var v = runs.vals[i], end = Math.min(n, k + runs.lens[i]); for (; k < end; k++) out[k] = v; }
  return out;
}
function fmtDur(ms) {
  var neg = ms < 0; ms = Math.abs(Math.round(ms));
  if (ms < 1000) return (neg ? '-' : '') + ms + 'ms';
  var s = ms / 1000, h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  var secText = (Math.round(sec * 1000) / 1000) + 's';
  return (neg ? '-' : '') + (h > 0 ? h + 'h' + m + 'm' + secText : m > 0 ? m + 'm' + secText : secText);
}
function fmtClock(ms) {
  var s = Math.floor(ms / 1000), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60, milli = Math.round(ms % 1000);
  function p(n, w) { n = String(n); while (n.length < w) n = '0' + n; return n; }
  return p(h, 2) + ':' + p(m, 2) + ':' + p(sec, 2) + '.' + p(milli, 3);
}
function fmtMs(v) { return v < 1000 ? (Math.round(v * 10) / 10) + 'ms' : (Math.round(v) / 1000) + 's'; }
function num(v) { return v == null ? '?' : String(Math.round(v * 1000) / 1000); }
function plural(n, w) { return n + ' ' + w + (n === 1 ? '' : 's'); }

/** A run's decoded state: columns are expanded on first use. */
function prepare(run, index) {
  var cache = {};
  run.index = index;
  run.col = function (rev, name) {
    var key = rev.name + '/' + name;
    if (!cache[key]) cache[key] = expand(rev.cols[name], run.steps);
    return cache[key];
  };
  run.total = function (name) {
    var key = '*/' + name;
    if (!cache[key]) {
      var out = new Float64Array(run.steps);
      run.columns.forEach(function (rev) {
        var runs = runsOf(rev.cols[name]), k = 0;
        for (var i = 0; i < runs.vals.length; i++) { var v = runs.vals[i], end = Math.min(run.steps, k + runs.lens[i]); if (v !== 0) for (var j = k; j < end; j++) out[j] += v; k = end; }
      });
      cache[key] = out;
    }
    return cache[key];
  };
  run.statusCol = function (code) { var key = 'status/' + code; if (!cache[key]) cache[key] = expand(run.status[code], run.steps); return cache[key]; };
  run.allRequests = function () {
    if (!cache.allreq) { var out = new Float64Array(run.steps); Object.keys(run.status).forEach(function (c) { var col = run.statusCol(c); for (var i = 0; i < out.length; i++) out[i] += col[i]; }); cache.allreq = out; }
    return cache.allreq;
  };
  run.lat = { p50: expand(run.latency.p50, run.latency.intervals), p99: expand(run.latency.p99, run.latency.intervals), count: expand(run.latency.count, run.latency.intervals) };
  var S = run.strings;
  var et = times(run.events.t), ec = ints(run.events.c), eo = ints(run.events.o), em = ints(run.events.m);
  run.ev = et.map(function (t, i) { return { t: t, c: S[ec[i]], o: S[eo[i]], m: S[em[i]] }; });
  var ot = times(run.objects.t), oo = ints(run.objects.o), os = ints(run.objects.s);
  var order = run.objects.table.map(function (row) { return { kind: S[row[0]], ns: S[row[1]], name: S[row[2]], owner: S[row[3]], t: [], s: [] }; });
  ot.forEach(function (t, i) { var o = order[oo[i]]; o.t.push(t); o.s.push(os[i]); });
  run.objs = order;
  var dt = times(run.decisions.t), dr = ints(run.decisions.r), dm = ints(run.decisions.m);
  var shapeOf = ints(run.decisions.shape), shapes = run.decisions.shapes;
  var values = run.decisions.f.map(function (col) { var r = runsOf(col), out = []; for (var i = 0; i < r.vals.length; i++) for (var k = 0; k < r.lens[i]; k++) out.push(r.vals[i]); return out; });
  var next = values.map(function () { return 0; });
  var rows = dt.map(function (t, i) {
    var row = DATA.decisionFields.map(function () { return null; });
    shapes[shapeOf[i]].forEach(function (fi) { var v = values[fi][next[fi]++]; row[fi] = STRING_FIELDS.indexOf(DATA.decisionFields[fi]) >= 0 ? S[v] : v; });
    return row;
  });
  run.dec = dt.map(function (t, i) { return { t: t, rev: S[dr[i]], m: S[dm[i]], v: rows[i] }; });
  run.maxT = run.durationMs;
  return run;
}
RUNS.forEach(prepare);
var FIELDS = DATA.decisionFields;
function field(d, name) { var i = FIELDS.indexOf(name); return i < 0 ? null : d.v[i]; }

// ---- view state ----------------------------------------------------------------------
var run0 = RUNS[0];
var state = { from: 0, to: run0.durationMs, cursor: 0, revisions: [], components: {}, focus: null };
(function initSelection() {
  var revs = run0.columns.slice().sort(function (a, b) {
    var ra = (run0.revisions.find(function (r) { return r.name === a.name; }) || { requests: 0 }).requests;
    var rb = (run0.revisions.find(function (r) { return r.name === b.name; }) || { requests: 0 }).requests;
    return rb - ra || (a.name < b.name ? -1 : 1);
  });
  state.revisions = revs.slice(0, 4).map(function (r) { return r.name; });
  state.focus = state.revisions[0] || null;
  run0.ev.forEach(function (e) { state.components[e.c] = true; });
})();
function selectedRevs(run) { return run.columns.filter(function (r) { return state.revisions.indexOf(r.name) >= 0; }); }
`;
