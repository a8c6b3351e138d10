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
var COLS = [
  { k: 'f', num: true, v: function (r) { return r.f; } },
  { k: 'ts', num: true, v: function (r) { return r.ts; } },
  { k: 'file', v: function (r) { return D.files[r.fi]; } },
  { k: 'c', num: true, v: function (r) { return r.c; } },
  { k: 's', num: true, v: function (r) { return r.s === null ? -1 : r.s; } },
  { k: 'snd', v: function (r) { return r.snd; } },
  { k: 'src', v: function (r) { return hp(r.src, r.sp); } },
  { k: 'dst', v: function (r) { return hp(r.dst, r.dp); } },
  { k: 'fl', v: function (r) { return r.fl; } },
  { k: 'ttl', num: true, v: function (r) { return r.ttl; } },
  { k: 'ph', v: function (r) { return r.ph; } },
  { k: 'ca', v: function (r) { return r.ca; } },
  { k: 'or', v: function (r) { return r.or; } },
  { k: 'cf', num: true, v: function (r) { return r.cf; } }
];
if (!multi) COLS.splice(2, 1);
var tbody = document.querySelector('#rst-table tbody');
var html = new Array(N);
for (var i = 0; i < N; i++) {
  var r = R[i];
  html[i] = '<tr data-i="' + i + '" data-frame="' + r.f + '"' + (multi ? ' data-file="' + esc(D.files[r.fi]) + '"' : '') + ' tabindex="-1">' +
    '<td class="num">' + r.f + '</td><td title="' + esc(r.t) + '">' + esc(r.t.slice(11)) + '</td>' +
    (multi ? '<td>' + esc(D.files[r.fi].split('/').pop()) + '</td>' : '') +
    '<td class="num">' + r.c + '</td><td class="num">' + (r.s === null ? '-' : r.s) + '</td><td>' + esc(r.snd) + '</td>' +
    '<td>' + esc(hp(r.src, r.sp)) + '</td><td>' + esc(hp(r.dst, r.dp)) + '</td><td>' + esc(r.fl) + '</td><td class="num">' + r.ttl + '</td>' +
    '<td>' + esc(r.ph) + '</td><td>' + esc(r.ca) + '</td><td class="o-' + esc(r.or) + '">' + esc(r.or) + '</td><td class="num">' + Math.round(r.cf * 100) + '%</td></tr>';
}
tbody.innerHTML = html.join('');
html = null;
var rows = Array.prototype.slice.call(tbody.rows);
var shown = document.getElementById('shown');
var heads = document.querySelectorAll('#rst-table th');
var sortKey = null, sortDir = 1, hay = null;

function sortBy(k) {
  var col = COLS.filter(function (c) { return c.k === k; })[0];
  if (!col) return;
  sortDir = sortKey === k ? -sortDir : 1;
  sortKey = k;
  var keys = new Array(N), order = new Array(N);
  for (var i = 0; i < N; i++) { keys[i] = col.v(R[i]); order[i] = i; }
  var d = sortDir;
  order.sort(col.num
    ? function (a, b) { return (keys[a] - keys[b]) * d || a - b; }
    : function (a, b) { return keys[a] < keys[b] ? -d : keys[a] > keys[b] ? d : a - b; });
  var frag = document.createDocumentFragment();
  for (var j = 0; j < N; j++) frag.appendChild(rows[order[j]]);
  tbody.appendChild(frag);
  for (var h = 0; h < heads.length; h++) {
    var hk = heads[h].getAttribute('data-col');
    if (hk === k) heads[h].setAttribute('aria-sort', d > 0 ? 'ascending' : 'descending'); else heads[h].removeAttribute('aria-sort');
  }
}

var q = document.getElementById('q'), sel = {};
['ph', 'ca', 'or', 'snd'].forEach(function (k) { sel[k] = document.getElementById('f-' + k); });
function applyFilter() {
  var text = q.value.trim().toLowerCase(), want = {}, n = 0;
  Object.keys(sel).forEach(function (k) { if (sel[k].value) want[k] = sel[k].value; });
  if (text && !hay) {
    hay = new Array(N);
    for (var i = 0; i < N; i++) {
      var r = R[i];
      hay[i] = [r.f, r.t, hp(r.src, r.sp), hp(r.dst, r.dp), r.fl, r.ph, r.ca, r.or, r.snd, r.ev.join(' '), r.wf, D.files[r.fi]].join(' ').toLowerCase();
    }
  }
  var keys = Object.keys(want);
  for (var j = 0; j < N; j++) {
    var ok = !text || hay[j].indexOf(text) >= 0;
    for (var m = 0; ok && m < keys.length; m++) ok = R[j][keys[m]] === want[keys[m]];
    if (rows[j].hidden === ok) rows[j].hidden = !ok;
    if (ok) n++;
  }
  shown.textContent = n === N ? N + ' RSTs' : n + ' of ' + N + ' RSTs';
}

document.querySelector('#rst-table thead').addEventListener('click', function (e) {
  var th = e.target.closest('th');
  if (th) sortBy(th.getAttribute('data-col'));
});
var timer = 0;
q.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(applyFilter, 60); });
Object.keys(sel).forEach(function (k) { sel[k].addEventListener('change', applyFilter); });
document.getElementById('summary').addEventListener('click', function (e) {
  var b = e.target.closest('button.pick');
  if (!b) return;
  var k = b.getAttribute('data-k'), v = b.getAttribute('data-v');
  if (k === 'q') q.value = v; else if (sel[k]) sel[k].value = v;
  applyFilter();
  document.getElementById('resets').scrollIntoView();
});

var current = null;
function select(i) {
  if (current !== null) { rows[current].classList.remove('sel'); rows[current].removeAttribute('aria-selected'); }
  current = i;
  rows[i].classList.add('sel');
  rows[i].setAttribute('aria-selected', 'true');
  showDetail(R[i]);
  try { history.replaceState(null, '', '#frame-' + R[i].f + (multi ? '-' + R[i].fi : '')); } catch (e) { /* file: URLs may refuse */ }
}
tbody.addEventListener('click', function (e) {
  var tr = e.target.closest('tr');
  if (tr) select(+tr.getAttribute('data-i'));
});
tbody.addEventListener('keydown', function (e) {
  if (current === null || (e.key !== 'ArrowDown' && e.key !== 'ArrowUp')) return;
  var tr = rows[current];
  do { tr = e.key === 'ArrowDown' ? tr.nextElementSibling : tr.previousElementSibling; } while (tr && tr.hidden);
  if (tr) { e.preventDefault(); select(+tr.getAttribute('data-i')); tr.focus(); }
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
  box.scrollTop = Math.max(0, drawn.focusY - box.clientHeight / 2);
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
var m = /^#frame-(\d+)(?:-(\d+))?$/.exec(location.hash);
if (m) for (var k = 0; k < N; k++) if (R[k].f === +m[1] && (!m[2] || R[k].fi === +m[2])) { select(k); rows[k].scrollIntoView({ block: 'center' }); break; }
requestAnimationFrame(function () { setTimeout(function () { document.documentElement.setAttribute('data-ready', String(Math.round(performance.now()))); }, 0); });
})();
`;
