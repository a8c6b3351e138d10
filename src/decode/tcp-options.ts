// TCP options: MSS, window scale, SACK-permitted, SACK blocks, timestamps, MPTCP's MP_TCPRST, NOP/EOL, unknown kinds.
// Malformed options set optionsMalformed + problem and stop the walk; they are never fatal.

import { st, u16, u32, u8 } from './context.js';

export const OPT_EOL = 0;
export const OPT_NOP = 1;
export const OPT_MSS = 2;
export const OPT_WSCALE = 3;
export const OPT_SACK_PERM = 4;
export const OPT_SACK = 5;
export const OPT_TIMESTAMP = 8;
export const OPT_MPTCP = 30;

/** MP_TCPRST's T flag: the error is transient, the subflow may be retried (RFC 8684 3.6). */
export const MPTCP_RST_TRANSIENT = 0x1;

const MSS_LEN = 4;
const WSCALE_LEN = 3;
const SACK_PERM_LEN = 2;
const TIMESTAMP_LEN = 10;
const SACK_BLOCK_LEN = 8;
const MAX_SACK_BLOCKS = 4; // 2 + 4 * 8 = 34 bytes; 40 bytes of options cannot hold a fifth
// MPTCP option: kind, length, subtype (high nibble) and a subtype-specific nibble, then the subtype's fields.
const MPTCP_SUBTYPE = 2;
const MPTCP_SUBTYPE_TCPRST = 0x8;
const MP_TCPRST_LEN = 4; // kind, length, subtype|U|V|W|T, reason
const MP_TCPRST_REASON = 3;

/** Walks the options in [off, end) and fills the option fields of st.out. */
export function decodeTcpOptions(off: number, end: number): void {
  const out = st.out;
  // NOTE: hot path: NOP,NOP,TS is what almost every non-SYN segment of Linux, BSD and macOS carries.
  if (end - off === NOP_NOP_TS_LEN && u32(off) === NOP_NOP_TS_HEAD) {
    out.tsVal = u32(off + 4);
    out.tsEcr = u32(off + 8);
    out.optionKinds = NOP_NOP_TS;
    return;
  }
  let node = ROOT;
  let p = off;
  while (p < end) {
    const kind = u8(p);
    node = child(node, kind);
    if (kind === OPT_EOL) break; // the rest is padding, whatever it holds
    if (kind === OPT_NOP) {
      p++;
      continue;
    }
    if (p + 1 >= end) {
      optionProblem(`TCP option ${optionLabel(kind)} has no length byte`);
      break;
    }
    const len = u8(p + 1);
    if (len < 2) {
      optionProblem(`TCP option ${optionLabel(kind)} length ${len} < 2`);
      break;
    }
    if (p + len > end) {
      optionProblem(`TCP option ${optionLabel(kind)} length ${len} runs past the header`);
      break;
    }
    decodeOption(kind, p, len);
    p += len;
  }
  out.optionKinds = node.name;
}

/** Fills the field of one well-formed (in-bounds) option; wrong fixed lengths are flagged and skipped. */
function decodeOption(kind: number, p: number, len: number): void {
  const out = st.out;
  switch (kind) {
    case OPT_MSS:
      if (len !== MSS_LEN) return optionProblem(`TCP option MSS length ${len} != 4`);
      out.mss = u16(p + 2);
      return;
    case OPT_WSCALE:
      if (len !== WSCALE_LEN) return optionProblem(`TCP option WS length ${len} != 3`);
      out.wscale = u8(p + 2);
      return;
    case OPT_SACK_PERM:
      if (len !== SACK_PERM_LEN) return optionProblem(`TCP option SACK_PERM length ${len} != 2`);
      out.sackPermitted = true;
      return;
    case OPT_SACK: {
      const blocks = (len - 2) / SACK_BLOCK_LEN;
      if (!Number.isInteger(blocks) || blocks < 1 || blocks > MAX_SACK_BLOCKS) {
        return optionProblem(`TCP option SACK length ${len} is not 2 + 8n (n = 1..4)`);
      }
      out.sackBlocks = blocks;
      return;
    }
    case OPT_TIMESTAMP:
      if (len !== TIMESTAMP_LEN) return optionProblem(`TCP option TS length ${len} != 10`);
      out.tsVal = u32(p + 2);
      out.tsEcr = u32(p + 6);
      return;
    case OPT_MPTCP:
      return decodeMptcp(p, len);
    default: // unknown kinds are skipped by their length
  }
}

/** MPTCP: only MP_TCPRST is recorded; the other subtypes are skipped by their length. */
function decodeMptcp(p: number, len: number): void {
  if (len <= MPTCP_SUBTYPE) return; // no subtype byte: nothing to tell which subtype's length rule applies
  const subtypeByte = u8(p + MPTCP_SUBTYPE);
  if (subtypeByte >>> 4 !== MPTCP_SUBTYPE_TCPRST) return;
  if (len !== MP_TCPRST_LEN) return optionProblem(`TCP option MP_TCPRST length ${len} != 4`);
  st.out.mptcpRstFlags = subtypeByte & 0x0f;
  st.out.mptcpRstReason = u8(p + MP_TCPRST_REASON);
}

function optionProblem(problem: string): void {
  if (st.out.optionsMalformed) return; // keep the first problem
  st.out.optionsMalformed = true;
  st.out.problem = problem;
}

/** Short name of an option kind as used in optionKinds; unknown kinds as "?<kind>". */
export function optionLabel(kind: number): string {
  switch (kind) {
    case OPT_EOL: return 'EOL';
    case OPT_NOP: return 'NOP';
    case OPT_MSS: return 'MSS';
    case OPT_WSCALE: return 'WS';
    case OPT_SACK_PERM: return 'SACK_PERM';
    case OPT_SACK: return 'SACK';
    case OPT_TIMESTAMP: return 'TS';
    default: return `?${kind}`;
  }
}

/** Name of an MP_TCPRST reason code (RFC 8684 3.6, IANA "MPTCP MP_TCPRST Reason Codes"). */
export function mptcpResetReasonName(code: number): string {
  return MPTCP_RST_REASONS[code] ?? `unassigned (${code})`;
}

/** Indexed by reason code. */
const MPTCP_RST_REASONS: readonly string[] = [
  'unspecified error',
  'MPTCP-specific error',
  'lack of resources',
  'administratively prohibited',
  'too much outstanding data',
  'unacceptable performance',
  'middlebox interference',
];

// optionKinds cache: a trie over raw kind sequences, so a sequence seen before costs no allocation.
interface KindNode {
  name: string;
  next: Map<number, KindNode> | null;
}

/** Trie size cap: beyond it new sequences still get a name, just not a cached one. */
const MAX_CACHED_NODES = 8192;
const ROOT: KindNode = { name: '', next: null };
let cachedNodes = 0;

// NOTE: hot path: Map.get with a small-integer key does not allocate.
function child(node: KindNode, kind: number): KindNode {
  const hit = node.next?.get(kind);
  if (hit !== undefined) return hit;
  const label = optionLabel(kind);
  const fresh: KindNode = { name: node.name === '' ? label : `${node.name},${label}`, next: null };
  if (cachedNodes < MAX_CACHED_NODES) {
    cachedNodes++;
    (node.next ??= new Map()).set(kind, fresh);
  }
  return fresh;
}

/** The NOP,NOP,TS layout: its first four bytes and length, and its (trie-cached) name. */
const NOP_NOP_TS_HEAD = 0x0101080a;
const NOP_NOP_TS_LEN = 12;
const NOP_NOP_TS = child(child(child(ROOT, OPT_NOP), OPT_NOP), OPT_TIMESTAMP).name;
