#!/usr/bin/env node
// Reproducible synthetic capture for the benchmark: classic pcap, Ethernet, IPv4 + IPv6, 128-byte
// snaplen, tens of thousands of interleaved connections and every kind of RST rstscope explains.
//
//   node bench/gen.js --packets 5000000 --out bench/out/bench-5m.pcap [--seed 1] [--pool 40000]
//
// Same seed + same packet count = byte-identical file. Writes about 1.5 million packets/s: every
// packet is a template (Ethernet, IP, TCP with Linux-like options) filled in place in one big buffer.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10;
const SNAPLEN = 128;
const MSS = 1448;
const C2S = 0, S2C = 1;
// Step kinds: an ordinary segment at the sender's next sequence number, a retransmission of the
// sender's last data segment, a keepalive probe (seq - 1, no data), a RST/ACK with seq 0 (refusal).
const K_SEG = 0, K_RTX = 1, K_KEEPALIVE = 2, K_REFUSE = 3;

/** A step packs direction, flags, kind and payload length into one small integer. */
function step(dir, flags, len = 0, kind = K_SEG) {
  return dir | (flags << 1) | (kind << 10) | (len << 14);
}

/** mulberry32: tiny, fast, good enough for traffic shapes; fully determined by the seed. */
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERVER_PORTS = [443, 443, 443, 443, 80, 80, 22, 3306, 5432, 8080, 6379, 25];

/** Shares of each connection kind started during the capture (sum 1). */
const MIX = [
  ['web', 0.33], // handshake, request/response rounds, FIN/FIN
  ['bulk', 0.10], // longer transfers, occasional retransmissions, FIN close
  ['refused', 0.08], // SYN -> RST/ACK (closed port)
  ['unanswered', 0.03], // SYN, SYN retransmissions, nothing back
  ['abort', 0.12], // RST/ACK at the next sequence number in the data phase (either side)
  ['bare-rst', 0.05], // handshake then a RST without ACK
  ['scan', 0.08], // SYN, SYN/ACK, R (half-open scan) or SYN, RA
  ['fin-rst', 0.07], // one side closes with FIN, the other answers with a RST (unread data)
  ['timeout', 0.04], // data retransmitted unanswered, then the sender aborts
  ['keepalive', 0.10], // idle connection with keepalive probes
];

