// Classic libpcap reader: both byte orders, µs and ns magics, zero-copy records.
import type { CaptureRecord } from './types.js';
import { BaseReader } from './base.js';
import { pcapMagicInfo } from './sniff.js';

/** Reads a classic pcap stream (see BaseReader for the record lifetime rule). */
export class PcapReader extends BaseReader {
  readonly format = 'pcap' as const;
  private headerDone = false;
  private le = true;
  private nanos = false;
  private linktype = 0;
  private snaplen = 0;
  private maxCaplen = MIN_CAPLEN_LIMIT;

  /** Link type from the file header (low 16 bits of the network field), 0 until read. */
  get linkType(): number {
    return this.linktype;
  }

  /** Snapshot length from the file header, 0 until read. */
  get snapLength(): number {
    return this.snaplen;
  }

  next(): CaptureRecord | undefined {
    if (this.stopped) return undefined;
    const q = this.q;
    if (!this.headerDone && !this.readFileHeader()) return this.stopped ? undefined : this.starve();
    if (q.available < RECORD_HEADER_LEN) return this.starve();
    const p = q.pos;
    const v = q.view;
    const le = this.le;
    const caplen = v.getUint32(p + CAPLEN_OFF, le);
    if (caplen > this.maxCaplen) {
      return this.fail(
        q.offset,
        `frame ${this.frames + 1} claims ${caplen} captured bytes (limit ${this.maxCaplen})`,
      );
    }
    const total = RECORD_HEADER_LEN + caplen;
    if (q.available < total) return this.starve();

    let sec = v.getUint32(p + TS_SEC_OFF, le);
    let nsec = v.getUint32(p + TS_FRAC_OFF, le);
    if (!this.nanos) nsec *= 1000;
    if (nsec >= NS_PER_SEC) {
      // A damaged fraction field: carry whole seconds so tsNsec stays in range.
      const extra = Math.floor(nsec / NS_PER_SEC);
      sec += extra;
      nsec -= extra * NS_PER_SEC;
    }
    const rec = this.rec;
    rec.frame = ++this.frames;
    rec.linktype = this.linktype;
    rec.interfaceId = 0;
    rec.tsSec = sec;
    rec.tsNsec = nsec;
    rec.origLen = v.getUint32(p + ORIGLEN_OFF, le);
    rec.buf = q.buf;
    rec.off = p + RECORD_HEADER_LEN;
    rec.len = caplen;
    q.pos = p + total;
    return rec;
  }

  protected hasHeader(): boolean {
    return this.headerDone;
  }

  protected hasCompleteItem(): boolean {
    const q = this.q;
    if (!this.headerDone) return q.available >= FILE_HEADER_LEN;
    if (q.available < RECORD_HEADER_LEN) return false;
    const caplen = q.view.getUint32(q.pos + CAPLEN_OFF, this.le);
    // An oversized caplen is a damage error that next() must still report.
    return caplen > this.maxCaplen || q.available >= RECORD_HEADER_LEN + caplen;
  }

  protected describeTail(): { what: string; want: number } {
    const q = this.q;
    if (!this.headerDone) return { what: 'the pcap file header', want: FILE_HEADER_LEN };
    const want =
      q.available >= RECORD_HEADER_LEN
        ? RECORD_HEADER_LEN + q.view.getUint32(q.pos + CAPLEN_OFF, this.le)
        : RECORD_HEADER_LEN;
    return { what: `frame ${this.frames + 1}`, want };
  }

  /** Parses the 24-byte file header; false when more bytes are needed or it is invalid. */
  private readFileHeader(): boolean {
    const q = this.q;
    if (q.available < FILE_HEADER_LEN) return false;
    const p = q.pos;
    const info = pcapMagicInfo(q.view.getUint32(p, false));
    if (info === undefined) {
      const magic = q.view.getUint32(p, false).toString(16).padStart(8, '0');
      this.fail(q.offset, `not a pcap file header (magic 0x${magic})`);
      return false;
    }
    this.le = info.littleEndian;
    this.nanos = info.precision === 9;
    this.prec = info.precision;
    this.rec.precision = info.precision;
    this.snaplen = q.view.getUint32(p + SNAPLEN_OFF, this.le);
    // The high bits carry FCS length and flags; the link type is the low 16 bits.
    this.linktype = q.view.getUint32(p + LINKTYPE_OFF, this.le) & LINKTYPE_MASK;
    this.maxCaplen = Math.max(Math.min(this.snaplen, MAX_CAPLEN_CEILING), MIN_CAPLEN_LIMIT);
    q.pos = p + FILE_HEADER_LEN;
    this.headerDone = true;
    return true;
  }
}

// ---- wire layout (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap) ----
const FILE_HEADER_LEN = 24;
const SNAPLEN_OFF = 16;
const LINKTYPE_OFF = 20;
const RECORD_HEADER_LEN = 16;
const TS_SEC_OFF = 0;
const TS_FRAC_OFF = 4;
const CAPLEN_OFF = 8;
const ORIGLEN_OFF = 12;

const LINKTYPE_MASK = 0xffff;
const NS_PER_SEC = 1_000_000_000;
/** Wireshark's largest ordinary packet: caplen above max(snaplen, this) means damage. */
const MIN_CAPLEN_LIMIT = 262_144;
/** Caps a garbage snaplen so one damaged length cannot make us buffer the rest of the file. */
const MAX_CAPLEN_CEILING = 64 * 1024 * 1024;
