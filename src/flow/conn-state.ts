// Zeek's conn_state, a pure function of the two endpoint states (base/protocols/conn/main.zeek).
import { CLOSED, ESTABLISHED, INACTIVE, PARTIAL, RESET, SYN_ACK_SENT, SYN_SENT } from './endpoint.js';

export type ConnState =
  | 'S0' | 'S1' | 'SF' | 'REJ' | 'S2' | 'S3' | 'RSTO' | 'RSTR' | 'RSTOS0' | 'RSTRH' | 'SH' | 'SHR' | 'OTH';

/** Every conn_state, in a fixed order (compact tables store the index). */
export const CONN_STATES: readonly ConnState[] = ['S0', 'S1', 'SF', 'REJ', 'S2', 'S3', 'RSTO', 'RSTR', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH'];

/** Endpoint facts conn_state needs: state and Zeek's payload size estimate. */
export interface EndpointStateView {
  state: number;
  size: number;
}

const RSTOS0_HISTORY = /^\^?S[^HAFGIQ]*R.*$/;

export function connState(orig: EndpointStateView, resp: EndpointStateView, history: string): ConnState {
  const os = orig.state;
  const rs = resp.state;
  const oInactive = os === INACTIVE || os === PARTIAL;
  const rInactive = rs === INACTIVE || rs === PARTIAL;
  if (rs === RESET) {
    if (os === SYN_SENT || os === SYN_ACK_SENT || (os === RESET && orig.size === 0 && resp.size === 0)) return 'REJ';
    return oInactive ? 'RSTRH' : 'RSTR';
  }
  if (os === RESET) {
    if (rInactive) return RSTOS0_HISTORY.test(history) ? 'RSTOS0' : 'OTH';
    return 'RSTO';
  }
  if (rs === CLOSED && os === CLOSED) return 'SF';
  if (os === CLOSED) return rInactive ? 'SH' : 'S2';
  if (rs === CLOSED) return oInactive ? 'SHR' : 'S3';
  if (os === SYN_SENT && rs === INACTIVE) return 'S0';
  if (os === ESTABLISHED && rs === ESTABLISHED) return 'S1';
  return 'OTH';
}
