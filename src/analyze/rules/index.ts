// Every cause rule, in the order they are tried: the first that matches explains the RST.
import type { Rule } from '../rule.js';
import { acceptQueueOverflow } from './accept-queue-overflow.js';
import { abortiveClose, dataAfterClose, finThenReset } from './close.js';
import { firewallReject } from './firewall-reject.js';
import { followOn } from './follow-on.js';
import { idleTimeout } from './idle-timeout.js';
import { injected } from './injected.js';
import { malformedSyn } from './malformed-syn.js';
import { noConnection, statelessReply } from './no-connection.js';
import { portClosed } from './port-closed.js';
import { retransmissionExhausted } from './retransmission-exhausted.js';
import { clientAbort, connectScan, synScan } from './scans.js';
import { timeWait } from './time-wait.js';

export const RULES: readonly Rule[] = [
  followOn,
  malformedSyn,
  firewallReject,
  timeWait,
  portClosed,
  acceptQueueOverflow,
  synScan,
  connectScan,
  clientAbort,
  retransmissionExhausted,
  dataAfterClose,
  statelessReply,
  idleTimeout,
  finThenReset,
  abortiveClose,
  injected,
  noConnection,
];
