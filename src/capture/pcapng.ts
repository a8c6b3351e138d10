// pcapng reader: sections, byte-order changes, per-interface link types and timestamp units.
import type { CaptureRecord } from './types.js';
import { BaseReader } from './base.js';
import { PCAPNG_SHB_TYPE } from './sniff.js';
import { type TickClock, makeClock, ticksToTime } from './ticks.js';

/** Reads a pcapng stream (see BaseReader for the record lifetime rule). */
export class PcapngReader extends BaseReader {
  readonly format = 'pcapng' as const;
  private le = true;
  private sawSection = false;
  /** Interfaces of the current section, indexed by interface id. */
  private ifaces: Iface[] = [];
  /** Sections seen so far. */
  private sections = 0;

  /** Number of Section Header Blocks read so far. */
  get sectionCount(): number {
    return this.sections;
  }

  next(): CaptureRecord | undefined {
    const q = this.q;
    for (;;) {
      if (this.stopped) return undefined;
      if (q.available < BLOCK_HEADER_LEN) return this.starve();
      const p = q.pos;
      const v = q.view;
      const type = v.getUint32(p, this.le);
      let le = this.le;
      if (type === PCAPNG_SHB_TYPE) {
        // A new section may switch byte order: its magic decides how to read its length.
        if (q.available < SHB_BOM_OFF + 4) return this.starve();
        const bom = v.getUint32(p + SHB_BOM_OFF, false);
        if (bom === BYTE_ORDER_MAGIC) le = false;
        else if (bom === BYTE_ORDER_MAGIC_SWAPPED) le = true;
        else return this.fail(q.offset, `section header has bad byte-order magic 0x${hex(bom)}`);
      } else if (!this.sawSection) {
        return this.fail(q.offset, `first block has type 0x${hex(type)}, not a section header`);
      }
      const len = v.getUint32(p + BLOCK_LEN_OFF, le);
      const bad = badLength(len);
      if (bad !== undefined) return this.fail(q.offset, `block type 0x${hex(type)} ${bad}`);
      if (q.available < len) return this.starve();
      const trail = v.getUint32(p + len - 4, le);
      if (trail !== len) {
        return this.fail(q.offset, `block type 0x${hex(type)} length ${len} != trailing length ${trail}`);
      }
      const rec = this.readBlock(type, p, len, le);
      if (this.stopped) return undefined;
      q.pos = p + len;
      if (rec !== undefined) return rec;
    }
  }

  protected hasHeader(): boolean {
    return this.sawSection;
  }

  protected hasCompleteItem(): boolean {
    const q = this.q;
    if (q.available < BLOCK_HEADER_LEN) return false;
    const p = q.pos;
    let le = this.le;
    if (q.view.getUint32(p, le) === PCAPNG_SHB_TYPE) {
      if (q.available < SHB_BOM_OFF + 4) return false;
      const bom = q.view.getUint32(p + SHB_BOM_OFF, false);
      if (bom !== BYTE_ORDER_MAGIC && bom !== BYTE_ORDER_MAGIC_SWAPPED) return true; // next() fails it
      le = bom === BYTE_ORDER_MAGIC_SWAPPED;
    }
    const len = q.view.getUint32(p + BLOCK_LEN_OFF, le);
    return badLength(len) !== undefined || q.available >= len;
  }

  protected describeTail(): { what: string; want: number } {
    const q = this.q;
    const shbLen = this.sectionHeaderLength();
    if (!this.sawSection) return { what: 'the pcapng section header', want: shbLen ?? SHB_MIN_LEN };
    let want = MIN_BLOCK_LEN;
    let what = `frame ${this.frames + 1}`;
    if (q.available >= BLOCK_HEADER_LEN) {
      const type = q.view.getUint32(q.pos, this.le);
      if (type !== EPB_TYPE && type !== SPB_TYPE && type !== PB_TYPE) what = `a block of type 0x${hex(type)}`;
      // A new section's header states its own byte order: read its length with it.
      if (type !== PCAPNG_SHB_TYPE) want = q.view.getUint32(q.pos + BLOCK_LEN_OFF, this.le);
      else if (shbLen !== undefined) want = shbLen;
    }
    return { what, want };
  }

