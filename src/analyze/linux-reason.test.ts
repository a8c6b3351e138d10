import { describe, expect, it } from 'vitest';
import { ACK, FIN, PSH, RST, SYN, URG } from '../decode/packet.js';
import { prng } from '../../test/build/prng.js';
import { LINUX_REASON_KERNEL, LINUX_RESET_REASONS, linuxResetReason } from './linux-reason.js';
import type { LinuxResetSituation } from './linux-reason.js';
import type { CauseId } from './rule.js';

/** A RST with nothing special about it; each case overrides what its situation has. */
function reasonFor(over: Partial<LinuxResetSituation> & Pick<LinuxResetSituation, 'cause'>) {
  return linuxResetReason({
    phase: 'data', answersFlags: ACK, rstHasAck: false, senderHadConnection: false, finBeforeFromSender: false, ...over,
  });
}

const SYN_ONLY = SYN;
const SYN_ACK = SYN | ACK;
const DATA = PSH | ACK;

describe('linux-reason: the enum as tcp:tcp_send_reset prints it', () => {
  it('lists include/net/rstreason.h in enum order, without the SK_RST_REASON_ prefix and without MAX', () => {
    expect(LINUX_RESET_REASONS).toHaveLength(25);
    expect(new Set(LINUX_RESET_REASONS).size).toBe(25);
    expect(LINUX_RESET_REASONS[0]).toBe('NOT_SPECIFIED');
    expect(LINUX_RESET_REASONS.indexOf('TCP_DISCONNECT_WITH_DATA')).toBe(16);
    expect(LINUX_RESET_REASONS.indexOf('MPTCP_RST_EUNSPEC')).toBe(17);
    expect(LINUX_RESET_REASONS[24]).toBe('ERROR');
    for (const r of LINUX_RESET_REASONS) expect(r).toMatch(/^[A-Z0-9_]+$/);
    expect((LINUX_RESET_REASONS as readonly string[]).some((r) => r.startsWith('SK_RST_REASON_') || r === 'MAX')).toBe(false);
    expect(LINUX_REASON_KERNEL).toBe('6.18');
  });
});

