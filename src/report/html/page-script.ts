/**
 * The HTML report's own script (plain ES2020, no framework), run by the browser over the
 * data embedded in the page (see page-data.ts): decodes the columns lazily, draws
 * synchronised uPlot charts downsampled to the plot's width (maximum per pixel column,
 * exact samples once zoomed in far enough), event markers with their narration, and the
 * time cursor's view of the world: objects, traffic, the activator and the autoscaler's
 * last decision with its arithmetic. Also the comparison page (`knsim compare --html`).
 * Kept as a string so the page is one self-contained file; tested in headless Chromium.
 *
 * The script is one function scope written in five parts, joined here in order: the data and
 * view state (page-script-data.ts), the charts (page-script-charts.ts), the events lane and
 * time cursor (page-script-cursor.ts), the summary tables (page-script-summary.ts), and this
 * file's controls and start-up, which open and close the scope. A part uses the names the
 * others define (functions are hoisted; variables are set before start() runs), so each part
 * says what it reads; the page-data test compiles and lints the joined script as one.
 */
import { CHARTS_SCRIPT } from './page-script-charts.js';
import { CURSOR_SCRIPT } from './page-script-cursor.js';
import { DATA_SCRIPT } from './page-script-data.js';
import { SUMMARY_SCRIPT } from './page-script-summary.js';

/** Opens the page script's one function scope. */
const OPEN = String.raw`
(function () {
'use strict';`;

/** The controls (revisions, events, focus, reset) and start-up; closes the scope. */
const CONTROLS_SCRIPT = String.raw`
// ---- controls --------------------------------------------------------------------------
function controls() {
  var box = $('controls');
  if (!COMPARE) {
    var revs = el('fieldset', null, [el('legend', { text: 'Revisions' })]);
    run0.columns.forEach(function (r) {
      var id = 'rev-' + r.name, cb = el('input', { type: 'checkbox', id: id, value: r.name });
      cb.checked = state.revisions.indexOf(r.name) >= 0;
      cb.addEventListener('change', function () {
        state.revisions = run0.columns.filter(function (x) { var c = $('rev-' + x.name); return c && c.checked; }).map(function (x) { return x.name; });
        if (state.revisions.indexOf(state.focus) < 0) state.focus = state.revisions[0] || null;
        fillFocus(); charts.forEach(function (c) { buildChart(c); }); drawLane(); renderWorld();
      });
      revs.appendChild(el('label', null, [cb, ' ' + r.name]));
    });
    box.appendChild(revs);
    var focus = el('select', { id: 'focus', 'aria-label': 'revision whose SKS mode and panic are shaded' });
    focus.addEventListener('change', function () { state.focus = focus.value; redrawAll(); });
    box.appendChild(el('label', null, ['Bands for ', focus]));
    var comps = el('fieldset', null, [el('legend', { text: 'Events' })]);
    Object.keys(state.components).forEach(function (c) {
      var cb = el('input', { type: 'checkbox', id: 'comp-' + c });
      cb.checked = true;
      cb.addEventListener('change', function () { state.components[c] = cb.checked; drawLane(); });
      var sw = el('span', { cls: 'swatch' }); sw.style.background = componentColor(c);
      comps.appendChild(el('label', null, [cb, sw, c]));
    });
    box.appendChild(comps);
  }
  var reset = el('button', { type: 'button', id: 'reset', text: 'Reset zoom' });
  reset.addEventListener('click', function () { state.highlight = null; setRange(0, maxDuration()); });
  box.appendChild(reset);
}
function fillFocus() {
  var focus = $('focus'); if (!focus) return;
  focus.textContent = '';
  state.revisions.forEach(function (name) { var o = el('option', { value: name, text: name }); if (name === state.focus) o.selected = true; focus.appendChild(o); });
}

function start() {
  tip = $('tip');
  controls(); fillFocus();
  if (COMPARE) { compareCharts(); renderCompareTable(); } else { reportCharts(); renderSummary(run0); }
  charts.forEach(buildChart);
  var slider = $('cursor');
  slider.max = String(maxDuration());
  slider.addEventListener('input', function () { setCursor(Number(slider.value)); });
  $('prev').addEventListener('click', function () { stepEvent(-1); });
  $('next').addEventListener('click', function () { stepEvent(1); });
  document.addEventListener('keydown', function (e) {
    if (e.target && (e.target.tagName === 'INPUT' && e.target.type !== 'range' || e.target.tagName === 'SELECT')) return;
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      var dir = e.key === 'ArrowRight' ? 1 : -1;
      if (e.shiftKey) setCursor(state.cursor + dir * 1000); else stepEvent(dir);
    } else if (e.key === 'Home') { e.preventDefault(); setCursor(0); } else if (e.key === 'End') { e.preventDefault(); setCursor(maxDuration()); }
  });
  var lane = $('lane');
  if (lane) {
    lane.addEventListener('mousemove', laneHover);
    lane.addEventListener('mouseleave', function () { tip.style.display = 'none'; });
    lane.addEventListener('click', function (ev) { var g = laneGeometry(), r = lane.getBoundingClientRect(); setCursor(state.from + ((ev.clientX - r.left - g.left) / g.width) * (state.to - state.from)); });
  }
  charts.forEach(function (c) { c.u.root.addEventListener('dblclick', function () { state.highlight = null; setRange(0, maxDuration()); }); });
  var resizePending = false;
  window.addEventListener('resize', function () { if (resizePending) return; resizePending = true; requestAnimationFrame(function () { resizePending = false; redrawAll(); }); });
  redrawAll();
  setCursor(0);
  if (!COMPARE && run0.events.total > run0.events.shown) $('eventsNote').textContent = 'Showing ' + run0.events.shown + ' of ' + run0.events.total + ' events: the notable ones first (knsim run --log prints all).';
  window.knsim = { setCursor: setCursor, setRange: setRange, stepEvent: stepEvent, state: state, runs: RUNS };
  document.body.setAttribute('data-ready', 'true');
}
start();
})();
`;

export const PAGE_SCRIPT = OPEN + DATA_SCRIPT + CHARTS_SCRIPT + CURSOR_SCRIPT + SUMMARY_SCRIPT + CONTROLS_SCRIPT;
