// The terminal ladder: a client lane and a server lane, one arrow per packet, RSTs drawn with '=' and
// annotated with their cause, folded runs as one dotted line. Plain ASCII; colour only when asked.
import type { DiagramView, FoldRow, PacketRow } from './view.js';
import { terminalSafe } from './sanitize.js';
import { formatBytes, formatCount, formatDuration, formatRelTime } from './units.js';

export interface LadderOptions {
  color: boolean;
  /** Prefix for every line (analyze --diagrams indents the ladder under its RST). */
  indent?: string;
}

const MIN_LANE = 44;

/** The ladder as text lines ending in '\n'. */
export function renderLadder(view: DiagramView, opts: LadderOptions): string {
  const paint = painter(opts.color);
  const client = hostPort(view.client.ip, view.client.port);
  const server = hostPort(view.server.ip, view.server.port);
  const labels = view.rows.map((r) => (r.kind === 'packet' ? packetLabel(r) : foldLabel(r)));
  const lane = Math.max(MIN_LANE, ...labels.map((l) => l.length + 8), client.length + server.length + 18);
  const frameW = Math.max(5, ...view.rows.map((r) => (r.kind === 'packet' ? String(r.frame).length : 0)));
  const timeW = Math.max(9, ...view.rows.map((r) => (r.kind === 'packet' ? formatRelTime(r.time).length : 0)));
  const left = (mark: string, frame: string, time: string): string => `${mark}${frame.padStart(frameW)}  ${time.padStart(timeW)}  `;

  const out: string[] = [];
  const stream = view.stream === null ? '' : ` (stream ${view.stream})`;
  out.push(paint.bold(`connection ${view.connection}${stream}: ${client} -> ${server}, ${view.state}, ` +
    `${formatCount(view.packets)} packets, ${formatBytes(view.bytes)}, ${formatDuration(view.duration)}`));
  const heads = `client ${client}`;
  const headsR = `server ${server}`;
  out.push(left(' ', 'frame', 'time (s)') + heads + ' '.repeat(Math.max(1, lane + 2 - heads.length - headsR.length)) + headsR);
  view.rows.forEach((r, i) => {
    const label = labels[i]!;
    if (r.kind === 'fold') {
      const hold = r.holds === null ? '' : `  << frame ${r.holds} is in here`;
      out.push(paint.dim(left(' ', '', '') + ':' + center(label, lane, ' ') + ':') + paint.bold(hold));
      return;
    }
    const fill = r.rst ? '=' : '-';
    const body = center(` ${label} `, lane - 1, fill);
    const arrow = r.fromClient ? `|${body}>|` : `|<${body}|`;
    const line = left(r.rst || r.focus ? '>' : ' ', String(r.frame), formatRelTime(r.time)) + arrow;
    if (r.rst) out.push(paint.red(line) + paint.boldRed(`  ${rstNote(r)}`));
    else out.push(r.focus ? paint.bold(line) + `  << frame ${r.frame}` : line);
  });
  if (view.droppedWindows > 0) out.push(`(${view.droppedWindows} more RSTs: their surrounding packets were not kept)`);
  for (const f of view.undrawn) out.push(`(frame ${f} is not drawn: the packet log keeps one copy of a duplicated packet)`);
  const indent = opts.indent ?? '';
  return out.map((l) => indent + l + '\n').join('');
}

/** "PA seq=1 ack=1 len=5 ttl=64" */
export function packetLabel(r: PacketRow): string {
  return `${r.flags || '-'} seq=${r.seq}${r.ack === null ? '' : ` ack=${r.ack}`} len=${r.len} ttl=${r.ttl}`;
}

/** "... 1,234 packets, 1.6 MB, 3.2 s ..." */
export function foldLabel(r: FoldRow): string {
  const parts = [`${formatCount(r.packets)} packet${r.packets === 1 ? '' : 's'}`, formatBytes(r.bytes)];
  if (r.seconds !== null) parts.push(formatDuration(r.seconds));
  return `... ${parts.join(', ')} ...`;
}

/** "RST from the server: abortive-close (endpoint)" */
export function rstNote(r: PacketRow): string {
  const who = r.fromClient ? 'client' : 'server';
  if (!r.note) return `<< RST from the ${who}`;
  return terminalSafe(`<< RST from the ${who}: ${r.note.cause} (origin ${r.note.origin})`);
}

function center(text: string, width: number, fill: string): string {
  const room = Math.max(0, width - text.length);
  const l = Math.floor(room / 2);
  return fill.repeat(l) + text + fill.repeat(room - l);
}

function hostPort(ip: string, port: number): string {
  const safe = terminalSafe(ip);
  return safe.includes(':') ? `[${safe}]:${port}` : `${safe}:${port}`;
}

interface Painter {
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  boldRed(s: string): string;
}

function painter(color: boolean): Painter {
  const wrap = (code: string) => (s: string): string => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  return { bold: wrap('1'), dim: wrap('2'), red: wrap('31'), boldRed: wrap('1;31') };
}