describe('linux-reason: passive resets (replies to a segment)', () => {
  it('port-closed: a SYN to a port with no listener -> NO_SOCKET', () => {
    expect(reasonFor({ cause: 'port-closed', phase: 'handshake', answersFlags: SYN_ONLY, rstHasAck: true })).toBe('NO_SOCKET');
  });

  it('syn-scan: the scanner\'s kernel has no socket for the SYN/ACK -> NO_SOCKET', () => {
    expect(reasonFor({ cause: 'syn-scan', phase: 'handshake', answersFlags: SYN_ACK, rstHasAck: false })).toBe('NO_SOCKET');
  });

  it('no-connection: a segment of a connection the sender does not know -> NO_SOCKET', () => {
    expect(reasonFor({ cause: 'no-connection', answersFlags: DATA, answersLen: 100 })).toBe('NO_SOCKET');
    expect(reasonFor({ cause: 'no-connection', answersFlags: null })).toBe('NO_SOCKET');
  });

  it('no-connection on a port with a listener (e.g. a restarted server) -> TCP_FLAGS', () => {
    expect(reasonFor({ cause: 'no-connection', answersFlags: DATA, senderListening: true })).toBe('TCP_FLAGS');
  });

  it('malformed-syn: SYN+FIN to a closed port -> NO_SOCKET; to a listener: dropped (null)', () => {
    const synFin = SYN | FIN;
    expect(reasonFor({ cause: 'malformed-syn', phase: 'handshake', answersFlags: synFin, rstHasAck: true })).toBe('NO_SOCKET');
    expect(reasonFor({ cause: 'malformed-syn', phase: 'handshake', answersFlags: synFin, rstHasAck: true, senderListening: true })).toBeNull();
    expect(reasonFor({ cause: 'malformed-syn', phase: 'handshake', answersFlags: SYN | URG, rstHasAck: true, senderListening: true })).toBeNull();
  });

  it('malformed-syn in a request socket\'s window -> INVALID_SYN', () => {
    expect(reasonFor({ cause: 'malformed-syn', phase: 'handshake', answersFlags: SYN | FIN, rstHasAck: true, senderHadConnection: true })).toBe('INVALID_SYN');
  });

  it('malformed-syn carrying RST gets no reply at all', () => {
    expect(reasonFor({ cause: 'malformed-syn', phase: 'handshake', answersFlags: SYN | RST, rstHasAck: true })).toBeNull();
  });

  it('accept-queue-overflow with tcp_abort_on_overflow=1 -> INVALID_SYN (tcp_check_req embryonic_reset)', () => {
    expect(reasonFor({ cause: 'accept-queue-overflow', phase: 'handshake', answersFlags: ACK, senderHadConnection: true, senderListening: true })).toBe('INVALID_SYN');
  });

  it('accept-queue-overflow when the request socket is gone: the listener answers the ACK -> TCP_FLAGS', () => {
    expect(reasonFor({ cause: 'accept-queue-overflow', phase: 'handshake', answersFlags: DATA, senderListening: true })).toBe('TCP_FLAGS');
  });

  it('time-wait: the TIME_WAIT socket answers the new SYN -> TCP_TIMEWAIT_SOCKET', () => {
    expect(reasonFor({ cause: 'time-wait', phase: 'handshake', answersFlags: SYN_ONLY, rstHasAck: true, senderHadConnection: true })).toBe('TCP_TIMEWAIT_SOCKET');
    expect(reasonFor({ cause: 'time-wait', phase: 'handshake', answersFlags: null, rstHasAck: true, senderHadConnection: true })).toBe('TCP_TIMEWAIT_SOCKET');
  });

  it('time-wait: the client in SYN_SENT resets the ACK for the old connection -> TCP_INVALID_ACK_SEQUENCE', () => {
    expect(reasonFor({ cause: 'time-wait', phase: 'handshake', answersFlags: ACK, rstHasAck: false, senderHadConnection: true })).toBe('TCP_INVALID_ACK_SEQUENCE');
    expect(reasonFor({ cause: 'time-wait', phase: 'handshake', answersFlags: null, rstHasAck: false, senderHadConnection: true })).toBe('TCP_INVALID_ACK_SEQUENCE');
  });

  it('time-wait with the state gone on the sender -> NO_SOCKET', () => {
    expect(reasonFor({ cause: 'time-wait', phase: 'handshake', answersFlags: SYN_ONLY, rstHasAck: true })).toBe('NO_SOCKET');
    expect(reasonFor({ cause: 'time-wait', phase: 'handshake', answersFlags: ACK })).toBe('NO_SOCKET');
  });

  it('client-abort: the SYN/ACK arrives after the client gave up -> NO_SOCKET', () => {
    expect(reasonFor({ cause: 'client-abort', phase: 'handshake', answersFlags: SYN_ACK })).toBe('NO_SOCKET');
  });

  it('client-abort: SYN_SENT rejects the SYN/ACK\'s ack -> TCP_INVALID_ACK_SEQUENCE', () => {
    expect(reasonFor({ cause: 'client-abort', phase: 'handshake', answersFlags: SYN_ACK, senderHadConnection: true })).toBe('TCP_INVALID_ACK_SEQUENCE');
    expect(reasonFor({ cause: 'client-abort', phase: 'data', answersFlags: DATA, senderHadConnection: true })).toBeNull();
  });

  it('data-after-close as close() with the request unread (RST+ACK at the next sequence) -> TCP_ABORT_ON_CLOSE', () => {
    expect(reasonFor({ cause: 'data-after-close', answersFlags: DATA, answersLen: 80, rstHasAck: true, senderHadConnection: true, dataUnreadAtClose: true })).toBe('TCP_ABORT_ON_CLOSE');
    expect(reasonFor({ cause: 'data-after-close', answersFlags: DATA, answersLen: 80, rstHasAck: true, senderHadConnection: true })).toBe('TCP_ABORT_ON_CLOSE');
  });

  it('data-after-close: data while the closer is in FIN_WAIT1 (or acking its FIN) -> TCP_ABORT_ON_DATA', () => {
    expect(reasonFor({ cause: 'data-after-close', phase: 'teardown', answersFlags: DATA, answersLen: 10, senderHadConnection: true, finBeforeFromSender: true })).toBe('TCP_ABORT_ON_DATA');
  });

  it('data-after-close: data after the FIN was acked (FIN_WAIT2 TIME_WAIT socket) -> TCP_TIMEWAIT_SOCKET', () => {
    expect(reasonFor({ cause: 'data-after-close', phase: 'teardown', answersFlags: DATA, answersLen: 10, senderHadConnection: true, finBeforeFromSender: true, senderFinAcked: true })).toBe('TCP_TIMEWAIT_SOCKET');
  });

  it('data-after-close when the closed socket is gone -> NO_SOCKET, or TCP_FLAGS on a listening port', () => {
    const gone = { cause: 'data-after-close', phase: 'teardown', answersFlags: DATA, answersLen: 10, finBeforeFromSender: true } as const;
    expect(reasonFor(gone)).toBe('NO_SOCKET');
    expect(reasonFor({ ...gone, senderListening: true })).toBe('TCP_FLAGS');
  });

  it('fin-then-reset answering the FIN\'s ACK with TCP_LINGER2 < 0 -> TCP_ABORT_ON_DATA', () => {
    expect(reasonFor({ cause: 'fin-then-reset', phase: 'teardown', answersFlags: ACK, senderHadConnection: true, finBeforeFromSender: true, linger2Negative: true })).toBe('TCP_ABORT_ON_DATA');
    expect(reasonFor({ cause: 'fin-then-reset', phase: 'teardown', answersFlags: ACK, senderHadConnection: true, finBeforeFromSender: true })).toBeNull();
  });

  it('fin-then-reset answering data, or with the socket gone', () => {
    const data = { cause: 'fin-then-reset', phase: 'teardown', answersFlags: DATA, answersLen: 5, finBeforeFromSender: true } as const;
    expect(reasonFor({ ...data, senderHadConnection: true })).toBe('TCP_ABORT_ON_DATA');
    expect(reasonFor({ ...data, senderHadConnection: true, senderFinAcked: true })).toBe('TCP_TIMEWAIT_SOCKET');
    expect(reasonFor(data)).toBe('NO_SOCKET');
  });
});

