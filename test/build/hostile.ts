// Hostile traffic generators: floods written as a stream (a million packets never sit in memory), and small
// captures with pathological TCP/IP (sequence wrap, inconsistent retransmissions, bogus options, long IPv6
// extension chains, control characters in payloads). Used by test/hostile.test.ts and fuzz/run.ts.
import { closeSync, openSync, writeSync } from 'node:fs';
import { pcap, type PcapPacket } from './capture-builders.js';
import { cat, eth, ext6, ipv4, ipv6, u16be } from './packet-builders.js';
import { opt, tcp } from './packet-transport.js';

const BUF = 1 << 20;

/** Writes a little-endian µs pcap to a file a packet at a time, through a 1 MiB buffer. */
export class PcapStream {
  private readonly fd: number;
  private readonly buf = Buffer.allocUnsafe(BUF);
  private n = 0;
  packets = 0;
  bytes = 0;

  constructor(path: string, linktype = 1, snaplen = 262_144) {
    this.fd = openSync(path, 'w');
    const h = Buffer.alloc(24);
    h.writeUInt32LE(0xa1b2c3d4, 0);
    h.writeUInt16LE(2, 4);
    h.writeUInt16LE(4, 6);
    h.writeUInt32LE(snaplen, 16);
    h.writeUInt32LE(linktype, 20);
    this.put(h);
  }