export function generate({ packets, out, seed = 1, pool: poolSize = 40_000, ipv6Share = 0.2 }) {
  const rnd = prng(seed);
  const int = (n) => (rnd() * n) | 0;
  const BUF_SIZE = 8 << 20;
  const buf = Buffer.alloc(BUF_SIZE);
  mkdirSync(dirname(out), { recursive: true });
  const fd = openSync(out, 'w');
  let pos = 0;
  let bytes = 0;
  const flush = () => {
    if (pos > 0) writeSync(fd, buf, 0, pos);
    bytes += pos;
    pos = 0;
  };

  // pcap file header: little-endian, microseconds, snaplen 128, Ethernet.
  buf.writeUInt32LE(0xa1b2c3d4, 0);
  buf.writeUInt16LE(2, 4);
  buf.writeUInt16LE(4, 6);
  buf.writeUInt32LE(0, 8);
  buf.writeUInt32LE(0, 12);
  buf.writeUInt32LE(SNAPLEN, 16);
  buf.writeUInt32LE(1, 20);
  pos = 24;

  // Captured payload templates (the snaplen keeps at most ~60 bytes of any of them).
  const httpReq = Buffer.from('GET /api/v1/items?page=2 HTTP/1.1\r\nHost: shop.example.com\r\nUser-Agent: curl/8.4.0\r\nAccept: */*\r\n\r\n');
  const httpResp = Buffer.from('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 18230\r\nServer: nginx\r\n\r\n');
  const tlsHello = Buffer.alloc(128, 0x5a);
  tlsHello.set([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]);
  const filler = Buffer.alloc(128);
  for (let i = 0; i < filler.length; i++) filler[i] = (i * 37 + 11) & 0xff;

  // Timestamps: a busy link (about 50 k packets/s), microsecond clock.
  let sec = 1_700_000_000;
  let usec = 0;

  let convIds = 0;
  let scanIds = 0;
  const counts = { connections: 0, midstream: 0, ipv6: 0, rstPackets: 0, kinds: {} };

  function newConv(midstream) {
    const id = convIds++;
    const v6 = rnd() < ipv6Share;
    const kind = midstream ? 'midstream' : pickKind();
    counts.connections++;
    if (midstream) counts.midstream++;
    if (v6) counts.ipv6++;
    counts.kinds[kind] = (counts.kinds[kind] ?? 0) + 1;
    const c = {
      v6,
      // client address and port: unique per conversation (no accidental tuple reuse)
      cAddr: 0x0a000000 + 1 + (id >>> 4),
      cPort: 20000 + (((id & 15) * 2749 + (id >>> 4) * 17) % 40000),
      sAddr: 0xac100000 + 1 + int(600),
      sPort: SERVER_PORTS[int(SERVER_PORTS.length)],
      seq: [rnd() * 4294967296 >>> 0, rnd() * 4294967296 >>> 0],
      lastSeq: [0, 0],
      lastLen: [0, 0],
      ipId: [int(65536), int(65536)],
      ttl: [64 - 1 - int(4), 64 - 6 - int(10)],
      ts: [int(1 << 30), int(1 << 30)],
      started: [midstream, midstream],
      steps: null,
      i: 0,
    };
    if (kind === 'scan') {
      const n = scanIds++;
      c.cAddr = 0xcb007100 + 7 + ((n >>> 16) & 0x7f); // 203.0.113.x scanners
      c.cPort = 40000 + ((n >>> 16) & 0xff);
      c.sAddr = 0xac100000 + 1 + ((n >>> 10) % 600);
      c.sPort = 1 + (n & 0xffff) % 65535;
    }
    c.steps = script(kind, c);
    return c;
  }

  function pickKind() {
    let r = rnd();
    for (const [k, w] of MIX) {
      if (r < w) return k;
      r -= w;
    }
    return 'web';
  }

  function handshake(s) {
    s.push(step(C2S, SYN), step(S2C, SYN | ACK), step(C2S, ACK));
  }

  /** One request/response round: request, server data segments (ACKed every two), client ACK. */
  function round(s, rtxShare) {
    s.push(step(C2S, PSH | ACK, 80 + int(500)));
    const segs = 1 + int(6);
    for (let k = 0; k < segs; k++) {
      const last = k === segs - 1;
      s.push(step(S2C, last ? PSH | ACK : ACK, last ? 1 + int(MSS) : MSS));
      if (rnd() < rtxShare) s.push(step(S2C, ACK, 0, K_RTX));
      if (k & 1 || last) s.push(step(C2S, ACK));
    }
  }

  function finClose(s, first) {
    const other = 1 - first;
    s.push(step(first, FIN | ACK), step(other, FIN | ACK), step(first, ACK));
  }

  function script(kind, c) {
    const s = [];
    switch (kind) {
      case 'midstream': {
        // Open before the capture started: no handshake, a few rounds, then FIN, RST or nothing.
        const rounds = int(4);
        if (rnd() < 0.5) s.push(step(S2C, ACK, MSS), step(C2S, ACK));
        for (let r = 0; r < rounds; r++) round(s, 0.02);
        const end = rnd();
        if (end < 0.5) finClose(s, rnd() < 0.5 ? C2S : S2C);
        else if (end < 0.75) s.push(step(rnd() < 0.5 ? C2S : S2C, RST | ACK));
        else if (end < 0.85) s.push(step(rnd() < 0.5 ? C2S : S2C, RST));
        break;
      }
      case 'web': {
        handshake(s);
        const rounds = 1 + int(4);
        for (let r = 0; r < rounds; r++) round(s, 0.01);
        finClose(s, rnd() < 0.6 ? C2S : S2C);
        break;
      }
      case 'bulk': {
        handshake(s);
        s.push(step(C2S, PSH | ACK, 200 + int(300)));
        const segs = 20 + int(60);
        for (let k = 0; k < segs; k++) {
          s.push(step(S2C, ACK, MSS));
          if (rnd() < 0.03) s.push(step(S2C, ACK, 0, K_RTX));
          if (k & 1) s.push(step(C2S, ACK));
        }
        finClose(s, S2C);
        break;
      }
      case 'refused':
        s.push(step(C2S, SYN));
        if (rnd() < 0.2) s.push(step(C2S, SYN, 0, K_RTX));
        s.push(step(S2C, RST | ACK, 0, K_REFUSE));
        break;
      case 'unanswered':
        s.push(step(C2S, SYN), step(C2S, SYN, 0, K_RTX), step(C2S, SYN, 0, K_RTX));
        break;
      case 'abort': {
        handshake(s);
        const rounds = 1 + int(3);
        for (let r = 0; r < rounds; r++) round(s, 0.01);
        if (rnd() < 0.5) s.push(step(C2S, PSH | ACK, 100 + int(200)));
        s.push(step(rnd() < 0.6 ? C2S : S2C, RST | ACK));
        break;
      }
      case 'bare-rst':
        handshake(s);
        if (rnd() < 0.5) s.push(step(C2S, PSH | ACK, 100 + int(300)));
        s.push(step(S2C, RST));
        break;
      case 'scan':
        s.push(step(C2S, SYN));
        if (rnd() < 0.4) s.push(step(S2C, SYN | ACK), step(C2S, RST));
        else s.push(step(S2C, RST | ACK, 0, K_REFUSE));
        break;
      case 'fin-rst':
        handshake(s);
        round(s, 0.01);
        s.push(step(S2C, FIN | ACK));
        if (rnd() < 0.5) s.push(step(C2S, ACK), step(C2S, PSH | ACK, 50 + int(200)));
        s.push(step(C2S, RST | ACK));
        if (rnd() < 0.3) s.push(step(S2C, RST));
        break;
      case 'timeout': {
        handshake(s);
        round(s, 0);
        s.push(step(C2S, PSH | ACK, 300 + int(800)));
        const tries = 2 + int(5);
        for (let k = 0; k < tries; k++) s.push(step(C2S, PSH | ACK, 0, K_RTX));
        s.push(step(C2S, RST | ACK));
        break;
      }
      case 'keepalive': {
        handshake(s);
        round(s, 0.01);
        const probes = 1 + int(4);
        for (let k = 0; k < probes; k++) s.push(step(C2S, ACK, 0, K_KEEPALIVE), step(S2C, ACK));
        if (rnd() < 0.5) finClose(s, C2S);
        else s.push(step(S2C, RST | ACK));
        break;
      }
    }
    return s;
  }

  /** Writes the next packet of `c`'s script. */
  function emit(c) {
    const st = c.steps[c.i++];
    const dir = st & 1;
    const flags = (st >>> 1) & 0x1ff;
    const kind = (st >>> 10) & 0xf;
    let len = st >>> 14;
    const peer = 1 - dir;
    let seq = c.seq[dir];
    let ack = flags & ACK ? c.seq[peer] : 0;
    if (kind === K_RTX) {
      if (flags & SYN) seq = (seq - 1) >>> 0; // the SYN already advanced the sequence
      else {
        seq = c.lastSeq[dir];
        len = c.lastLen[dir];
      }
    } else if (kind === K_KEEPALIVE) {
      seq = (seq - 1) >>> 0;
    } else if (kind === K_REFUSE) {
      seq = 0;
      ack = c.seq[peer];
    } else {
      if (len > 0) {
        c.lastSeq[dir] = seq;
        c.lastLen[dir] = len;
      }
      if (!(flags & RST)) c.seq[dir] = (seq + len + (flags & SYN ? 1 : 0) + (flags & FIN ? 1 : 0)) >>> 0;
    }
    if (flags & RST) {
      counts.rstPackets++;
      len = 0;
    }

    const v6 = c.v6;
    const optLen = flags & SYN ? 20 : flags & RST ? 0 : 12;
    const tcpLen = 20 + optLen;
    const ipLen = v6 ? 40 : 20;
    const wire = 14 + ipLen + tcpLen + len;
    const cap = wire < SNAPLEN ? wire : SNAPLEN;
    if (pos + 16 + cap > BUF_SIZE) flush();

    // time moves on by 0..40 µs per packet
    usec += int(41);
    if (usec >= 1_000_000) {
      usec -= 1_000_000;
      sec++;
    }
    let p = pos;
    buf.writeUInt32LE(sec, p);
    buf.writeUInt32LE(usec, p + 4);
    buf.writeUInt32LE(cap, p + 8);
    buf.writeUInt32LE(wire, p + 12);
    p += 16;
    const start = p;
    // Ethernet: 02:00:00:00:00:01 (client side router) <-> 02:00:00:00:00:02
    buf.writeUInt32BE(0x02000000, p);
    buf.writeUInt16BE(dir === C2S ? 0x0002 : 0x0001, p + 4);
    buf.writeUInt32BE(0x02000000, p + 6);
    buf.writeUInt16BE(dir === C2S ? 0x0001 : 0x0002, p + 10);
    buf.writeUInt16BE(v6 ? 0x86dd : 0x0800, p + 12);
    p += 14;
    const src = dir === C2S ? c.cAddr : c.sAddr;
    const dst = dir === C2S ? c.sAddr : c.cAddr;
    const ipId = (c.ipId[dir] = (c.ipId[dir] + 1) & 0xffff);
    if (!v6) {
      buf.writeUInt32BE(0x45000000 | (ipLen + tcpLen + len), p);
      buf.writeUInt32BE(((ipId << 16) | 0x4000) >>> 0, p + 4);
      buf.writeUInt32BE((c.ttl[dir] << 24) | (6 << 16), p + 8);
      buf.writeUInt32BE(src >>> 0, p + 12);
      buf.writeUInt32BE(dst >>> 0, p + 16);
      let sum = 0;
      for (let k = 0; k < 20; k += 2) sum += buf.readUInt16BE(p + k);
      while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
      buf.writeUInt16BE(~sum & 0xffff, p + 10);
    } else {
      buf.writeUInt32BE(0x60000000, p);
      buf.writeUInt32BE(((tcpLen + len) << 16) | (6 << 8) | c.ttl[dir], p + 4);
      // 2001:db8:<site>::<addr> for both ends, from the same numbering as IPv4
      buf.writeUInt32BE(0x20010db8, p + 8);
      buf.writeUInt32BE(src >>> 16, p + 12);
      buf.writeUInt32BE(0, p + 16);
      buf.writeUInt32BE(src & 0xffff, p + 20);
      buf.writeUInt32BE(0x20010db8, p + 24);
      buf.writeUInt32BE(dst >>> 16, p + 28);
      buf.writeUInt32BE(0, p + 32);
      buf.writeUInt32BE(dst & 0xffff, p + 36);
    }
    p += ipLen;
    buf.writeUInt16BE(dir === C2S ? c.cPort : c.sPort, p);
    buf.writeUInt16BE(dir === C2S ? c.sPort : c.cPort, p + 2);
    buf.writeUInt32BE(seq, p + 4);
    buf.writeUInt32BE(ack, p + 8);
    buf.writeUInt16BE(((tcpLen >>> 2) << 12) | flags, p + 12);
    const win = flags & RST ? 0 : flags & SYN ? (dir === C2S ? 64240 : 65160) : dir === C2S ? 502 : 509;
    buf.writeUInt32BE((win << 16) >>> 0, p + 14); // window, checksum 0 (offloaded)
    buf.writeUInt16BE(0, p + 18);
    const ts = (c.ts[dir] = (c.ts[dir] + 1 + int(3)) >>> 0);
    if (optLen === 20) {
      // MSS, SACK_PERM, TS, NOP, WS (Linux)
      buf.writeUInt32BE(0x020405b4, p + 20);
      buf.writeUInt16BE(0x0402, p + 24);
      buf.writeUInt16BE(0x080a, p + 26);
      buf.writeUInt32BE(ts, p + 28);
      buf.writeUInt32BE(flags & ACK ? c.ts[peer] : 0, p + 32);
      buf.writeUInt32BE(0x01030307, p + 36);
    } else if (optLen === 12) {
      buf.writeUInt32BE(0x0101080a, p + 20);
      buf.writeUInt32BE(ts, p + 24);
      buf.writeUInt32BE(c.ts[peer], p + 28);
    }
    p += tcpLen;
    const room = cap - (p - start);
    if (room > 0) {
      let tpl = filler;
      if (!c.started[dir]) {
        c.started[dir] = true;
        if (c.sPort === 443) tpl = dir === C2S ? tlsHello : filler;
        else if (c.sPort === 80 || c.sPort === 8080) tpl = dir === C2S ? httpReq : httpResp;
      }
      tpl.copy(buf, p, 0, room);
      p += room;
    }
    pos = p;
  }

  const pool = [];
  for (let k = 0; k < poolSize; k++) pool.push(newConv(true));
  let k = 0;
  for (let n = 0; n < packets; n++) {
    // Half the time the same connection goes on (bursts), else a random one of the pool.
    if (rnd() >= 0.5) k = int(poolSize);
    let c = pool[k];
    if (c.i >= c.steps.length) c = pool[k] = newConv(false);
    emit(c);
  }
  flush();
  closeSync(fd);
  return { packets, bytes, ...counts, tuples: convIds };
}

function main(argv) {
  const opts = { packets: 5_000_000, out: 'bench/out/bench-5m.pcap', seed: 1, pool: 40_000 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]?.replace(/^--/, '');
    const val = argv[i + 1];
    if (key === 'out') opts.out = val;
    else if (key === 'packets' || key === 'seed' || key === 'pool') opts[key] = Number(val);
    else throw new Error(`unknown option ${argv[i]}`);
  }
  const t0 = process.hrtime.bigint();
  const r = generate(opts);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(JSON.stringify({ ...r, seconds: +s.toFixed(2) }) + '\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2));