describe('linux-reason: active resets (aborts from a socket)', () => {
  const abort = { rstHasAck: true, senderHadConnection: true, answersFlags: ACK } as const;

  it('connect-scan: close() with SO_LINGER {1,0} right after the handshake -> TCP_STATE (tcp_disconnect), not TCP_ABORT_ON_LINGER', () => {
    expect(reasonFor({ cause: 'connect-scan', phase: 'handshake', ...abort })).toBe('TCP_STATE');
  });

  it('connect-scan against a server that sent a banner the scanner never read -> TCP_ABORT_ON_CLOSE', () => {
    expect(reasonFor({ cause: 'connect-scan', phase: 'handshake', ...abort, answersFlags: DATA, dataUnreadAtClose: true })).toBe('TCP_ABORT_ON_CLOSE');
  });

  it('client-abort after the handshake (health check with SO_LINGER {1,0}) -> TCP_STATE', () => {
    expect(reasonFor({ cause: 'client-abort', phase: 'handshake', ...abort })).toBe('TCP_STATE');
  });

  it('abortive-close as accept-then-abort (the server aborts right after the handshake) -> TCP_STATE', () => {
    expect(reasonFor({ cause: 'abortive-close', phase: 'handshake', ...abort })).toBe('TCP_STATE');
  });

  it('abortive-close: close() with unread data -> TCP_ABORT_ON_CLOSE, even with SO_LINGER {1,0}', () => {
    expect(reasonFor({ cause: 'abortive-close', ...abort, dataUnreadAtClose: true })).toBe('TCP_ABORT_ON_CLOSE');
  });

  it('abortive-close: SO_LINGER {1,0} or ss -K in ESTABLISHED, CLOSE_WAIT, FIN_WAIT1, FIN_WAIT2 -> TCP_STATE', () => {
    expect(reasonFor({ cause: 'abortive-close', ...abort })).toBe('TCP_STATE');
    expect(reasonFor({ cause: 'abortive-close', ...abort, peerFinBefore: true })).toBe('TCP_STATE');
    expect(reasonFor({ cause: 'abortive-close', ...abort, finBeforeFromSender: true })).toBe('TCP_STATE');
    expect(reasonFor({ cause: 'abortive-close', ...abort, finBeforeFromSender: true, senderFinAcked: true })).toBe('TCP_STATE');
  });

  it('abortive-close in CLOSING/LAST_ACK: TCP_DISCONNECT_WITH_DATA with data unsent, else no RST at all', () => {
    expect(reasonFor({ cause: 'abortive-close', ...abort, peerFinBefore: true, unsentDataAtClose: true })).toBe('TCP_DISCONNECT_WITH_DATA');
    expect(reasonFor({ cause: 'abortive-close', ...abort, peerFinBefore: true, finBeforeFromSender: true })).toBeNull();
  });

  it('abortive-close: close() in FIN_WAIT2 with TCP_LINGER2 < 0 -> TCP_ABORT_ON_LINGER', () => {
    expect(reasonFor({ cause: 'abortive-close', ...abort, finBeforeFromSender: true, senderFinAcked: true, linger2Negative: true })).toBe('TCP_ABORT_ON_LINGER');
    expect(reasonFor({ cause: 'abortive-close', ...abort, finBeforeFromSender: true, linger2Negative: true })).toBe('TCP_STATE');
  });

  it('abortive-close as a bare RST: a reply, so only from a sender with no socket left', () => {
    expect(reasonFor({ cause: 'abortive-close', answersFlags: DATA })).toBe('NO_SOCKET');
    expect(reasonFor({ cause: 'abortive-close', answersFlags: DATA, senderHadConnection: true })).toBeNull();
  });

  it('fin-then-reset from the endpoint: abort after its FIN -> TCP_STATE, or TCP_ABORT_ON_LINGER in FIN_WAIT2 with TCP_LINGER2 < 0', () => {
    const fin = { cause: 'fin-then-reset', phase: 'teardown', ...abort, finBeforeFromSender: true } as const;
    expect(reasonFor(fin)).toBe('TCP_STATE');
    expect(reasonFor({ ...fin, senderFinAcked: true, linger2Negative: true })).toBe('TCP_ABORT_ON_LINGER');
    expect(reasonFor({ ...fin, dataUnreadAtClose: true })).toBe('TCP_ABORT_ON_CLOSE');
  });

  it('idle-timeout after unanswered keepalive probes -> TCP_KEEPALIVE_TIMEOUT', () => {
    expect(reasonFor({ cause: 'idle-timeout', ...abort, keepaliveProbes: true })).toBe('TCP_KEEPALIVE_TIMEOUT');
  });

  it('idle-timeout without probes: the application\'s own idle timer aborts -> TCP_STATE', () => {
    expect(reasonFor({ cause: 'idle-timeout', ...abort })).toBe('TCP_STATE');
    expect(reasonFor({ cause: 'idle-timeout', ...abort, dataUnreadAtClose: true })).toBe('TCP_ABORT_ON_CLOSE');
  });

  it('a RST without ACK is never one of Linux\'s active resets', () => {
    for (const cause of ['connect-scan', 'idle-timeout'] as const) {
      expect(reasonFor({ cause, ...abort, rstHasAck: false, keepaliveProbes: true }), cause).toBeNull();
    }
  });
});

