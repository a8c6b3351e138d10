// TCP RST diagnostic payload (draft-ietf-tcpm-rst-diagnostic-payload-02, section 4): exactly 8 payload bytes,
// the magic 0x33AA, a 16-bit reason code and a 32-bit Private Enterprise Number (0: IANA "TCP Failure Causes").

/** What a valid RST diagnostic payload says. */
export interface RstDiagnostic {
  /** Reason code, 1..65535 (0 is reserved and makes the payload malformed). */
  code: number;
  /** Private Enterprise Number whose registry `code` comes from; 0 is the IANA "TCP Failure Causes" registry. */
  pen: number;
  /** The draft's registry description of `code` when `pen` is 0 and the code is in its initial table, else ''. Never wire text. */
  description: string;
}

export const RST_DIAGNOSTIC_MAGIC = 0x33aa;
/** The draft: "SEG.LEN MUST be 8 for an RST with diagnostic payload". */
export const RST_DIAGNOSTIC_LEN = 8;

/**
 * Decodes the RST diagnostic payload at buf[off, off + len), len being the captured payload bytes and `wireLen`
 * the payload length on the wire (defaults to len). null when there is none, when the snaplen cut it, or when it
 * is malformed (the draft says to ignore those). Reads the bytes in place; never throws.
 */
export function decodeRstPayload(buf: Uint8Array, off: number, len: number, wireLen: number = len): RstDiagnostic | null {
  if (wireLen !== RST_DIAGNOSTIC_LEN || !(len >= RST_DIAGNOSTIC_LEN)) return null;
  if (!Number.isInteger(off) || off < 0 || off + RST_DIAGNOSTIC_LEN > buf.length) return null;
  if (u16(buf, off + MAGIC) !== RST_DIAGNOSTIC_MAGIC) return null;
  const code = u16(buf, off + REASON_CODE);
  if (code === 0) return null; // reserved: "MUST NOT be used", so the payload is malformed
  const pen = u32(buf, off + PEN);
  return { code, pen, description: pen === 0 ? tcpFailureCauseName(code) : '' };
}

/** Description of a reason code of the IANA "TCP Failure Causes" registry (the draft's initial table), '' when unassigned. */
export function tcpFailureCauseName(code: number): string {
  return TCP_FAILURE_CAUSES[code] ?? '';
}

// Payload layout, offsets from its first byte.
const MAGIC = 0;
const REASON_CODE = 2;
const PEN = 4;

/** Indexed by reason code; 0 is reserved. */
const TCP_FAILURE_CAUSES: readonly string[] = [
  '',
  'Illegal option length',
  'Desynchronized state',
  'New data is received after CLOSE is called',
  'ABORT process',
  'Unexpected ACK received by non-synchronized state connection',
  'Unexpected SYN in the window',
  'Unexpected security compartment',
  'Malformed message',
  'Not authorized',
  'Resource exceeded',
  'Network failure',
  'Reset received from the peer',
  'Destination unreachable',
  'Connection timeout',
  'Too much outstanding data',
  'Unacceptable performance',
  'Middlebox interference',
];

// Callers check bounds first.
function u16(buf: Uint8Array, at: number): number {
  return (buf[at]! << 8) | buf[at + 1]!;
}
function u32(buf: Uint8Array, at: number): number {
  return ((buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!) >>> 0;
}
