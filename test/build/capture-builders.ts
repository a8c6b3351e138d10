// Builders for small synthetic pcap / pcapng captures used by the capture reader tests.
import { cat } from './packet-builders.js';

export interface PcapPacket {
  sec: number;
  /** Microseconds, or nanoseconds when the file is `nanos`. */
  frac: number;
  data: Uint8Array;
  /** Defaults to data.length (before snaplen truncation). */
  origLen?: number;
}

export interface PcapOptions {
  nanos?: boolean;
  bigEndian?: boolean;
  linktype?: number;
  snaplen?: number;
}

/** A classic pcap file; packets longer than snaplen are truncated like libpcap does. */
export function pcap(opts: PcapOptions, packets: PcapPacket[]): Uint8Array {
  const w = new Writer(!opts.bigEndian);
  const snaplen = opts.snaplen ?? 65535;
  w.u32(opts.nanos ? 0xa1b23c4d : 0xa1b2c3d4);
  w.u16(2).u16(4).u32(0).u32(0).u32(snaplen).u32(opts.linktype ?? 1);
  for (const p of packets) {
    const data = p.data.subarray(0, Math.min(p.data.length, snaplen));
    w.u32(p.sec).u32(p.frac).u32(data.length).u32(p.origLen ?? p.data.length).bytes(data);
  }
  return w.done();
}

export interface IfaceSpec {
  linktype: number;
  snaplen?: number;
  /** Raw if_tsresol byte (high bit = power of 2). */
  tsresol?: number;
  /** if_tsoffset in seconds. */
  tsoffset?: bigint;
}

export type BlockSpec =
  | { kind: 'epb'; iface: number; ticks: bigint; data: Uint8Array; origLen?: number }
  | { kind: 'pb'; iface: number; ticks: bigint; data: Uint8Array; origLen?: number; drops?: number }
  | { kind: 'spb'; data: Uint8Array; origLen?: number }
  | { kind: 'idb'; iface: IfaceSpec }
  | { kind: 'raw'; type: number; body: Uint8Array };

export interface SectionSpec {
  bigEndian?: boolean;
  interfaces?: IfaceSpec[];
  blocks: BlockSpec[];
}

/** A pcapng file: per section an SHB, its IDBs, then its blocks. */
export function pcapng(spec: { sections: SectionSpec[] }): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const s of spec.sections) {
    const le = !s.bigEndian;
    parts.push(block(le, 0x0a0d0d0a, (w) => w.u32(0x1a2b3c4d).u16(1).u16(0).u32(0xffffffff).u32(0xffffffff)));
    for (const i of s.interfaces ?? []) parts.push(idb(le, i));
    for (const b of s.blocks) parts.push(blockOf(le, b));
  }
  return cat(...parts);
}

/** Deterministic packet bytes of a given length (byte i = seed + i). */
export function bytesOf(len: number, seed = 0): Uint8Array {
  const b = new Uint8Array(len);
  for (let i = 0; i < len; i++) b[i] = (seed + i) & 0xff;
  return b;
}


function blockOf(le: boolean, b: BlockSpec): Uint8Array {
  switch (b.kind) {
    case 'idb':
      return idb(le, b.iface);
    case 'epb':
      return block(le, 6, (w) =>
        w.u32(b.iface).u64(b.ticks).u32(b.data.length).u32(b.origLen ?? b.data.length).bytes(b.data).pad(),
      );
    case 'pb':
      return block(le, 2, (w) =>
        w
          .u16(b.iface)
          .u16(b.drops ?? 0)
          .u64(b.ticks)
          .u32(b.data.length)
          .u32(b.origLen ?? b.data.length)
          .bytes(b.data)
          .pad(),
      );
    case 'spb':
      return block(le, 3, (w) => w.u32(b.origLen ?? b.data.length).bytes(b.data).pad());
    case 'raw':
      return block(le, b.type, (w) => w.bytes(b.body).pad());
  }
}

function idb(le: boolean, i: IfaceSpec): Uint8Array {
  return block(le, 1, (w) => {
    w.u16(i.linktype).u16(0).u32(i.snaplen ?? 0);
    if (i.tsresol !== undefined) w.u16(9).u16(1).u8(i.tsresol).pad();
    if (i.tsoffset !== undefined) w.u16(14).u16(8).i64(i.tsoffset);
    if (i.tsresol !== undefined || i.tsoffset !== undefined) w.u16(0).u16(0);
  });
}

function block(le: boolean, type: number, body: (w: Writer) => void): Uint8Array {
  const inner = new Writer(le);
  body(inner);
  const b = inner.done();
  const len = 12 + b.length;
  return new Writer(le).u32(type).u32(len).bytes(b).u32(len).done();
}

/** Little growable writer with a fixed byte order. */
export class Writer {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  private n = 0;
  constructor(private readonly le: boolean) {}
  private room(k: number): void {
    if (this.n + k <= this.buf.length) return;
    const b = new Uint8Array(Math.max(this.buf.length * 2, this.n + k));
    b.set(this.buf);
    this.buf = b;
    this.view = new DataView(b.buffer);
  }
  u8(v: number): this {
    this.room(1);
    this.view.setUint8(this.n, v);
    this.n += 1;
    return this;
  }
  u16(v: number): this {
    this.room(2);
    this.view.setUint16(this.n, v, this.le);
    this.n += 2;
    return this;
  }
  u32(v: number): this {
    this.room(4);
    this.view.setUint32(this.n, v >>> 0, this.le);
    this.n += 4;
    return this;
  }
  /** pcapng 64-bit timestamps: high 32 bits first, each half in the section's byte order. */
  u64(v: bigint): this {
    return this.u32(Number((v >> 32n) & 0xffffffffn)).u32(Number(v & 0xffffffffn));
  }
  i64(v: bigint): this {
    this.room(8);
    this.view.setBigInt64(this.n, v, this.le);
    this.n += 8;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.n);
    this.n += b.length;
    return this;
  }
  pad(): this {
    while (this.n % 4 !== 0) this.u8(0);
    return this;
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.n);
  }
}