describe('linux-reason: not sent by a Linux endpoint', () => {
  it('injected, firewall-reject (nf_send_reset has no reason) and unknown -> null', () => {
    for (const cause of ['injected', 'firewall-reject', 'unknown'] as const) {
      expect(reasonFor({ cause, phase: 'handshake', answersFlags: SYN_ONLY, rstHasAck: true }), cause).toBeNull();
    }
  });

  it('retransmission-exhausted: tcp_retries2 / TCP_USER_TIMEOUT expire without a RST -> null', () => {
    expect(reasonFor({ cause: 'retransmission-exhausted', rstHasAck: true, senderHadConnection: true })).toBeNull();
  });

  it('any cause sent by a device in the path (idle load balancer, fast close) -> null', () => {
    expect(reasonFor({ cause: 'idle-timeout', rstHasAck: true, senderHadConnection: true, keepaliveProbes: true, fromMiddlebox: true })).toBeNull();
    expect(reasonFor({ cause: 'fin-then-reset', rstHasAck: true, senderHadConnection: true, finBeforeFromSender: true, fromMiddlebox: true })).toBeNull();
  });

  it('replies whose ACK flag Linux would not set, or that answer a RST -> null', () => {
    expect(reasonFor({ cause: 'port-closed', phase: 'handshake', answersFlags: SYN_ONLY, rstHasAck: false })).toBeNull();
    expect(reasonFor({ cause: 'no-connection', answersFlags: DATA, rstHasAck: true })).toBeNull();
    expect(reasonFor({ cause: 'no-connection', answersFlags: RST | ACK })).toBeNull();
  });
});

