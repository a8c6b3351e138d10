// Zeek's conn_state from the two endpoint states, per ../shared/peer/zeek/README.md "How Zeek really computes it".
import { describe, expect, it } from 'vitest';
import { connState, type ConnState } from './conn-state.js';
import { CLOSED, ESTABLISHED, INACTIVE, PARTIAL, RESET, SYN_ACK_SENT, SYN_SENT } from './endpoint.js';

const NAMES = ['INACTIVE', 'SYN_SENT', 'SYN_ACK_SENT', 'PARTIAL', 'ESTABLISHED', 'CLOSED', 'RESET'] as const;
const STATES = [INACTIVE, SYN_SENT, SYN_ACK_SENT, PARTIAL, ESTABLISHED, CLOSED, RESET];

type Row = [orig: number, resp: number, origSize: number, respSize: number, history: string, expected: ConnState];

// Hand-written from the rules (1. responder RESET, 2. originator RESET, 3. CLOSED, 4. the rest).
const TABLE: Row[] = [
  // 1. responder RESET
  [SYN_SENT, RESET, 0, 0, 'Sr', 'REJ'],
  [SYN_ACK_SENT, RESET, 0, 0, 'Hr', 'REJ'],
  [RESET, RESET, 0, 0, 'SrR', 'REJ'],
  [RESET, RESET, 3, 0, 'ShADRr', 'RSTR'], // payload: not a rejection, originator not inactive
  [RESET, RESET, 0, 7, 'ShAdRr', 'RSTR'],
  [ESTABLISHED, RESET, 0, 0, 'ShAr', 'RSTR'],
  [CLOSED, RESET, 10, 10, 'ShADadFr', 'RSTR'],
  [INACTIVE, RESET, 0, 0, 'r', 'RSTRH'],
  [PARTIAL, RESET, 0, 0, 'Dr', 'RSTRH'],
  [SYN_SENT, RESET, 5, 5, 'Sr', 'REJ'], // sizes only matter when both are RESET
  // 2. originator RESET
  [RESET, INACTIVE, 0, 0, 'SR', 'RSTOS0'],
  [RESET, INACTIVE, 0, 0, '^SR', 'RSTOS0'],
  [RESET, INACTIVE, 0, 0, 'SaR', 'RSTOS0'], // syn-then-ack-then-rst.pcap
  [RESET, INACTIVE, 0, 0, 'ShR', 'RSTOS0'], // lower-case letters are the responder's: allowed
  [RESET, PARTIAL, 0, 0, 'SdR', 'RSTOS0'],
  [RESET, INACTIVE, 0, 0, 'SRr', 'RSTOS0'],
  [RESET, INACTIVE, 0, 0, 'SAR', 'OTH'], // originator's A between S and R
  [RESET, INACTIVE, 0, 0, 'SHR', 'OTH'],
  [RESET, INACTIVE, 0, 0, 'SFR', 'OTH'],
  [RESET, INACTIVE, 0, 0, 'SGR', 'OTH'],
  [RESET, INACTIVE, 0, 0, 'SIR', 'OTH'],
  [RESET, INACTIVE, 0, 0, 'SQR', 'OTH'],
  [RESET, INACTIVE, 0, 0, 'R', 'OTH'],
  [RESET, INACTIVE, 0, 0, 'DR', 'OTH'],
  [RESET, INACTIVE, 0, 0, 'S', 'OTH'], // no R at all
  [RESET, INACTIVE, 0, 0, 'xSR', 'OTH'], // anchored at the start
  [RESET, ESTABLISHED, 0, 0, 'ShAR', 'RSTO'],
  [RESET, SYN_ACK_SENT, 0, 0, 'ShR', 'RSTO'],
  [RESET, CLOSED, 0, 0, 'ShAfR', 'RSTO'],
  [RESET, SYN_SENT, 0, 0, 'SsR', 'RSTO'],
  // 3. CLOSED
  [CLOSED, CLOSED, 0, 0, 'ShAFf', 'SF'],
  [CLOSED, CLOSED, 9, 9, 'ShADadFRf', 'SF'], // RSTs between FINs do not matter (imap-starttls)
  [CLOSED, INACTIVE, 0, 0, 'F', 'SH'],
  [CLOSED, PARTIAL, 0, 0, 'Fd', 'SH'],
  [CLOSED, ESTABLISHED, 0, 0, 'ShAF', 'S2'],
  [CLOSED, SYN_ACK_SENT, 0, 0, 'ShF', 'S2'],
  [INACTIVE, CLOSED, 0, 0, 'f', 'SHR'],
  [PARTIAL, CLOSED, 0, 0, 'Df', 'SHR'],
  [ESTABLISHED, CLOSED, 0, 0, 'ShAf', 'S3'],
  [SYN_SENT, CLOSED, 0, 0, 'Sf', 'S3'],
  // 4. the rest
  [SYN_SENT, INACTIVE, 0, 0, 'S', 'S0'],
  [ESTABLISHED, ESTABLISHED, 0, 0, 'ShA', 'S1'],
  [SYN_SENT, PARTIAL, 0, 0, 'Sd', 'OTH'],
  [SYN_SENT, ESTABLISHED, 0, 0, 'Sh', 'OTH'],
  [SYN_ACK_SENT, INACTIVE, 0, 0, 'H', 'OTH'],
  [INACTIVE, INACTIVE, 0, 0, '', 'OTH'],
  [PARTIAL, PARTIAL, 0, 0, 'Dd', 'OTH'],
  [PARTIAL, ESTABLISHED, 0, 0, 'Da', 'OTH'],
  [ESTABLISHED, PARTIAL, 0, 0, 'Ad', 'OTH'],
];