  /** Length of a section header block at the read position, once its byte-order magic is in the buffer. */
  private sectionHeaderLength(): number | undefined {
    const q = this.q;
    if (q.available < 12) return undefined;
    const bom = q.view.getUint32(q.pos + 8, false);
    if (bom !== 0x1a2b3c4d && bom !== 0x4d3c2b1a) return undefined;
    return q.view.getUint32(q.pos + BLOCK_LEN_OFF, bom === 0x4d3c2b1a);
  }

  /** Handles one complete block; returns the filled record for packet blocks. */
  private readBlock(type: number, p: number, len: number, le: boolean): CaptureRecord | undefined {
    switch (type) {
      case PCAPNG_SHB_TYPE:
        return this.readSection(p, len, le);
      case IDB_TYPE:
        return this.readInterface(p, len);
      case EPB_TYPE:
        return this.readPacket(p, len, EPB_FIXED_LEN, this.q.view.getUint32(p + EPB_IFACE_OFF, le));
      case PB_TYPE:
        return this.readPacket(p, len, PB_FIXED_LEN, this.q.view.getUint16(p + PB_IFACE_OFF, le));
      case SPB_TYPE:
        return this.readSimple(p, len);
      default:
        return undefined; // NRB, ISB, DSB, custom and unknown blocks carry no packets
    }
  }

  private readSection(p: number, len: number, le: boolean): undefined {
    if (len < SHB_MIN_LEN) return this.fail(this.q.offset, `section header length ${len} < ${SHB_MIN_LEN}`);
    const major = this.q.view.getUint16(p + SHB_MAJOR_OFF, le);
    if (major !== 1) return this.fail(this.q.offset, `unsupported pcapng version ${major}`);
    this.le = le;
    this.sawSection = true;
    this.sections++;
    this.ifaces = []; // each section restarts interface numbering
    return undefined;
  }

  private readInterface(p: number, len: number): undefined {
    if (len < IDB_MIN_LEN) return this.fail(this.q.offset, `interface block length ${len} < ${IDB_MIN_LEN}`);
    const v = this.q.view;
    const le = this.le;
    let tsresol = DEFAULT_TSRESOL;
    let tsoffset = 0;
    // Options: code(2) length(2) value padded to 4; malformed options are ignored like Wireshark.
    let o = p + IDB_OPTIONS_OFF;
    const stop = p + len - 4;
    while (o + 4 <= stop) {
      const code = v.getUint16(o, le);
      const olen = v.getUint16(o + 2, le);
      if (code === OPT_ENDOFOPT || o + 4 + olen > stop) break;
      if (code === OPT_IF_TSRESOL && olen >= 1) tsresol = v.getUint8(o + 4);
      if (code === OPT_IF_TSOFFSET && olen >= 8) tsoffset = Number(v.getBigInt64(o + 4, le));
      o += 4 + ((olen + 3) & ~3);
    }
    this.ifaces.push({
      linktype: v.getUint16(p + IDB_LINKTYPE_OFF, le),
      snaplen: v.getUint32(p + IDB_SNAPLEN_OFF, le),
      clock: makeClock(tsresol, tsoffset),
    });
    return undefined;
  }

  /** Enhanced (type 6) and obsolete (type 2) packet blocks share the layout after the interface id. */
  private readPacket(p: number, len: number, fixed: number, ifId: number): CaptureRecord | undefined {
    const q = this.q;
    if (len < fixed) return this.fail(q.offset, `packet block length ${len} < ${fixed}`);
    const iface = this.iface(ifId);
    if (iface === undefined) return undefined;
    const v = q.view;
    const le = this.le;
    const caplen = v.getUint32(p + PKT_CAPLEN_OFF, le);
    if (caplen > len - fixed) {
      return this.fail(q.offset, `frame ${this.frames + 1} claims ${caplen} captured bytes in a ${len}-byte block`);
    }
    const rec = this.rec;
    ticksToTime(iface.clock, v.getUint32(p + PKT_TS_HIGH_OFF, le), v.getUint32(p + PKT_TS_LOW_OFF, le), rec);
    rec.origLen = v.getUint32(p + PKT_ORIGLEN_OFF, le);
    return this.emit(iface, ifId, p + PKT_DATA_OFF, caplen);
  }