  /** Appends one record; `usec` is microseconds since the epoch. */
  packet(usec: number, data: Uint8Array): void {
    const h = this.room(16 + data.length);
    this.buf.writeUInt32LE(Math.floor(usec / 1e6), h);
    this.buf.writeUInt32LE(usec % 1e6, h + 4);
    this.buf.writeUInt32LE(data.length, h + 8);
    this.buf.writeUInt32LE(data.length, h + 12);
    this.buf.set(data, h + 16);
    this.n += 16 + data.length;
    this.packets++;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private put(b: Uint8Array): void {
    const at = this.room(b.length);
    this.buf.set(b, at);
    this.n += b.length;
  }

  private room(k: number): number {
    if (this.n + k > BUF) this.flush();
    return this.n;
  }

  private flush(): void {
    let o = 0;
    while (o < this.n) o += writeSync(this.fd, this.buf, o, this.n - o);
    this.bytes += this.n;
    this.n = 0;
  }
}

/** One's-complement sum of b[from..to) as 16-bit big-endian words, folded later. */
function sum16(b: Uint8Array, from: number, to: number, acc: number): number {
  let s = acc;
  let i = from;
  for (; i + 1 < to; i += 2) s += (b[i]! << 8) | b[i + 1]!;
  if (i < to) s += b[i]! << 8;
  return s;
}

function fold(s: number): number {
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

/**
 * A reusable Ethernet/IPv4/TCP frame (no payload, optional options) whose addresses, ports, flags and
 * numbers are patched in place; checksums are recomputed, so the flood is valid even with --verify-checksums.
 */
export class Ipv4TcpTemplate {
  readonly frame: Uint8Array;
  private readonly ip = 14;
  private readonly tcp = 34;

  constructor(options: number[] = [], payloadLen = 0) {
    const seg = tcp({ options, payload: new Uint8Array(payloadLen) });
    this.frame = eth(ipv4({ df: true }, seg));
  }

  /** Sets the fields and both checksums; addresses are 32-bit numbers. */
  set(src: number, dst: number, sport: number, dport: number, seq: number, ack: number, flags: number, ipId: number, ttl = 64, window = 64240): Uint8Array {
    const f = this.frame;
    const v = new DataView(f.buffer, f.byteOffset, f.byteLength);
    const ip = this.ip;
    const t = this.tcp;
    v.setUint16(ip + 4, ipId & 0xffff);
    f[ip + 8] = ttl;
    v.setUint32(ip + 12, src >>> 0);
    v.setUint32(ip + 16, dst >>> 0);
    v.setUint16(ip + 10, 0);
    v.setUint16(ip + 10, fold(sum16(f, ip, ip + 20, 0)));
    v.setUint16(t, sport);
    v.setUint16(t + 2, dport);
    v.setUint32(t + 4, seq >>> 0);
    v.setUint32(t + 8, ack >>> 0);
    v.setUint16(t + 12, (v.getUint16(t + 12) & 0xf000) | (flags & 0x1ff));
    v.setUint16(t + 14, window);
    v.setUint16(t + 16, 0);
    const tcpLen = f.length - t;
    let s = sum16(f, ip + 12, ip + 20, 0) + 6 + tcpLen; // pseudo header: addresses, protocol, length
    s = sum16(f, t, f.length, s);
    v.setUint16(t + 16, fold(s));
    return f;
  }
}

const T0 = 1_700_000_000 * 1e6;
const SERVER = (198 << 24) | (51 << 16) | (100 << 8) | 2;

/** Distinct pseudo-random addresses in 10.0.0.0/8 .. 100.0.0.0/8 (a bijection of i, so no repeats). */
function spoofed(i: number): number {
  const x = Math.imul(i ^ 0x5bd1e995, 0x9e3779b1) >>> 0;
  return ((10 + (i % 90)) << 24) | (x & 0xffffff);
}

/**
 * A SYN flood: `n` SYNs, each from its own spoofed source address and port, to one server port,
 * 10 µs apart (so nothing reaches the idle timeout: only the table cap can bound memory).
 */
export function writeSynFlood(path: string, n: number): { packets: number; bytes: number } {
  const w = new PcapStream(path);
  const t = new Ipv4TcpTemplate([...opt.mss(1460), ...opt.sackPerm(), ...opt.ts(1, 0), ...opt.nop(), ...opt.ws(7)]);
  for (let i = 0; i < n; i++) {
    const seq = Math.imul(i + 1, 2654435761) >>> 0;
    w.packet(T0 + i * 10, t.set(spoofed(i), SERVER, 1024 + (i % 64000), 80, seq, 0, 0x002, i, 64 - (i % 20)));
  }
  w.close();
  return { packets: w.packets, bytes: w.bytes };
}

/**
 * A RST storm: one established connection, then `n` RSTs against it with random sequence numbers
 * (a blind in-window reset attack), alternating both directions, 5 µs apart.
 */
export function writeRstStorm(path: string, n: number): { packets: number; bytes: number } {
  const w = new PcapStream(path);
  const t = new Ipv4TcpTemplate();
  const client = (192 << 24) | (0 << 16) | (2 << 8) | 1;
  const [cisn, sisn] = [1_000_000, 5_000_000];
  let now = T0;
  w.packet((now += 1000), t.set(client, SERVER, 40000, 443, cisn, 0, 0x002, 1));
  w.packet((now += 1000), t.set(SERVER, client, 443, 40000, sisn, cisn + 1, 0x012, 1));
  w.packet((now += 1000), t.set(client, SERVER, 40000, 443, cisn + 1, sisn + 1, 0x010, 2));
  for (let i = 0; i < n; i++) {
    const seq = Math.imul(i + 7, 2246822519) >>> 0;
    const fromClient = i % 2 === 0;
    w.packet((now += 5), fromClient
      ? t.set(client, SERVER, 40000, 443, seq, 0, 0x004, 3 + i)
      : t.set(SERVER, client, 443, 40000, seq, 0, 0x004, 3 + i, 128));
  }
  w.close();
  return { packets: w.packets, bytes: w.bytes };
}

/**
 * Ordinary-looking traffic for timing: conversations of 10 packets (handshake, two requests and
 * answers, then FIN or RST), from 50,000 clients in turn, `gapUs` µs apart, `packets` in all.
 */
export function writeMixedTraffic(path: string, packets: number, gapUs = 20): { packets: number; bytes: number } {
  const w = new PcapStream(path);
  const t = new Ipv4TcpTemplate([], 100);
  let now = T0;
  let conv = 0;
  while (w.packets < packets) {
    const client = (10 << 24) | (conv % 50_000);
    const sport = 1024 + ((conv / 50_000) | 0) % 60000;
    const c = 1000 + conv * 7;
    const s = 9000 + conv * 13;
    const id = conv & 0xffff;
    const script: Array<[boolean, number, number, number]> = [
      [true, c, 0, 0x002], [false, s, c + 1, 0x012], [true, c + 1, s + 1, 0x010],
      [true, c + 1, s + 1, 0x018], [false, s + 1, c + 101, 0x018], [true, c + 101, s + 101, 0x018],
      [false, s + 101, c + 201, 0x018], [true, c + 201, s + 201, conv % 4 === 0 ? 0x004 : 0x011],
      [false, s + 201, c + 202, conv % 4 === 0 ? 0x004 : 0x011], [true, c + 202, s + 202, 0x010],
    ];
    for (const [fromClient, seq, ack, flags] of script) {
      if (w.packets >= packets) break;
      now += gapUs;
      w.packet(now, fromClient
        ? t.set(client, SERVER, sport, 443, seq, ack, flags, id)
        : t.set(SERVER, client, 443, sport, seq, ack, flags, id));
    }
    conv++;
  }
  w.close();
  return { packets: w.packets, bytes: w.bytes };
}

// ------------------------------------------------------------------ small pathological captures

interface Seg {
  fromClient: boolean;
  flags: string;
  seq: number;
  ack?: number;
  payload?: Uint8Array;
  options?: number[];
  /** Replaces the TCP header's data offset (4-byte words), to lie about the header length. */
  dataOffset?: number;
}

const CLIENT4 = '192.0.2.10';
const SERVER4 = '198.51.100.20';

/** A pcap of IPv4/TCP segments between one client and one server, 1 ms apart. */
export function conversation(segs: Seg[], ports: [number, number] = [50000, 80], startSec = 1_700_000_000): Uint8Array {
  const packets: PcapPacket[] = segs.map((s, i) => {
    const [sport, dport] = s.fromClient ? ports : [ports[1], ports[0]];
    const seg = tcp({
      sport, dport, seq: s.seq >>> 0, ack: (s.ack ?? 0) >>> 0, flags: s.flags, window: 65535,
      ...(s.payload ? { payload: s.payload } : {}), ...(s.options ? { options: s.options } : {}),
      ...(s.dataOffset !== undefined ? { dataOffset: s.dataOffset } : {}),
    });
    const [src, dst] = s.fromClient ? [CLIENT4, SERVER4] : [SERVER4, CLIENT4];
    return { sec: startSec, frac: 1000 * (i + 1), data: eth(ipv4({ src, dst, id: i + 1, df: true }, seg)) };
  });
  return pcap({ linktype: 1, snaplen: 262_144 }, packets);
}

/** ASCII bytes of a string, code units taken as bytes (so "\x1b" is one ESC byte). */
export function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (ch) => ch.charCodeAt(0) & 0xff);
}

