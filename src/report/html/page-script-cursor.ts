/**
 * The report page's script, part 3 of 5 (page-script.ts joins them into one function scope):
 * the events lane (one row of markers per component, their narration on hover) and the time
 * cursor (set, or stepped from event to event) with the world it shows at its time: each
 * Service, Route, Configuration, Revision (its SKS mode: the activator in the path or not),
 * PodAutoscaler, Deployment and Pod, and the autoscaler's last decision with its arithmetic.
 * Reads the view state and helpers of part 1 and the charts and tooltip of part 2.
 */
export const CURSOR_SCRIPT = String.raw`
// ---- events lane -----------------------------------------------------------------------
var COMPONENT_COLOR = {};
function componentColor(c) {
  if (!COMPONENT_COLOR[c]) COMPONENT_COLOR[c] = PALETTE[Object.keys(COMPONENT_COLOR).length % PALETTE.length];
  return COMPONENT_COLOR[c];
}
function eventVisible(e) {
  if (!state.components[e.c]) return false;
  if (run0.columns.length <= 1) return true;
  var touched = run0.columns.some(function (r) { return e.o.indexOf(r.name) >= 0; });
  if (!touched) return true;
  return state.revisions.some(function (name) { return e.o.indexOf(name) >= 0; });
}
function visibleEvents() { return run0.ev.filter(eventVisible); }
function laneGeometry() {
  var u = charts[0] && charts[0].u;
  var left = u ? u.bbox.left / devicePixelRatio : 50, width = u ? u.bbox.width / devicePixelRatio : chartWidth() - 60;
  return { left: left, width: width };
}
function laneX(t, g) { return g.left + ((t - state.from) / Math.max(1, state.to - state.from)) * g.width; }
function drawLane() {
  var canvas = $('lane');
  if (!canvas) return;
  var cssW = canvas.clientWidth, cssH = canvas.clientHeight;
  canvas.width = Math.round(cssW * devicePixelRatio); canvas.height = Math.round(cssH * devicePixelRatio);
  var ctx = canvas.getContext('2d'); ctx.setTransform(devicePixelRatio, 0, 0, devicePixelRatio, 0, 0);
  ctx.clearRect(0, 0, cssW, cssH);
  var g = laneGeometry(), comps = Object.keys(state.components), row = Math.max(4, (cssH - 6) / Math.max(1, comps.length));
  ctx.fillStyle = '#f0f0f0'; ctx.fillRect(g.left, 0, g.width, cssH);
  visibleEvents().forEach(function (e) {
    if (e.t < state.from || e.t > state.to) return;
    var x = laneX(e.t, g), r = comps.indexOf(e.c);
    ctx.fillStyle = componentColor(e.c); ctx.fillRect(Math.round(x) - 1, 3 + r * row, 2, Math.max(3, row - 1));
  });
  var cx = laneX(state.cursor, g);
  if (cx >= g.left && cx <= g.left + g.width) { ctx.fillStyle = '#000'; ctx.fillRect(cx - 1, 0, 2, cssH); }
}
function laneHover(ev) {
  var canvas = $('lane'), rect = canvas.getBoundingClientRect(), x = ev.clientX - rect.left, g = laneGeometry();
  var best = null, bestD = 6;
  visibleEvents().forEach(function (e) { if (e.t < state.from || e.t > state.to) return; var d = Math.abs(laneX(e.t, g) - x); if (d < bestD) { bestD = d; best = e; } });
  if (!best) { tip.style.display = 'none'; return; }
  var near = visibleEvents().filter(function (e) { return Math.abs(laneX(e.t, g) - laneX(best.t, g)) < 2; }).slice(0, 8);
  tip.textContent = near.map(function (e) { return fmtClock(e.t) + '  ' + e.c + '  ' + e.o + '\n  ' + e.m; }).join('\n');
  tip.style.display = 'block'; tip.style.left = Math.min(window.innerWidth - 470, ev.clientX + 12) + 'px'; tip.style.top = (ev.clientY + 14) + 'px';
}

// ---- the time cursor -------------------------------------------------------------------
function setCursor(t) {
  state.cursor = Math.max(0, Math.min(maxDuration(), Math.round(t)));
  var slider = $('cursor');
  if (slider) slider.value = String(state.cursor);
  $('cursorLabel').textContent = fmtClock(state.cursor);
  charts.forEach(function (c) { if (c.u) c.u.redraw(false, false); });
  drawLane();
  if (!COMPARE) renderWorld();
}
function stepEvent(dir) {
  var evs = visibleEvents(), t = state.cursor, target = null;
  if (dir > 0) { for (var i = 0; i < evs.length; i++) if (evs[i].t > t) { target = evs[i]; break; } }
  else { for (var j = evs.length - 1; j >= 0; j--) if (evs[j].t < t) { target = evs[j]; break; } }
  if (target) { setCursor(target.t); $('cursorEvent').textContent = target.c + ' ' + target.o + ': ' + target.m; }
}
function stateAt(o, t) {
  var lo = 0, hi = o.t.length - 1, found = -1;
  while (lo <= hi) { var mid = (lo + hi) >> 1; if (o.t[mid] <= t) { found = mid; lo = mid + 1; } else hi = mid - 1; }
  if (found < 0) return null;
  var text = run0.strings[o.s[found]];
  return text === '' ? null : JSON.parse(text);
}
function badge(text) { return el('span', { cls: 'phase phase-' + text, text: text }); }
function objLine(kind, name, parts) { return el('li', null, [el('span', { cls: 'kind', text: kind }), el('strong', { text: name }), ' '].concat(parts || [])); }
function lastDecision(rev, t, pred) {
  var best = null;
  for (var i = 0; i < run0.dec.length; i++) { var d = run0.dec[i]; if (d.t > t) break; if (d.rev === rev && pred(d)) best = d; }
  return best;
}
function arithmetic(d) {
  var f = function (n) { return field(d, n); };
  var lines = [];
  if (f('observedStable') != null) {
    lines.push('stable window (' + fmtDur(f('stableWindowMs')) + '): average ' + num(f('observedStable')) + ' → ceil(' + num(f('observedStable')) + ' / ' + num(f('targetValue')) + ' per pod) = ' + plural(f('desiredStablePodCount'), 'pod'));
    lines.push('panic window (' + fmtDur(f('panicWindowMs')) + '): average ' + num(f('observedPanic')) + ' → ceil(' + num(f('observedPanic')) + ' / ' + num(f('targetValue')) + ') = ' + plural(f('desiredPanicPodCount'), 'pod') + '; ' + (f('overPanicThreshold') ? 'at or above' : 'below') + ' the panic threshold of ' + num(f('panicThreshold')) + ' × ' + plural(f('readyPodsForRates'), 'pod'));
    lines.push('rate limits with ' + f('readyPods') + ' ready: at most ' + f('maxScaleUp') + ' up, at least ' + f('maxScaleDown') + ' down → desired ' + f('desiredPodCount') + (f('inPanic') ? ' (in panic: never scales down)' : ''));
    if (f('delayedTo') != null && f('delayedTo') !== f('desiredBeforeDelay')) lines.push('scale-down delay holds ' + f('delayedTo') + ' (wants ' + f('desiredBeforeDelay') + ')');
    if (f('excessBurstCapacity') != null) lines.push('excess burst capacity ' + num(f('excessBurstCapacity')) + ': ' + (f('excessBurstCapacity') < 0 ? 'negative, so the activator stays in the path' : 'enough spare capacity, requests can go straight to the pods'));
  }
  return lines.join('\n');
}
function renderWorld() {
  var t = state.cursor, root = $('world');
  root.textContent = '';
  var alive = run0.objs.map(function (o) { return { o: o, s: stateAt(o, t) }; }).filter(function (x) { return x.s !== null; });
  function of(kind, pred) { return alive.filter(function (x) { return x.o.kind === kind && (!pred || pred(x)); }); }
  var limitRevs = run0.columns.length > 8;
  function revShown(name) { return !limitRevs || state.revisions.indexOf(name) >= 0; }
  var tree = el('ul');
  var services = of('Service'), shownServices = {};
  run0.columns.forEach(function (r) { if (revShown(r.name)) shownServices[r.service] = true; });
  function revisionItem(rx) {
    var name = rx.o.name;
    var sks = of('ServerlessService', function (x) { return x.o.name === name; })[0];
    var pa = of('PodAutoscaler', function (x) { return x.o.name === name; })[0];
    var deploy = of('Deployment', function (x) { return x.o.owner === name; })[0];
    var pods = of('Pod', function (x) { return x.o.owner === name; });
    var proxy = sks && sks.s.mode === 'Proxy';
    var readyCount = pods.filter(function (p) { return p.s.phase === 'Ready'; }).length;
    var li = objLine('Revision', name, [badge(rx.s.ready), rx.s.reason ? ' ' + rx.s.reason : '', ' · ', el('span', { cls: 'ready-pods', 'data-ready': String(readyCount), text: plural(readyCount, 'ready pod') + ' of ' + pods.length }), ' · ', el('span', { cls: 'activator', 'data-in-path': proxy ? 'yes' : 'no', text: proxy ? 'activator in the path (SKS Proxy)' : sks ? 'activator not in the path (SKS Serve)' : 'no SKS yet' })]);
    var ul = el('ul');
    if (pa) ul.appendChild(objLine('PodAutoscaler', name, ['desired ' + pa.s.desiredScale + ', actual ' + pa.s.actualScale + ', Active ', badge(pa.s.active)]));
    if (deploy) {
      var dli = objLine('Deployment', deploy.o.name, ['replicas ' + deploy.s.replicas + ', ready ' + deploy.s.readyReplicas]);
      var pul = el('ul', { cls: 'pods' });
      pods.forEach(function (p) { pul.appendChild(objLine('Pod', p.o.name, [badge(p.s.phase), p.s.node ? ' on ' + p.s.node : ''])); });
      if (pods.length === 0) pul.appendChild(el('li', { cls: 'notice', text: 'no pods' }));
      dli.appendChild(pul); ul.appendChild(dli);
    }
    var dec = lastDecision(name, t, function (d) { return field(d, 'observedStable') != null; });
    var pac = lastDecision(name, t, function (d) { return field(d, 'phase') != null; });
    var box = el('div', { cls: 'decision', 'data-revision': name });
    box.appendChild(document.createTextNode(dec ? 'autoscaler at ' + fmtDur(dec.t) + ': ' + (dec.m || 'desired ' + field(dec, 'desiredPodCount')) + '\n' + arithmetic(dec) : 'autoscaler: no decision yet'));
    if (pac && (!dec || pac.t >= dec.t - 5000)) box.appendChild(document.createTextNode('\nPodAutoscaler at ' + fmtDur(pac.t) + ': ' + (pac.m || field(pac, 'phase') + ', wants ' + field(pac, 'want'))));
    li.appendChild(ul); li.appendChild(box);
    return li;
  }
  function configurationItem(cx) {
    var li = objLine('Configuration', cx.o.name, [badge(cx.s.ready), ' latest ready ' + (cx.s.latestReady || '–')]);
    var ul = el('ul');
    of('Revision', function (x) { return x.o.owner === cx.o.name && revShown(x.o.name); }).forEach(function (rx) { ul.appendChild(revisionItem(rx)); });
    li.appendChild(ul);
    return li;
  }
  function routeItem(rx) {
    var traffic = (rx.s.traffic || []).map(function (tr) { return tr.percent + '% → ' + (tr.revision || '?') + (tr.tag ? ' (tag ' + tr.tag + ')' : '') + (tr.latest ? ' (latest)' : ''); }).join(', ');
    return objLine('Route', rx.o.name, [badge(rx.s.ready), ' traffic: ', el('span', { cls: 'traffic', text: traffic || 'none' })]);
  }
  services.forEach(function (sx) {
    if (limitRevs && !shownServices[sx.o.name]) return;
    var li = objLine('Service', sx.o.name, [badge(sx.s.ready), sx.s.reason ? ' ' + sx.s.reason : '', sx.s.url ? ' ' + sx.s.url : '']);
    var ul = el('ul');
    of('Route', function (x) { return x.o.owner === sx.o.name; }).forEach(function (rx) { ul.appendChild(routeItem(rx)); });
    of('Configuration', function (x) { return x.o.owner === sx.o.name; }).forEach(function (cx) { ul.appendChild(configurationItem(cx)); });
    li.appendChild(ul); tree.appendChild(li);
  });
  of('Configuration', function (x) { return x.o.owner === ''; }).forEach(function (cx) { tree.appendChild(configurationItem(cx)); });
  of('Route', function (x) { return x.o.owner === ''; }).forEach(function (rx) { tree.appendChild(routeItem(rx)); });
  if (!tree.firstChild) tree.appendChild(el('li', { cls: 'notice', text: 'nothing deployed yet at ' + fmtDur(t) }));
  root.appendChild(el('p', { cls: 'notice', text: 'The world at ' + fmtClock(t) + (limitRevs ? ' (selected revisions only)' : '') + ':' }));
  root.appendChild(tree);
}
`;
