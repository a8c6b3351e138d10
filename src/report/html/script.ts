// The report's table script (plain ES2017, inlined): renders the RST rows from the embedded JSON with
// every string escaped, sorts and filters them, and fills the detail pane on a click. No network, no eval.
import { LADDER_SCRIPT } from './ladder-script.js';

export const SCRIPT = String.raw`(function () {
'use strict';
var ENT = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function esc(s) { return String(s).replace(/[&<>"']/g, function (c) { return ENT[c]; }); }
function hp(ip, port) { return ip.indexOf(':') >= 0 ? '[' + ip + ']:' + port : ip + ':' + port; }
var D = JSON.parse(document.getElementById('rst-data').textContent);
var R = D.resets, N = R.length, multi = D.files.length > 1;
// Columns in display order: sort key, header, cell text; what matters most first (addresses scroll).
function num(x) { return '<td class="num">' + x + '</td>'; }
function txt(x) { return '<td>' + esc(x) + '</td>'; }
var COLS = [
  { k: 'f', h: 'frame', num: true, v: function (r) { return r.f; }, td: function (r) { return num(r.f); } },
  { k: 'ts', h: 'time', num: true, v: function (r) { return r.ts; }, td: function (r) { return '<td title="' + esc(r.t) + '">' + esc(r.t.slice(11)) + '</td>'; } },
  { k: 'snd', h: 'sender', v: function (r) { return r.snd; }, td: function (r) { return txt(r.snd); } },
  { k: 'ph', h: 'phase', v: function (r) { return r.ph; }, td: function (r) { return txt(r.ph); } },
  { k: 'ca', h: 'cause', v: function (r) { return r.ca; }, td: function (r) { return '<td title="' + esc(r.ca) + '">' + esc(r.ca) + '</td>'; } },
  { k: 'or', h: 'origin', v: function (r) { return r.or; }, td: function (r) { return '<td class="o-' + esc(r.or) + '">' + esc(r.or) + '</td>'; } },
  { k: 'cf', h: 'conf.', num: true, v: function (r) { return r.cf; }, td: function (r) { return num(Math.round(r.cf * 100) + '%'); } },
  { k: 'fl', h: 'flags', v: function (r) { return r.fl; }, td: function (r) { return txt(r.fl); } },
  { k: 'ttl', h: 'TTL', num: true, v: function (r) { return r.ttl; }, td: function (r) { return num(r.ttl); } },
  { k: 'src', h: 'from', v: function (r) { return hp(r.src, r.sp); }, td: function (r) { return txt(hp(r.src, r.sp)); } },
  { k: 'dst', h: 'to', v: function (r) { return hp(r.dst, r.dp); }, td: function (r) { return txt(hp(r.dst, r.dp)); } },
  { k: 'c', h: 'conn', num: true, v: function (r) { return r.c; }, td: function (r) { return num(r.c); } },
  { k: 's', h: 'stream', num: true, v: function (r) { return r.s === null ? -1 : r.s; }, td: function (r) { return num(r.s === null ? '-' : r.s); } },
  { k: 'file', h: 'file', v: function (r) { return D.files[r.fi]; }, td: function (r) { return '<td title="' + esc(D.files[r.fi]) + '">' + esc(D.files[r.fi].split('/').pop()) + '</td>'; } }
];
if (!multi) COLS.pop();
document.querySelector('#rst-table thead tr').innerHTML = COLS.map(function (c) {
  return '<th data-col="' + c.k + '" scope="col">' + c.h + '</th>';
}).join('');
var tbody = document.querySelector('#rst-table tbody');
var box = document.querySelector('.tablebox');
var shown = document.getElementById('shown');
var heads = document.querySelectorAll('#rst-table th');
// Up to 1,000 RSTs every row is in the table; beyond, rows are drawn in a window of 120 around the scroll
// position, so sorting and filtering 10,000 RSTs only sorts arrays and redraws a few hundred rows.
var WINDOW = N <= 1000 ? Math.max(N, 1) : 120, H = 22, order = [], list = [], from = 0, sortKey = null, sortDir = 1, hay = null, current = null;
for (var i = 0; i < N; i++) order.push(i);

function rowHtml(i) {
  var r = R[i], cells = '';
  for (var c = 0; c < COLS.length; c++) cells += COLS[c].td(r);
  return '<tr data-i="' + i + '" data-frame="' + r.f + '"' + (multi ? ' data-file="' + esc(D.files[r.fi]) + '"' : '') +
    (i === current ? ' class="sel" aria-selected="true"' : '') + ' tabindex="-1">' + cells + '</tr>';
}
function draw(force) {
  var first = Math.floor(box.scrollTop / H);
  var start = Math.max(0, Math.min(first - (WINDOW >> 2), list.length - WINDOW));
  if (!force && Math.abs(start - from) < (WINDOW >> 3) && !(start === 0 && from !== 0)) return;
  from = start;
  var end = Math.min(list.length, start + WINDOW), parts = [];
  for (var k = start; k < end; k++) parts.push(rowHtml(list[k]));
  tbody.innerHTML = parts.join('');
  tbody.style.paddingTop = start * H + 'px';
  tbody.style.paddingBottom = (list.length - end) * H + 'px';
}
box.addEventListener('scroll', function () { draw(false); }, { passive: true });

function sortBy(k) {
  var col = COLS.filter(function (c) { return c.k === k; })[0];
  if (!col) return;
  sortDir = sortKey === k ? -sortDir : 1;
  sortKey = k;
  var keys = new Array(N), d = sortDir;
  for (var i = 0; i < N; i++) keys[i] = col.v(R[i]);
  order.sort(col.num
    ? function (a, b) { return (keys[a] - keys[b]) * d || a - b; }
    : function (a, b) { return keys[a] < keys[b] ? -d : keys[a] > keys[b] ? d : a - b; });
  for (var h = 0; h < heads.length; h++) {
    if (heads[h].getAttribute('data-col') === k) heads[h].setAttribute('aria-sort', d > 0 ? 'ascending' : 'descending');
    else heads[h].removeAttribute('aria-sort');
  }
  applyFilter();
}

var q = document.getElementById('q'), sel = {};
['ph', 'ca', 'or', 'snd'].forEach(function (k) { sel[k] = document.getElementById('f-' + k); });
function applyFilter() {
  var text = q.value.trim().toLowerCase(), want = {};
  Object.keys(sel).forEach(function (k) { if (sel[k].value) want[k] = sel[k].value; });
  if (text && !hay) {
    hay = new Array(N);
    for (var i = 0; i < N; i++) {
      var r = R[i];
      hay[i] = [r.f, r.t, hp(r.src, r.sp), hp(r.dst, r.dp), r.fl, r.ph, r.ca, r.or, r.snd, r.ev.join(' '), r.wf, D.files[r.fi]].join(' ').toLowerCase();
    }
  }
  var keys = Object.keys(want);
  list = order.filter(function (j) {
    if (text && hay[j].indexOf(text) < 0) return false;
    for (var m = 0; m < keys.length; m++) if (R[j][keys[m]] !== want[keys[m]]) return false;
    return true;
  });
  shown.textContent = list.length === N ? N + ' RSTs' : list.length + ' of ' + N + ' RSTs';
  box.scrollTop = 0;
  draw(true);
}

document.querySelector('#rst-table thead').addEventListener('click', function (e) {
  var th = e.target.closest('th');
  if (th) sortBy(th.getAttribute('data-col'));
});
var timer = 0;
q.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(applyFilter, 60); });
q.addEventListener('keydown', function (e) { if (e.key === 'Enter') { clearTimeout(timer); applyFilter(); } });
Object.keys(sel).forEach(function (k) { sel[k].addEventListener('change', applyFilter); });
document.getElementById('summary').addEventListener('click', function (e) {
  var b = e.target.closest('button.pick');
  if (!b) return;
  var k = b.getAttribute('data-k'), v = b.getAttribute('data-v');
  if (k === 'q') q.value = v; else if (sel[k]) sel[k].value = v;
  applyFilter();
  document.getElementById('resets').scrollIntoView();
});

/** Selects RST i: marks its row, scrolls it into view and fills the detail pane. */
function select(i) {
  current = i;
  var pos = list.indexOf(i);
  if (pos >= 0 && (pos * H < box.scrollTop || (pos + 1) * H > box.scrollTop + box.clientHeight - H)) {
    box.scrollTop = Math.max(0, pos * H - box.clientHeight / 2);
  }
  draw(true);
  var tr = tbody.querySelector('tr[data-i="' + i + '"]');
  if (tr) tr.focus({ preventScroll: true });
  showDetail(R[i]);
  try { history.replaceState(null, '', '#frame-' + R[i].f + (multi ? '-' + R[i].fi : '')); } catch (e) { /* file: URLs may refuse */ }
}
tbody.addEventListener('click', function (e) {
  var tr = e.target.closest('tr');
  if (tr) select(+tr.getAttribute('data-i'));
});
tbody.addEventListener('keydown', function (e) {
  if (current === null || (e.key !== 'ArrowDown' && e.key !== 'ArrowUp')) return;
  var next = list[list.indexOf(current) + (e.key === 'ArrowDown' ? 1 : -1)];
  if (next !== undefined) { e.preventDefault(); select(next); }
});

function el(tag, text, cls) {
  var x = document.createElement(tag);
  if (text !== undefined && text !== null) x.textContent = String(text);
  if (cls) x.className = cls;
  return x;
}
function showDetail(r) {
  var pane = document.getElementById('detail');
  pane.textContent = '';
  var v = D.views[r.v];
  pane.appendChild(el('h3', 'Frame ' + r.f + ': ' + r.fl + ' from the ' + r.snd));
  var dl = el('dl');
  [['time', r.t], ['file', D.files[r.fi]], ['connection', r.c + (r.s === null ? '' : ' (tcp.stream ' + r.s + ')') + ', ' + v.st + ', ' + v.n + ' packets'],
   ['from', hp(r.src, r.sp)], ['to', hp(r.dst, r.dp)], ['phase', r.ph], ['cause', r.ca], ['origin', r.or], ['confidence', Math.round(r.cf * 100) + '%'], ['TTL', r.ttl]]
    .forEach(function (p) { dl.appendChild(el('dt', p[0])); dl.appendChild(el('dd', p[1])); });
  pane.appendChild(dl);
  pane.appendChild(el('h4', 'Evidence'));
  var ul = el('ul');
  r.ev.forEach(function (t) { ul.appendChild(el('li', t)); });
  pane.appendChild(ul);
  pane.appendChild(el('h4', 'Advice'));
  pane.appendChild(el('p', D.advice[r.ad], 'advice'));
  var f = el('div', null, 'filter');
  f.appendChild(el('span', 'Wireshark filter:'));
  f.appendChild(el('code', r.wf));
  var btn = el('button', 'Copy filter', 'copy');
  btn.type = 'button';
  btn.addEventListener('click', function () { copyText(r.wf, btn); });
  f.appendChild(btn);
  pane.appendChild(f);
  pane.appendChild(el('h4', 'Ladder diagram'));
  var box = el('div', null, 'ladderbox');
  pane.appendChild(box);
  var drawn = drawLadder(v, r, R);
  box.appendChild(drawn.svg);
  var scale = drawn.svg.getBoundingClientRect().width / drawn.width || 1;
  box.scrollTop = Math.max(0, drawn.focusY * scale - box.clientHeight / 2);
}
function copyText(text, btn) {
  function done(ok) { btn.textContent = ok ? 'Copied' : 'Select and copy'; setTimeout(function () { btn.textContent = 'Copy filter'; }, 1500); }
  function fallback() {
    var t = document.createElement('textarea');
    t.value = text; document.body.appendChild(t); t.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    t.remove(); done(ok);
  }
  if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
  else fallback();
}
` + LADDER_SCRIPT + String.raw`
applyFilter();
if (tbody.rows[0]) H = tbody.rows[0].getBoundingClientRect().height || H;
/** #frame-N (or #frame-N-F with several files) selects that RST: links into the report. */
function openHash() {
  var m = /^#frame-(\d+)(?:-(\d+))?$/.exec(location.hash);
  if (m) for (var k = 0; k < N; k++) if (R[k].f === +m[1] && (!m[2] || R[k].fi === +m[2])) { select(k); break; }
}
window.addEventListener('hashchange', openHash);
openHash();
requestAnimationFrame(function () { setTimeout(function () { document.documentElement.setAttribute('data-ready', String(Math.round(performance.now()))); }, 0); });
})();
`;