/**
 * Data crossing the 2^32 sequence wrap in both directions, a retransmission across it, then an in-window RST.
 * The default ISNs sit just below the wrap; other ISNs give the same conversation without it (to compare).
 */
export function seqWrap(c = 0xffffff00, s = 0xfffffff0): Uint8Array {
  const d = new Uint8Array(200).fill(0x61);
  return conversation([
    { fromClient: true, flags: 'S', seq: c },
    { fromClient: false, flags: 'SA', seq: s, ack: c + 1 },
    { fromClient: true, flags: 'A', seq: c + 1, ack: s + 1 },
    { fromClient: true, flags: 'PA', seq: c + 1, ack: s + 1, payload: d }, // ends 0xffffffc9
    { fromClient: true, flags: 'PA', seq: c + 201, ack: s + 1, payload: d }, // crosses 0
    { fromClient: false, flags: 'PA', seq: s + 1, ack: c + 401, payload: d }, // crosses 0
    { fromClient: true, flags: 'PA', seq: c + 201, ack: s + 201, payload: d }, // retransmission across the wrap
    { fromClient: false, flags: 'A', seq: s + 201, ack: c + 401 },
    { fromClient: true, flags: 'R', seq: c + 401 }, // (c + 401) mod 2^32 = 0x91
  ]);
}

/**
 * Retransmissions that disagree: the same sequence with other bytes, longer and shorter overlaps,
 * a segment that starts inside an earlier one, old data far behind, and a RST in the middle of the mess.
 */
