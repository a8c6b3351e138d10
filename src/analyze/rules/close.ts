// data-after-close, fin-then-reset and abortive-close: RSTs around the end of a connection.
import { SYN } from '../../decode/packet.js';
import type { Rule } from '../rule.js';
import { EXACT, LIKELY, PATTERN } from '../rule.js';
import { answersLine, ms, predictionLine } from './basic.js';

/** A RST this soon after a FIN is a "fast close" rather than an unrelated abort. */
const FIN_THEN_RESET_WINDOW = 1;

export const dataAfterClose: Rule = {
  id: 'data-after-close',
  definition: 'the RST answers payload that arrived after its sender closed (after its FIN)',
  advice: 'The peer kept sending after this side closed: fix the application protocol so both sides agree when the conversation ends (e.g. read the full request before closing, or half-close with shutdown(SHUT_WR) and drain).',
  origins: ['endpoint', 'unknown'],
  explain(ctx) {
    const a = ctx.answers;
    const s = ctx.sender;
    if (!a || a.len === 0 || s.finFrame === 0 || s.finFrame > a.frame) return undefined;
    return {
      confidence: ctx.isExactReply || ctx.atNextSeq ? EXACT : PATTERN,
      evidence: [`the ${ctx.role} closed with a FIN in frame ${s.finFrame}`, `then ${a.len} bytes arrived from the peer in frame ${a.frame}; ` + answersLine(ctx)],
    };
  },
};

export const finThenReset: Rule = {
  id: 'fin-then-reset',
  definition: 'a RST right after a FIN, instead of finishing the close (load balancer or security device fast close)',
  advice: 'A fast close: a load balancer or security device (or the application) resets right after the FIN to skip TIME_WAIT. Harmless if the data was delivered; if it was not, disable the device\'s "reset on close" or fix the application\'s close.',
  origins: ['endpoint', 'unknown', 'middlebox'],
  explain(ctx) {
    const { conn, r } = ctx;
    // The side that sent the FIN resets right after it, or a device in the path resets after either side's FIN
    // (a load balancer's fast close resets both ends); a genuine receiver of a FIN that aborts is an abortive close.
    const candidates = ctx.forged ? [conn.orig, conn.resp] : [ctx.sender];
    const fins = candidates.filter((e) => e.finFrame > 0 && e.finTime <= r.time && !(e.synFlags >= 0 && e.finFrame === e.firstFrame && e.synFlags & SYN));
    const last = fins.sort((x, y) => y.finTime - x.finTime)[0];
    if (!last || r.time - last.finTime > FIN_THEN_RESET_WINDOW) return undefined;
    const who = last === conn.orig ? 'client' : 'server';
    const evidence = [`a FIN from the ${who} in frame ${last.finFrame}, ${ms(r.time - last.finTime)} before this RST`];
    const p = predictionLine(ctx);
    if (p) evidence.push(p);
    return { confidence: PATTERN, evidence };
  },
};

export const abortiveClose: Rule = {
  id: 'abortive-close',
  definition: 'an endpoint aborts (SO_LINGER 0, application or process abort, close with unread data): RST or RST+ACK at its next sequence',
  advice: 'The application aborted the connection: look for close() with SO_LINGER {1,0}, a process exit or crash, or close() with unread data in the receive buffer (Linux then sends RST instead of FIN); read everything before closing.',
  origins: ['endpoint', 'unknown'],
  explain(ctx) {
    if (ctx.r.phase !== 'data' && ctx.r.phase !== 'teardown') return undefined;
    if (ctx.atNextSeq) return { confidence: EXACT, evidence: [predictionLine(ctx)!, answersLine(ctx)] };
    if (ctx.isExactReply) return { confidence: PATTERN, evidence: [predictionLine(ctx)!] };
    return { confidence: LIKELY, evidence: [`RST seq ${ctx.r.seq} is not the ${ctx.role}'s next sequence number (${ctx.sender.nextSeq ?? 'unknown'})`, answersLine(ctx)] };
  },
};