describe('linux-reason: MPTCP', () => {
  it('a RST carrying MP_TCPRST logs its code, whatever the cause; codes past 6 log ERROR', () => {
    const names = [0, 1, 2, 3, 4, 5, 6, 7, 255].map((code) =>
      reasonFor({ cause: 'abortive-close', rstHasAck: true, senderHadConnection: true, mptcpRstReason: code }));
    expect(names).toEqual(['MPTCP_RST_EUNSPEC', 'MPTCP_RST_EMPTCP', 'MPTCP_RST_ERESOURCE', 'MPTCP_RST_EPROHIBIT',
      'MPTCP_RST_EWQ2BIG', 'MPTCP_RST_EBADPERF', 'MPTCP_RST_EMIDDLEBOX', 'ERROR', 'ERROR']);
    expect(reasonFor({ cause: 'no-connection', mptcpRstReason: 1 })).toBe('MPTCP_RST_EMPTCP');
  });

  it('no option (-1) falls through to the TCP reasons; a forged one stays null', () => {
    expect(reasonFor({ cause: 'no-connection', mptcpRstReason: -1 })).toBe('NO_SOCKET');
    expect(reasonFor({ cause: 'injected', mptcpRstReason: 2 })).toBeNull();
  });
});

describe('linux-reason: any situation', () => {
  it('always answers null or a name from the enum', () => {
    const causes: CauseId[] = ['port-closed', 'accept-queue-overflow', 'time-wait', 'malformed-syn', 'firewall-reject',
      'syn-scan', 'connect-scan', 'client-abort', 'retransmission-exhausted', 'idle-timeout', 'abortive-close',
      'data-after-close', 'fin-then-reset', 'injected', 'no-connection', 'unknown'];
    const phases = ['handshake', 'data', 'teardown', 'none'] as const;
    const rand = prng(6);
    const bit = () => rand() < 0.5;
    const seen = new Set<string | null>();
    for (let i = 0; i < 20000; i++) {
      const r = linuxResetReason({
        cause: causes[i % causes.length]!, phase: phases[Math.floor(rand() * 4)]!,
        answersFlags: rand() < 0.1 ? null : Math.floor(rand() * 0x200), answersLen: Math.floor(rand() * 3),
        rstHasAck: bit(), senderHadConnection: bit(), senderListening: bit(), finBeforeFromSender: bit(),
        senderFinAcked: bit(), peerFinBefore: bit(), dataUnreadAtClose: bit(), unsentDataAtClose: bit(),
        keepaliveProbes: bit(), linger2Negative: bit(), fromMiddlebox: rand() < 0.1,
        mptcpRstReason: rand() < 0.1 ? Math.floor(rand() * 9) : -1,
      });
      if (r !== null) expect(LINUX_RESET_REASONS).toContain(r);
      seen.add(r);
    }
    expect(seen.has(null)).toBe(true);
    expect(seen.size).toBeGreaterThan(15);
  });
});
