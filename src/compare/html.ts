// Self-contained HTML report of `locate`: per RST, a ladder with one lane per capture point (path order,
// left to right). Each row is one packet; a dot marks each point that saw it, a cross the gap where it
// vanished, a star the gap where the RST was born. No script, no external resource; capture text is escaped.
import { RST } from '../decode/packet.js';
import { flagLetters } from '../report/flags.js';
import { toRef } from './clock.js';
import type { LocateResult } from './locate.js';
import type { ConnGroup } from './match.js';
import { lostText, type LocatedReset } from './report.js';
import type { Pkt, PointIndex } from './types.js';
import type { Cluster } from './verdict.js';

export function renderHtml(r: LocateResult): string {
  const d = r.doc;
  const pts = d.points.map((p) => `<tr><td>${esc(p.name)}</td><td>${esc(p.file)}</td><td>${p.packets}</td><td>${p.clock_offset_s === null ? 'unknown' : `${p.clock_offset_s.toFixed(6)} s`}</td><td>${p.clock_drift_ppm === null ? '' : `${p.clock_drift_ppm} ppm`}</td><td>${p.clock_samples}</td></tr>`);
  const byGroup = new Map<ConnGroup, Cluster[]>();
  for (const det of r.details) byGroup.set(det.group, [...(byGroup.get(det.group) ?? []), det.cluster]);
  const sections = d.resets.slice(0, MAX_LADDERS).map((rs, i) => section(i, rs, r, byGroup));
  if (d.resets.length > MAX_LADDERS) sections.push(`<p>${d.resets.length - MAX_LADDERS} more RSTs: see the JSON output.</p>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>rstscope locate</title>
<style>${CSS}</style></head><body>
<h1>rstscope locate: where each RST was born</h1>
<p>Capture points in path order (left to right in every ladder). Clock offsets are against ${esc(d.points[0]?.name ?? '')}.</p>
<table><tr><th>point</th><th>file</th><th>packets</th><th>clock offset</th><th>drift</th><th>shared packets</th></tr>
${pts.join('\n')}</table>
<p>In a ladder each row is one packet: &#9679; seen at that point. RSTs (red; the one the ladder is about in bold) are
matched point by point: &#9675; not seen there, &#9733; first seen in the middle of the path (born in that gap),
&#10007; vanished in that gap. Other packets are kept only around RSTs, so a dashed line means not kept there.</p>
<p>${d.summary.resets} RSTs; ${d.summary.matched_connections} of ${d.summary.connections} connections seen at more than one point.</p>
${sections.join('\n')}
</body></html>
`;
}

/** Escapes text for HTML element content and attribute values. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const CSS = `body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}section{border-top:2px solid #888;margin-top:1.5em}
.born{font-weight:bold}.mb{color:#b00}svg{background:#fafafa;border:1px solid #ddd;margin:.5em 0}
svg text{font:11px monospace}li{margin:2px 0}`;

/** A page with more ladders than this is not read by anyone; the JSON has them all. */
const MAX_LADDERS = 500;
const LANE = 190;
const LEFT = 90;
const ROW = 32;
const TOP = 44;
const BEFORE = 14;
const AFTER = 8;

interface Row {
  /** Fingerprint (-1 for RST rows, which are joined by their cluster). */
  key: number;
  fromClient: boolean;
  u: number;
  at: Array<Pkt | null>;
  rst: boolean;
  /** The RST this ladder is about. */
  main: boolean;
}

function section(i: number, rs: LocatedReset, r: LocateResult, byGroup: Map<ConnGroup, Cluster[]>): string {
  const det = r.details[i]!;
  const born = rs.born_between.map((x) => (x === null ? '(end)' : esc(x))).join(' .. ');
  const lost = rs.lost.map((l) => `<li>lost: ${esc(lostText(l))}</li>`).join('');
  const ev = rs.evidence.map((e) => `<li>${esc(e)}</li>`).join('');
  return `<section><h2>RST ${i + 1}: ${esc(rs.flags)} ${esc(rs.src)} &rarr; ${esc(rs.dst)}</h2>
<p class="born ${rs.origin === 'middlebox' ? 'mb' : ''}">born between ${born}; sender ${esc(rs.sender)}, cause ${esc(rs.cause)}, origin ${esc(rs.origin)}, confidence ${rs.confidence}</p>
${ladder(det.cluster, det.group, det.orientation.clientLow, rs, r, byGroup.get(det.group) ?? [])}
<ul>${lost}${ev}</ul></section>`;
}

function ladder(cl: Cluster, g: ConnGroup, clientLow: boolean, rs: LocatedReset, r: LocateResult, clusters: Cluster[]): string {
  const points = r.points;
  const rows = pickRows(buildRows(cl, g, r, clusters), cl);
  const n = points.length;
  const w = LEFT + LANE * n + 40;
  const h = TOP + ROW * rows.length + 20;
  const x = (pos: number): number => LEFT + LANE * pos + LANE / 2;
  const out: string[] = [];
  out.push(`<text x="8" y="16">${clientLow ? 'client side &larr;' : 'server side &larr;'}</text>`);
  out.push(`<text x="${w - 110}" y="16">&rarr; ${clientLow ? 'server side' : 'client side'}</text>`);
  points.forEach((p, pos) => {
    out.push(`<line x1="${x(pos)}" y1="${TOP - 10}" x2="${x(pos)}" y2="${h - 6}" stroke="#999"/>`);
    out.push(`<text x="${x(pos)}" y="${TOP - 16}" text-anchor="middle" font-weight="bold">${esc(p.name)}</text>`);
  });
  rows.forEach((row, k) => out.push(drawRow(row, TOP + ROW * k + ROW / 2, row.fromClient === clientLow, n, x, points, cl.u)));
  const title = `ladder of the connection around RST (${rs.flags} ${rs.src} -> ${rs.dst})`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="${esc(title)}">${out.join('')}</svg>`;
}

/**
 * One packet across the lanes. RST rows are exact (their copies were matched point by point): they start
 * with a star in the gap they were born in and end with a cross where they vanished. Other packets are
 * only kept around RSTs at each point, so their line is dashed beyond the lanes that show them.
 */
function drawRow(row: Row, y: number, up: boolean, n: number, x: (pos: number) => number, points: PointIndex[], u0: number): string {
  const out: string[] = [];
  const seen = row.at.map((p, pos) => (p ? pos : -1)).filter((pos) => pos >= 0);
  const color = row.rst ? (row.main ? '#c00' : '#d77') : '#357';
  const step = up ? 1 : -1;
  const first = up ? seen[0]! : seen[seen.length - 1]!;
  const last = up ? seen[seen.length - 1]! : seen[0]!;
  const edgeIn = x(up ? 0 : n - 1) - (step * LANE) / 2;
  const edgeOut = x(up ? n - 1 : 0) + (step * LANE) / 2;
  const startX = x(first) - (step * LANE) / 2;
  const stopX = x(last) + (step * LANE) / 2;
  const line = (a: number, b: number, dash: boolean): string =>
    `<line x1="${a}" y1="${y}" x2="${b}" y2="${y}" stroke="${color}" stroke-width="${row.main ? 2 : 1}"${dash ? ' stroke-dasharray="4 3"' : ''}/>`;
  if (row.rst) {
    out.push(line(startX, stopX, false));
    if (startX !== edgeIn) out.push(`<text x="${startX}" y="${y + 6}" text-anchor="middle" fill="${color}" font-size="18">&#9733;</text>`);
    if (stopX !== edgeOut) out.push(`<text x="${stopX}" y="${y + 5}" text-anchor="middle" fill="${color}" font-size="16">&#10007;</text>`);
    else out.push(arrowHead(stopX, y, step, color));
    for (let pos = Math.min(first, last); pos <= Math.max(first, last); pos++) {
      if (!row.at[pos]) out.push(`<circle cx="${x(pos)}" cy="${y}" r="3.5" fill="#fff" stroke="${color}"/>`);
    }
  } else {
    out.push(line(edgeIn, x(first), startX !== edgeIn), line(x(first), x(last), false), line(x(last), edgeOut, stopX !== edgeOut));
    out.push(arrowHead(edgeOut, y, step, color));
  }
  row.at.forEach((p, pos) => {
    if (!p) return;
    out.push(`<circle cx="${x(pos)}" cy="${y}" r="3.5" fill="${color}"><title>${esc(`${points[pos]!.name} frame ${p.frame}, TTL ${p.ttl}`)}</title></circle>`);
    out.push(`<text x="${x(pos) + 6}" y="${y - 5}" fill="#666">#${p.frame} ttl ${p.ttl}</text>`);
  });
  const any = row.at.find((p) => p !== null)!;
  out.push(`<text x="8" y="${y + 4}" fill="${color}">${esc(ms(row.u - u0))}</text>`);
  const label = `${flagLetters(any.flags)}${any.len ? ` len ${any.len}` : ''} seq ${any.seq}`;
  out.push(`<text x="${(x(0) + x(n - 1)) / 2}" y="${y + 15}" text-anchor="middle" fill="${color}">${esc(label)}</text>`);
  return out.join('');
}

