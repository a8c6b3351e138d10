// The SVG ladder, drawn in the page on demand from a folded view (src/report/diagram/view.ts builds the
// folds; this only draws them). Text goes in with textContent, so nothing from a capture is parsed as markup.

export const LADDER_SCRIPT = String.raw`
var SVGNS = 'http://www.w3.org/2000/svg';
function svgEl(tag, attrs, text) {
  var x = document.createElementNS(SVGNS, tag);
  for (var a in attrs) x.setAttribute(a, attrs[a]);
  if (text !== undefined) x.textContent = String(text);
  return x;
}
function drawLadder(v, r, all) {
  var ROW = 28, TOP = 52, XC = 160, XS = 500, W = 760, SLANT = 12;
  var notes = {};
  all.forEach(function (x) { if (x.v === r.v) notes[x.f] = x; });
  var H = TOP + v.rows.length * ROW + 12;
  var svg = svgEl('svg', { 'class': 'ladder', width: '100%', viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'data-conn': r.c });
  svg.appendChild(svgEl('title', {}, 'Ladder diagram of connection ' + r.c + ': ' + v.cl + ' to ' + v.sv));
  svg.appendChild(svgEl('text', { x: 8, y: 16, 'class': 'meta' }, 'frame'));
  svg.appendChild(svgEl('text', { x: 56, y: 16, 'class': 'meta' }, 'time (s)'));
  svg.appendChild(svgEl('text', { x: XC, y: 16, 'text-anchor': 'middle', 'class': 'lanehead' }, 'client'));
  svg.appendChild(svgEl('text', { x: XS, y: 16, 'text-anchor': 'middle', 'class': 'lanehead' }, 'server'));
  svg.appendChild(svgEl('text', { x: XC, y: 31, 'text-anchor': 'middle' }, v.cl));
  svg.appendChild(svgEl('text', { x: XS, y: 31, 'text-anchor': 'middle' }, v.sv));
  svg.appendChild(svgEl('line', { x1: XC, y1: TOP - 14, x2: XC, y2: H - 6, 'class': 'lane' }));
  svg.appendChild(svgEl('line', { x1: XS, y1: TOP - 14, x2: XS, y2: H - 6, 'class': 'lane' }));
  var focusY = 0;
  v.rows.forEach(function (row, k) {
    var y = TOP + k * ROW;
    if (row.length === 1) {
      var g0 = svgEl('g', { 'class': 'fold' });
      g0.appendChild(svgEl('rect', { x: XC - 6, y: y - 4, width: XS - XC + 12, height: ROW - 8, rx: 4 }));
      g0.appendChild(svgEl('text', { x: (XC + XS) / 2, y: y + ROW / 2 - 4, 'text-anchor': 'middle' }, row[0]));
      svg.appendChild(g0);
      return;
    }
    var frame = row[0], us = row[1], fromClient = row[2] === 1, flags = row[3];
    var isRst = flags.indexOf('R') >= 0, x1 = fromClient ? XC : XS, x2 = fromClient ? XS : XC;
    var g = svgEl('g', { 'class': isRst ? 'pkt rst' : 'pkt', 'data-frame': frame });
    if (frame === r.f) {
      g.appendChild(svgEl('rect', { 'class': 'focus', x: 0, y: y - 8, width: W, height: ROW }));
      focusY = y;
    }
    g.appendChild(svgEl('text', { x: 8, y: y + 8, 'class': 'meta' }, frame));
    g.appendChild(svgEl('text', { x: 56, y: y + 8, 'class': 'meta' }, (us / 1e6).toFixed(6)));
    g.appendChild(svgEl('line', { x1: x1, y1: y, x2: x2, y2: y + SLANT }));
    var dx = fromClient ? -9 : 9;
    g.appendChild(svgEl('polygon', { points: x2 + ',' + (y + SLANT) + ' ' + (x2 + dx) + ',' + (y + SLANT - 4) + ' ' + (x2 + dx) + ',' + (y + SLANT + 4) }));
    var label = (flags || '-') + ' seq=' + row[4] + (row[5] === null ? '' : ' ack=' + row[5]) + ' len=' + row[6] + ' ttl=' + row[7];
    g.appendChild(svgEl('text', { x: (XC + XS) / 2, y: y + SLANT / 2 - 4, 'text-anchor': 'middle' }, label));
    var n = notes[frame];
    if (isRst) g.appendChild(svgEl('text', { x: XS + 12, y: y + 8 }, n ? 'RST: ' + n.ca + ' (' + n.or + ')' : 'RST'));
    svg.appendChild(g);
  });
  if (!focusY) {
    svg.setAttribute('viewBox', '0 0 ' + W + ' ' + (H + 20));
    svg.appendChild(svgEl('text', { x: 8, y: H + 12, 'class': 'meta' }, 'frame ' + r.f + ' is not drawn: the packet log keeps one copy of a duplicated packet'));
  }
  return { svg: svg, focusY: focusY, width: W };
}
`;