export function inconsistentRetransmissions(): Uint8Array {
  const c = 1000;
  const s = 2000;
  const bytes = (n: number, fill: number): Uint8Array => new Uint8Array(n).fill(fill);
  return conversation([
    { fromClient: true, flags: 'S', seq: c },
    { fromClient: false, flags: 'SA', seq: s, ack: c + 1 },
    { fromClient: true, flags: 'A', seq: c + 1, ack: s + 1 },
    { fromClient: true, flags: 'PA', seq: c + 1, ack: s + 1, payload: bytes(100, 0x41) },
    { fromClient: true, flags: 'PA', seq: c + 1, ack: s + 1, payload: bytes(100, 0x42) }, // same seq, other bytes
    { fromClient: true, flags: 'PA', seq: c + 1, ack: s + 1, payload: bytes(300, 0x43) }, // longer overlap
    { fromClient: true, flags: 'PA', seq: c + 51, ack: s + 1, payload: bytes(20, 0x44) }, // inside
    { fromClient: true, flags: 'PA', seq: c - 100_000, ack: s + 1, payload: bytes(10, 0x45) }, // far behind
    { fromClient: false, flags: 'A', seq: s + 1, ack: c + 301 },
    { fromClient: false, flags: 'A', seq: s + 1, ack: c + 101 }, // ack going backwards
    { fromClient: true, flags: 'PA', seq: c + 301, ack: s + 1, payload: bytes(50, 0x46) },
    { fromClient: true, flags: 'PA', seq: c + 201, ack: s + 1, payload: bytes(200, 0x47) }, // overlaps both sides
    { fromClient: false, flags: 'RA', seq: s + 1, ack: c + 351 },
    { fromClient: true, flags: 'PA', seq: c + 351, ack: s + 1, payload: bytes(10, 0x48) }, // after the RST
    { fromClient: false, flags: 'R', seq: s + 1 },
  ]);
}

/** SYNs and data segments whose TCP options have impossible lengths, and headers that lie about their size. */
export function bogusOptions(): Uint8Array {
  const c = 7000;
  const bad: number[][] = [
    [2, 0, 5, 0xb4], // MSS length 0
    [2, 1, 5, 0xb4], // length 1
    [3, 2], // WS too short
    [3, 10, 7, 0, 0, 0, 0, 0, 0, 0], // WS too long
    [5, 3, 0], // SACK length 3
    [5, 40], // SACK longer than the header
    [8, 2], // TS too short
    [8, 255], // length 255
    [0xfe, 0], // experimental kind, length 0
    [0x99], // unknown kind without a length byte
    [1, 1, 1, 2], // NOPs then MSS with no length byte
    [4, 2, 4, 2, 4, 2, 4, 2, 4, 2], // repeated SACK_PERM
    Array.from({ length: 40 }, () => 1), // 40 NOPs
    [2, 4, 0xff, 0xff, 3, 3, 255, 8, 10, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0], // MSS 65535, WS 255
  ];
  const segs: Seg[] = [];
  bad.forEach((options, i) => {
    segs.push({ fromClient: true, flags: 'S', seq: c + i, options });
  });
  segs.push({ fromClient: true, flags: 'PA', seq: c, payload: ascii('x'), dataOffset: 15 }); // header claims 60 bytes
  segs.push({ fromClient: true, flags: 'PA', seq: c, payload: ascii('x'), dataOffset: 2 }); // < 5 words
  segs.push({ fromClient: false, flags: 'R', seq: 0, options: [8, 10, 1, 2, 3, 4, 5, 6, 7, 8, 2, 9] });
  return conversation(segs);
}

/**
 * IPv6/TCP SYNs and RSTs behind extension-header chains of growing length (1..`longest` headers:
 * hop-by-hop first, then routing and destination options in turn, some with padding units).
 */
