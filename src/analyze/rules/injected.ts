// injected: forged by a device in the path (bypass blocking after the SYN/ACK, after a TLS ClientHello or
// an HTTP request, ...): the forged-RST signatures fired (the race, or two others).
import type { Rule } from '../rule.js';
import { HEURISTIC, LIKELY, PATTERN } from '../rule.js';
import { ms } from './basic.js';

export const injected: Rule = {
  id: 'injected',
  definition: 'forged by a device in the path (origin middlebox): bypass blocking after the SYN/ACK, after a TLS ClientHello or HTTP request, ...',
  advice: 'A device in the path forges this RST (bypass blocking, IPS, censorship): find the policy that matches this traffic (server name, host, port) on firewalls/IPS between the hosts; capture at a second point (rstscope locate) to place the device.',
  origins: ['middlebox'],
  explain(ctx) {
    const { conn } = ctx;
    const evidence = ctx.signatures.map((s) => `(${s.letter}) ${s.detail}`);
    const trigger = conn.clientApp && conn.clientApp !== '-' ? conn.clientApp : '';
    if (trigger) evidence.push(`the client had sent: ${trigger}`);
    else if (ctx.r.phase === 'handshake') {
      const synAck = conn.synAckTime > 0;
      evidence.push(!synAck ? 'it came during the handshake, before any SYN/ACK on this connection'
        : conn.synAckTime <= ctx.r.time ? `it came during the handshake, ${ms(ctx.r.time - conn.synAckTime)} after the SYN/ACK`
          : `it came during the handshake, ${ms(conn.synAckTime - ctx.r.time)} before the SYN/ACK`);
    }
    const race = ctx.signatures.some((s) => s.id === 'race');
    return { confidence: race && ctx.signatures.length > 1 ? PATTERN : race || ctx.signatures.length > 2 ? LIKELY : HEURISTIC, evidence };
  },
};
