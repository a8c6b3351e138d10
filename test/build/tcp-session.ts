// Test helper: writes whole TCP conversations (handshake, data, FIN, RST) into a classic pcap, fast enough
// for captures of 100,000 connections. Ethernet + IPv4 + TCP, IPv4 checksum filled, TCP checksum left 0.

const PCAP_HEADER = 24;
const REC_HEADER = 16;
const HDR = 14 + 20 + 20;
const FLAG_BITS: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10, U: 0x20, E: 0x40, C: 0x80 };

/** A growable microsecond pcap (LINKTYPE_ETHERNET); `snaplen` truncates records like tcpdump -s. */
export class PcapWriter {
  private buf: Buffer;
  private n = PCAP_HEADER;
  frames = 0;

  constructor(capacity = 1 << 20, private readonly snaplen = 262144) {
    this.buf = Buffer.alloc(Math.max(capacity, 64));
    this.buf.writeUInt32LE(0xa1b2c3d4, 0);
    this.buf.writeUInt16LE(2, 4);
    this.buf.writeUInt16LE(4, 6);
    this.buf.writeUInt32LE(snaplen, 16);
    this.buf.writeUInt32LE(1, 20);
  }

  /** Appends one TCP/IPv4 packet; returns its frame number. */
  tcp(p: { time: number; src: string; dst: string; sport: number; dport: number; flags: string; seq: number; ack: number; ttl?: number; ipId?: number; window?: number; payload?: Uint8Array | number }): number {
    const payload = typeof p.payload === 'number' ? new Uint8Array(p.payload).fill(0x61) : p.payload ?? new Uint8Array(0);
    const len = HDR + payload.length;
    const cap = Math.min(len, this.snaplen);
    this.room(REC_HEADER + len);
    const b = this.buf;
    let o = this.n;
    const sec = Math.floor(p.time);
    b.writeUInt32LE(sec, o);
    b.writeUInt32LE(Math.min(999999, Math.round((p.time - sec) * 1e6)), o + 4);
    b.writeUInt32LE(cap, o + 8);
    b.writeUInt32LE(len, o + 12);
    o += REC_HEADER;
    b.fill(0, o, o + HDR);
    b.set([0, 0, 0x5e, 0, 0x53, 1, 0, 0, 0x5e, 0, 0x53, 2, 8, 0], o);
    const ip = o + 14;
    b[ip] = 0x45;
    b.writeUInt16BE(20 + 20 + payload.length, ip + 2);
    b.writeUInt16BE((p.ipId ?? this.frames) & 0xffff, ip + 4);
    b[ip + 6] = 0x40; // DF
    b[ip + 8] = p.ttl ?? 64;
    b[ip + 9] = 6;
    b.set(p.src.split('.').map(Number), ip + 12);
    b.set(p.dst.split('.').map(Number), ip + 16);
    b.writeUInt16BE(ipChecksum(b, ip), ip + 10);
    const t = ip + 20;
    b.writeUInt16BE(p.sport, t);
    b.writeUInt16BE(p.dport, t + 2);
    b.writeUInt32BE(p.seq >>> 0, t + 4);
    b.writeUInt32BE(p.ack >>> 0, t + 8);
    b[t + 12] = 0x50;
    b[t + 13] = [...p.flags].reduce((f, c) => f | (FLAG_BITS[c] ?? 0), 0);
    b.writeUInt16BE(p.window ?? 64240, t + 14);
    b.set(payload.subarray(0, cap - HDR), t + 20);
    this.n = o + cap;
    return ++this.frames;
  }

  done(): Uint8Array {
    return this.buf.subarray(0, this.n);
  }

  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.n + k));
    this.buf.copy(next, 0, 0, this.n);
    this.buf = next;
  }
}

function ipChecksum(b: Buffer, off: number): number {
  let sum = 0;
  for (let i = 0; i < 20; i += 2) if (i !== 10) sum += b.readUInt16BE(off + i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** One connection's conversation; tracks sequence numbers and the clock (seconds). */
export class TcpSession {
  private cseq: number;
  private sseq: number;
  constructor(
    private readonly w: PcapWriter, public time: number,
    private readonly c: { ip: string; port: number }, private readonly s: { ip: string; port: number },
    isn: { client: number; server: number } = { client: 1000, server: 5000 },
    private readonly ttl: { client: number; server: number } = { client: 64, server: 63 },
  ) {
    this.cseq = isn.client;
    this.sseq = isn.server;
  }

  /** Sends one segment after `dt` seconds; SYN/FIN and payload advance the sender's sequence number. */
  send(fromClient: boolean, flags: string, dt = 0.0001, payload: Uint8Array | number = 0, opts: { ttl?: number; noAck?: boolean } = {}): number {
    this.time += dt;
    const len = typeof payload === 'number' ? payload : payload.length;
    const seq = fromClient ? this.cseq : this.sseq;
    const ack = flags.includes('A') && !opts.noAck ? (fromClient ? this.sseq : this.cseq) : 0;
    const frame = this.w.tcp({
      time: this.time, src: fromClient ? this.c.ip : this.s.ip, dst: fromClient ? this.s.ip : this.c.ip,
      sport: fromClient ? this.c.port : this.s.port, dport: fromClient ? this.s.port : this.c.port,
      flags, seq, ack, ttl: opts.ttl ?? (fromClient ? this.ttl.client : this.ttl.server), payload,
    });
    const adv = (flags.includes('R') ? 0 : len) + (flags.includes('S') ? 1 : 0) + (flags.includes('F') ? 1 : 0);
    if (fromClient) this.cseq = (this.cseq + adv) >>> 0;
    else this.sseq = (this.sseq + adv) >>> 0;
    return frame;
  }

  handshake(dt = 0.0001): void {
    this.send(true, 'S', dt);
    this.send(false, 'SA', dt);
    this.send(true, 'A', dt);
  }

  /** `n` request/response exchanges of `size` bytes each way. */
  exchange(n: number, size: number, dt = 0.0001): void {
    for (let i = 0; i < n; i++) {
      this.send(true, 'PA', dt, size);
      this.send(false, 'PA', dt, size);
    }
  }

  close(dt = 0.0001): void {
    this.send(true, 'FA', dt);
    this.send(false, 'FA', dt);
    this.send(true, 'A', dt);
  }
}