/** The group's RSTs as matched (one row per RST), then every other kept packet joined across points by fingerprint. */
function buildRows(cl: Cluster, g: ConnGroup, r: LocateResult, clusters: Cluster[]): Row[] {
  const points = r.points;
  const rows: Row[] = [];
  const rstPkts = new Set<Pkt>();
  for (const c of clusters) {
    const at = c.rsts.map((x) => x?.pkt ?? null);
    at.forEach((p) => p && rstPkts.add(p));
    rows.push({ key: -1, fromClient: c.fromClient, u: c.u, at, rst: true, main: c === cl });
  }
  g.members.forEach((m, pos) => {
    if (!m) return;
    const seen = new Set<Pkt>();
    const all = [...m.head, ...(m.log?.recent ?? []), ...(m.log?.windows.flatMap((w) => w.pkts) ?? [])];
    for (const p of all) {
      if (seen.has(p) || rstPkts.has(p) || p.flags & RST) continue;
      seen.add(p);
      const u = toRef(r.clocks[pos]!, p.t);
      const fromClient = p.fromClient !== g.flipped[pos];
      let best: Row | null = null;
      for (const row of rows) {
        if (row.key !== p.key || row.fromClient !== fromClient || row.at[pos]) continue;
        if (!best || Math.abs(row.u - u) < Math.abs(best.u - u)) best = row;
      }
      if (best) {
        best.at[pos] = p;
        best.u = Math.min(best.u, u);
      } else {
        const at: Array<Pkt | null> = points.map(() => null);
        at[pos] = p;
        rows.push({ key: p.key, fromClient, u, at, rst: false, main: false });
      }
    }
  });
  return rows.sort((a, b) => a.u - b.u);
}

/** The rows around the RST: BEFORE rows before it, AFTER after. */
function pickRows(rows: Row[], cl: Cluster): Row[] {
  let at = rows.findIndex((row) => row.main);
  if (at < 0) at = rows.findIndex((row) => row.u >= cl.u);
  if (at < 0) at = rows.length - 1;
  return rows.slice(Math.max(0, at - BEFORE), at + AFTER + 1);
}

function arrowHead(x: number, y: number, step: number, color: string): string {
  return `<path d="M${x} ${y} l${-6 * step} -4 l0 8 z" fill="${color}"/>`;
}

function ms(s: number): string {
  const v = s * 1000;
  return `${v >= 0 ? '+' : ''}${v.toFixed(1)} ms`;
}
