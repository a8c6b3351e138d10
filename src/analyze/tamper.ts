// The connection-tampering signature of Sundara Raman et al., "Global, Passive Detection of Connection
// Tampering" (SIGCOMM 2023), as Cloudflare Radar computes it at the server: the client's first 10 packets, the
// stage they reached (after the SYN, after the handshake's ACK, after the first data packet, later) and how they
// ended (a timeout, or the RSTs that arrived). A pattern, not a verdict: happy eyeballs, scanners and browsers
// closing tabs match some signatures too.
import { T_ACK, T_DATA, T_FIN, T_RST, T_RST_ACK, T_RST_ZERO, T_SYN, TAMPER_PACKETS } from '../flow/client-kinds.js';

/**
 * The signature of a client's first packets (`kinds`, oldest first), or null when they match none: more than one
 * SYN, a FIN, no SYN first, or neither a RST nor a timeout within the first packets. `quiet`: the client sent
 * nothing for TAMPER_QUIET seconds after its last packet and fewer than TAMPER_PACKETS packets in all.
 */
export function tamperSignature(kinds: readonly number[], quiet: boolean): string | null {
  if (kinds[0] !== T_SYN) return null;
  const firstRst = kinds.findIndex((k) => k >= T_RST && k <= T_RST_ZERO);
  const before = firstRst < 0 ? kinds : kinds.slice(0, firstRst);
  if (before.filter((k) => k === T_SYN).length !== 1 || before.includes(T_FIN)) return null;
  const data = before.filter((k) => k === T_DATA).length;
  const stage = data >= 2 ? 'DATA' : data === 1 ? 'PSH' : before.includes(T_ACK) ? 'SYN;ACK' : 'SYN';
  if (firstRst < 0) return quiet && kinds.length < TAMPER_PACKETS ? `${stage} -> NONE` : null;
  const rsts = kinds.slice(firstRst).filter((k) => k >= T_RST && k <= T_RST_ZERO).slice(0, 2);
  // RST0 (a RST whose ack is zero) is told apart only next to another bare RST, as in <PSH -> RST;RST0>.
  const bare = rsts.filter((k) => k !== T_RST_ACK);
  const zeroApart = bare.length === 2 && bare.includes(T_RST) && bare.includes(T_RST_ZERO);
  const name = (k: number): string => (k === T_RST_ACK ? 'RST+ACK' : k === T_RST_ZERO && zeroApart ? 'RST0' : 'RST');
  const names = rsts.map(name);
  if (zeroApart) names.sort((a, b) => (a === 'RST0' ? 1 : 0) - (b === 'RST0' ? 1 : 0));
  return `${stage} -> ${names.join(';')}`;
}

/** The signature of a finished connection's client. */
export function connectionTamperSignature(kinds: number, count: number, quiet: boolean): string | null {
  const list: number[] = [];
  for (let i = 0; i < count; i++) list.push((kinds >>> (3 * i)) & 7);
  return tamperSignature(list, quiet);
}