describe('connState: table', () => {
  it.each(TABLE.map((r) => [`${NAMES[r[0]]}/${NAMES[r[1]]} sizes ${r[2]}/${r[3]} '${r[4]}'`, ...r] as const))(
    '%s -> %s', (_label, o, r, os, rs, history, expected) => {
      expect(connState({ state: o, size: os }, { state: r, size: rs }, history)).toBe(expected);
    });

  it('the table covers every conn_state', () => {
    const seen = new Set(TABLE.map((r) => r[5]));
    for (const s of ['S0', 'S1', 'SF', 'REJ', 'S2', 'S3', 'RSTO', 'RSTR', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH']) expect(seen).toContain(s);
  });
});

/** The README's rules, written out independently. */
function reference(os: number, rs: number, oSize: number, rSize: number, history: string): ConnState {
  const oInactive = os === INACTIVE || os === PARTIAL;
  const rInactive = rs === INACTIVE || rs === PARTIAL;
  if (rs === RESET) {
    if (os === SYN_SENT || os === SYN_ACK_SENT || (os === RESET && oSize === 0 && rSize === 0)) return 'REJ';
    return oInactive ? 'RSTRH' : 'RSTR';
  }
  if (os === RESET) {
    if (!rInactive) return 'RSTO';
    // Zeek: /^\^?S[^HAFGIQ]*R.*$/ == c$history, an exact match of the whole history
    const m = /^\^?S[^HAFGIQ]*R/.test(history) && !history.includes('\n');
    return m ? 'RSTOS0' : 'OTH';
  }
  if (os === CLOSED && rs === CLOSED) return 'SF';
  if (os === CLOSED) return rInactive ? 'SH' : 'S2';
  if (rs === CLOSED) return oInactive ? 'SHR' : 'S3';
  if (os === SYN_SENT && rs === INACTIVE) return 'S0';
  if (os === ESTABLISHED && rs === ESTABLISHED) return 'S1';
  return 'OTH';
}

describe('connState: every pair of endpoint states', () => {
  const histories = ['', 'S', 'SR', '^SR', 'SaR', 'SAR', 'ShADadFf', 'R', 'Sr', 'ShAr', 'DR', '^hR', 'SqR', 'SQR'];
  it('agrees with the README rules for 7x7 states, sizes 0/1 and a set of histories', () => {
    let n = 0;
    for (const o of STATES) {
      for (const r of STATES) {
        for (const os of [0, 1]) {
          for (const rs of [0, 1]) {
            for (const h of histories) {
              const want = reference(o, r, os, rs, h);
              expect(connState({ state: o, size: os }, { state: r, size: rs }, h), `${NAMES[o]}/${NAMES[r]} ${os}/${rs} '${h}'`).toBe(want);
              n++;
            }
          }
        }
      }
    }
    expect(n).toBe(7 * 7 * 4 * histories.length);
  });
});