export function ipv6ExtensionChains(longest = 64): Uint8Array {
  const packets: PcapPacket[] = [];
  const mk = (n: number, flags: string, fromClient: boolean): Uint8Array => {
    const seg = tcp({ sport: fromClient ? 40000 + n : 443, dport: fromClient ? 443 : 40000 + n, seq: 1000 * n, flags });
    // Build inside out: the last header points at TCP (6).
    let body: Uint8Array = seg;
    let next = 6;
    for (let k = n - 1; k >= 0; k--) {
      const type = k === 0 ? 0 : k % 2 === 1 ? 43 : 60;
      body = ext6(next, body, k % 3);
      next = type;
    }
    // ipv6() computes the TCP checksum only when next === 6: with extensions it stays as tcp() left it.
    const [src, dst] = fromClient ? ['2001:db8::10', '2001:db8::20'] : ['2001:db8::20', '2001:db8::10'];
    return eth(ipv6({ src, dst, next: n === 0 ? 6 : next, l4Checksum: false }, body), { type: 0x86dd });
  };
  for (let n = 0; n <= longest; n++) {
    packets.push({ sec: 1_700_000_000 + n, frac: 0, data: mk(n, 'S', true) });
    packets.push({ sec: 1_700_000_000 + n, frac: 10, data: mk(n, 'R', false) });
  }
  // A chain that claims a header longer than the packet, and one cut in the middle of a header.
  const cut = mk(8, 'S', true);
  packets.push({ sec: 1_700_000_100, frac: 0, data: cut.subarray(0, 14 + 40 + 20) });
  const long = Uint8Array.from(mk(3, 'S', true));
  long[14 + 40 + 1] = 255; // first extension header: 256 units
  packets.push({ sec: 1_700_000_101, frac: 0, data: long });
  return pcap({ linktype: 1, snaplen: 262_144 }, packets);
}

/** A minimal TLS ClientHello record carrying `sni` as its server name. */
export function tlsClientHello(sni: Uint8Array): Uint8Array {
  const name = cat([0], u16be(sni.length), sni); // host_name type 0
  const list = cat(u16be(name.length), name);
  const ext = cat(u16be(0), u16be(list.length), list);
  const body = cat([3, 3], new Uint8Array(32), [0], u16be(2), [0x13, 0x01], [1, 0], u16be(ext.length), ext);
  const hs = cat([1], [0, (body.length >> 8) & 0xff, body.length & 0xff], body);
  return cat([22, 3, 1], u16be(hs.length), hs);
}

/** Text a terminal would obey: clear screen, title change, OSC 8 link, bell, CR tricks, DEL, and markup. */
export const HOSTILE_TEXT =
  '\x1b[2J\x1b[31mRED\x1b]0;owned\x07\x1b]8;;http://evil.example/\x1b\\link\x1b]8;;\x1b\\\r\x08\x7f<script>alert(1)</script>';

/**
 * Three connections whose captured strings are hostile: an HTTP request with a hostile Host header
 * (answered by a RST carrying hostile text), and a TLS ClientHello with a hostile SNI (answered by a RST).
 */
export function hostileStrings(): Uint8Array {
  // A CR would end the header line early, so the Host value carries everything but CR.
  const http = ascii(`GET /${'\x1b[1m'}x HTTP/1.1\r\nHost: ${HOSTILE_TEXT.replace('\r', '')}\r\nUser-Agent: \x1b[5m<script>\r\n\r\n`);
  const hello = tlsClientHello(ascii(`evil${HOSTILE_TEXT}.example`));
  const rstText = ascii(`connection refused by policy ${HOSTILE_TEXT} ${HOSTILE_TEXT}`);
  const one = (payload: Uint8Array, rst: Uint8Array): Seg[] => [
    { fromClient: true, flags: 'S', seq: 100 },
    { fromClient: false, flags: 'SA', seq: 500, ack: 101 },
    { fromClient: true, flags: 'A', seq: 101, ack: 501 },
    { fromClient: true, flags: 'PA', seq: 101, ack: 501, payload },
    { fromClient: false, flags: 'RA', seq: 501, ack: 101 + payload.length, payload: rst },
  ];
  const a = conversation(one(http, rstText), [50001, 80], 1_700_000_000);
  const b = conversation(one(hello, rstText), [50002, 443], 1_700_000_001);
  const c = conversation(one(rstText, ascii(HOSTILE_TEXT)), [50003, 8080], 1_700_000_002);
  // Join the three pcaps: keep the first header, then every record.
  return cat(a, b.subarray(24), c.subarray(24));
}
