// The output of `rstscope locate`: the JSON document (docs/locate.md) and its text rendering.
export interface LocateDoc {
  points: PointRecord[];
  resets: LocatedReset[];
  summary: { resets: number; born: Record<string, number>; connections: number; matched_connections: number };
}

export interface PointRecord {
  name: string;
  file: string;
  /** This point's clock minus the first point's (s), at the first point's first packet; null when unknown. */
  clock_offset_s: number | null;
  clock_drift_ppm: number | null;
  /** Packets seen both here and at a neighbour that the clock estimate rests on (0: none). */
  clock_samples: number;
  packets: number;
  first: string | null;
  last: string | null;
  linktypes: number[];
  /** Largest captured frame length (a lower bound of the snaplen). */
  max_caplen: number;
  warnings: string[];
}

export interface LostRecord {
  from: string;
  to: string;
  direction: 'client->server' | 'server->client';
  /** Sequence space seen at `from`, never at `to` (SYN and FIN count as one). */
  bytes: number;
  /** Absolute sequence numbers [seq, end), last ones first (at most 8). */
  ranges: Array<{ seq: number; end: number; bytes: number }>;
  /** The lost ranges include the SYN. */
  syn: boolean;
  /** Packets kept at both points (handshake, around RSTs, last ones) seen at `from` only, and their last frames at `from`. */
  packets: number;
  frames: number[];
}

export interface LocatedReset {
  /** Frame number at each point, null where the RST was not seen. */
  frames: Record<string, number | null>;
  ttls: Record<string, number | null>;
  /** Time at the first point's clock (corrected), ISO-8601. */
  time: string;
  sender: 'client' | 'server';
  src: string;
  dst: string;
  flags: string;
  seq: number;
  ack: number;
  cause: string;
  origin: 'endpoint' | 'middlebox' | 'unknown';
  confidence: number;
  /** The two adjacent points it was born between, in path order; null = beyond the first / last point. */
  born_between: [string | null, string | null];
  /** How the client's end of the path was decided for this connection. */
  oriented_by: string;
  lost: LostRecord[];
  evidence: string[];
}

/** Human-readable report. */
export function renderText(doc: LocateDoc): string {
  const out: string[] = [];
  out.push(`capture points, in path order:`);
  for (const p of doc.points) {
    const clock = p.clock_offset_s === null ? 'clock: not comparable (no packet seen at a neighbour)'
      : `clock ${sign(p.clock_offset_s)} s, drift ${(p.clock_drift_ppm ?? 0).toFixed(1)} ppm, ${p.clock_samples} shared packets`;
    out.push(`  ${p.name.padEnd(12)} ${p.file}  (${p.packets} packets; ${clock})`);
  }
  out.push('');
  doc.resets.forEach((r, i) => {
    const seen = Object.entries(r.frames).map(([n, f]) => (f === null ? `${n} -` : `${n} #${f} ttl ${r.ttls[n]}`)).join(' | ');
    out.push(`RST ${i + 1}  ${r.time}  ${r.flags} ${r.src} -> ${r.dst}  seq ${r.seq}`);
    out.push(`  seen at:  ${seen}`);
    out.push(`  born:     ${bornText(r.born_between, r.sender)}  [${r.born_between.map((x) => x ?? '-').join(', ')}]`);
    out.push(`  sender:   ${r.sender}   cause: ${r.cause}   origin: ${r.origin}   confidence ${r.confidence.toFixed(2)}`);
    for (const l of r.lost) out.push(`  lost:     ${lostText(l)}`);
    for (const e of r.evidence) out.push(`    - ${e}`);
    out.push('');
  });
  const born = Object.entries(doc.summary.born).map(([k, n]) => `${n} ${k}`).join(', ');
  out.push(`${doc.summary.resets} RSTs (${born || 'none'}); ${doc.summary.matched_connections} of ${doc.summary.connections} connections seen at more than one point`);
  return out.join('\n') + '\n';
}

/** "at the server", "between router and server", ... */
export function bornText(b: [string | null, string | null], sender: string): string {
  if (b[0] === null && b[1] !== null) return `at the first end, before ${b[1]} (the ${sender === 'client' ? 'client' : 'sender'} or a device beyond ${b[1]})`;
  if (b[1] === null && b[0] !== null) return `at the last end, after ${b[0]} (the ${sender === 'server' ? 'server' : 'sender'} or a device beyond ${b[0]})`;
  return `between ${b[0]} and ${b[1]} (a device in the path forged it)`;
}

/** "2 packets (1460 bytes) client->server seen at client, never at router (frames 4, 5)". */
export function lostText(l: LostRecord): string {
  const bytes = l.syn && l.bytes === 1 ? 'the SYN' : l.bytes ? `${l.bytes} bytes${l.syn ? ' (with the SYN)' : ''}` : '';
  const what = [l.packets ? `${l.packets} packet${l.packets > 1 ? 's' : ''}` : '', bytes];
  const frames = l.frames.length ? ` (frame${l.frames.length > 1 ? 's' : ''} ${l.frames.join(', ')} at ${l.from})` : '';
  return `${what.filter((x) => x).join(', ')} ${l.direction} seen at ${l.from}, never at ${l.to}${frames}`;
}

function sign(x: number): string {
  return (x >= 0 ? '+' : '') + x.toFixed(6);
}