  /** Simple Packet Block: interface 0, no timestamp, caplen implied by snaplen and block size. */
  private readSimple(p: number, len: number): CaptureRecord | undefined {
    const q = this.q;
    if (len < SPB_FIXED_LEN) return this.fail(q.offset, `simple packet block length ${len} < ${SPB_FIXED_LEN}`);
    const iface = this.iface(0);
    if (iface === undefined) return undefined;
    const origLen = q.view.getUint32(p + SPB_ORIGLEN_OFF, this.le);
    let caplen = Math.min(origLen, len - SPB_FIXED_LEN);
    if (iface.snaplen !== 0 && caplen > iface.snaplen) caplen = iface.snaplen;
    const rec = this.rec;
    rec.tsSec = 0; // SPBs carry no timestamp; Wireshark shows none
    rec.tsNsec = 0;
    rec.origLen = origLen;
    return this.emit(iface, 0, p + SPB_DATA_OFF, caplen);
  }

  private iface(ifId: number): Iface | undefined {
    const iface = this.ifaces[ifId];
    if (iface === undefined) {
      const n = this.ifaces.length;
      this.fail(this.q.offset, `frame ${this.frames + 1} uses interface ${ifId} but the section describes ${n}`);
    }
    return iface;
  }

  private emit(iface: Iface, ifId: number, dataOff: number, caplen: number): CaptureRecord {
    const rec = this.rec;
    rec.frame = ++this.frames;
    rec.linktype = iface.linktype;
    rec.interfaceId = ifId;
    rec.buf = this.q.buf;
    rec.off = dataOff;
    rec.len = caplen;
    rec.precision = this.prec = iface.clock.precision;
    return rec;
  }
}

interface Iface {
  linktype: number;
  snaplen: number;
  clock: TickClock;
}

/** Why a block length is unusable, or undefined when it is fine. */
function badLength(len: number): string | undefined {
  if (len < MIN_BLOCK_LEN) return `length ${len} < ${MIN_BLOCK_LEN}`;
  if (len % 4 !== 0) return `length ${len} is not a multiple of 4`;
  if (len > MAX_BLOCK_LEN) return `length ${len} exceeds ${MAX_BLOCK_LEN}`;
  return undefined;
}

function hex(n: number): string {
  return n.toString(16).padStart(8, '0');
}

// ---- wire layout (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcapng) ----
const BLOCK_HEADER_LEN = 8;
const BLOCK_LEN_OFF = 4;
const MIN_BLOCK_LEN = 12;
const MAX_BLOCK_LEN = 16 * 1024 * 1024;

const SHB_BOM_OFF = 8;
const SHB_MAJOR_OFF = 12;
const SHB_MIN_LEN = 28;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const BYTE_ORDER_MAGIC_SWAPPED = 0x4d3c2b1a;

const IDB_TYPE = 1;
const IDB_LINKTYPE_OFF = 8;
const IDB_SNAPLEN_OFF = 12;
const IDB_OPTIONS_OFF = 16;
const IDB_MIN_LEN = 20;
const OPT_ENDOFOPT = 0;
const OPT_IF_TSRESOL = 9;
const OPT_IF_TSOFFSET = 14;
const DEFAULT_TSRESOL = 6; // microseconds when if_tsresol is absent

const PB_TYPE = 2; // obsolete Packet Block: interface id and drops count are 16-bit
const PB_IFACE_OFF = 8;
const PB_FIXED_LEN = 32;
const EPB_TYPE = 6;
const EPB_IFACE_OFF = 8;
const EPB_FIXED_LEN = 32;
// EPB and PB agree from here on.
const PKT_TS_HIGH_OFF = 12;
const PKT_TS_LOW_OFF = 16;
const PKT_CAPLEN_OFF = 20;
const PKT_ORIGLEN_OFF = 24;
const PKT_DATA_OFF = 28;

const SPB_TYPE = 3;
const SPB_ORIGLEN_OFF = 8;
const SPB_DATA_OFF = 12;
const SPB_FIXED_LEN = 16;
