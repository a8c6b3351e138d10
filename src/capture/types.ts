// Contracts between the capture readers and the rest of the pipeline.

/** One captured packet. Readers reuse a single object: copy what you keep. */
export interface CaptureRecord {
  /** 1-based frame number, counting every packet record in the file as Wireshark does. */
  frame: number;
  /** Link-layer type (LINKTYPE_* value) of the interface the packet was captured on. */
  linktype: number;
  /** pcapng interface index (0 for pcap). */
  interfaceId: number;
  /** Timestamp, seconds since the epoch (integer, may exceed 2^31). */
  tsSec: number;
  /** Nanoseconds within the second, 0..999_999_999. */
  tsNsec: number;
  /**
   * Captured bytes (a view into the reader's buffer, valid until the next call to next()). Readers
   * create this view only when it is read; hot loops use `buf`/`off`/`len` instead (no allocation).
   */
  readonly data: Uint8Array;
  /** The captured bytes are buf[off, off + len): the reader's buffer, valid until the next call to next(). */
  buf: Uint8Array;
  off: number;
  len: number;
  /** Original length on the wire. */
  origLen: number;
  /** Digits of sub-second precision of this record's timestamp (per interface for pcapng). */
  precision: TimePrecision;
}

/** Digits of sub-second precision the file carries (6 for µs pcap, 9 for ns pcap, per interface for pcapng). */
export type TimePrecision = number;

export interface CaptureWarning {
  /** Byte offset in the (decompressed) capture stream where the problem starts. */
  offset: number;
  /** Last frame read successfully before the problem (0 when none). */
  frame: number;
  message: string;
}

/** Push-then-pull reader: append() bytes as they arrive, next() until undefined, end() at EOF. */
export interface CaptureReader {
  readonly format: 'pcap' | 'pcapng';
  append(chunk: Uint8Array): void;
  /** The next complete record, or undefined when more bytes are needed (or after a fatal error). */
  next(): CaptureRecord | undefined;
  /** Call at end of input; records a warning when the input stopped inside a record. */
  end(): void;
  /** Fatal problem that stopped reading (the frames before it stay valid), or undefined. */
  readonly error: CaptureWarning | undefined;
  /** Non-fatal problems (truncated last record, unknown blocks are silent). */
  readonly warnings: readonly CaptureWarning[];
  /** Precision (decimal digits) of the timestamps of the last returned record. */
  readonly precision: TimePrecision;
  /** Bytes consumed so far (offset of the next unread byte in the decompressed stream). */
  readonly offset: number;
}
