import { describe, expect, it } from 'vitest';
import { ACK, FIN, PSH, RST, SYN } from '../decode/packet.js';
import { T_ACK, T_DATA, T_FIN, T_RST, T_RST_ACK, T_RST_ZERO, T_SYN, tamperKind } from '../flow/client-kinds.js';
import { connectionTamperSignature, tamperSignature } from './tamper.js';

describe('tamperKind', () => {
  it('names each client packet', () => {
    expect(tamperKind(SYN, 0, 0)).toBe(T_SYN);
    expect(tamperKind(ACK, 0, 5)).toBe(T_ACK);
    expect(tamperKind(ACK | PSH, 100, 5)).toBe(T_DATA);
    expect(tamperKind(ACK | FIN, 0, 5)).toBe(T_FIN);
    expect(tamperKind(RST, 0, 7)).toBe(T_RST);
    expect(tamperKind(RST, 0, 0)).toBe(T_RST_ZERO);
    expect(tamperKind(RST | ACK, 0, 7)).toBe(T_RST_ACK);
  });
});

describe('tamperSignature', () => {
  it.each([
    [[T_SYN, T_RST_ZERO], false, 'SYN -> RST'],
    [[T_SYN, T_RST_ACK], false, 'SYN -> RST+ACK'],
    [[T_SYN, T_ACK, T_RST_ACK], false, 'SYN;ACK -> RST+ACK'],
    [[T_SYN, T_ACK, T_DATA, T_RST], false, 'PSH -> RST'],
    [[T_SYN, T_ACK, T_DATA, T_RST, T_RST_ZERO], false, 'PSH -> RST;RST0'],
    [[T_SYN, T_ACK, T_DATA, T_RST_ZERO, T_RST], false, 'PSH -> RST;RST0'],
    [[T_SYN, T_ACK, T_DATA, T_RST_ACK, T_RST_ACK], false, 'PSH -> RST+ACK;RST+ACK'],
    [[T_SYN, T_ACK, T_DATA, T_ACK, T_DATA, T_RST_ACK], false, 'DATA -> RST+ACK'],
    [[T_SYN], true, 'SYN -> NONE'],
    [[T_SYN, T_ACK], true, 'SYN;ACK -> NONE'],
    [[T_SYN, T_ACK, T_DATA], true, 'PSH -> NONE'],
  ])('%j (quiet %s) is %s', (kinds, quiet, want) => {
    expect(tamperSignature(kinds, quiet)).toBe(want);
  });

  it.each([
    [[T_SYN, T_ACK, T_DATA], false, 'no RST and not quiet'],
    [[T_SYN, T_SYN, T_RST], false, 'two SYNs (noise)'],
    [[T_SYN, T_ACK, T_DATA, T_FIN, T_RST], false, 'a FIN before the RST'],
    [[T_ACK, T_DATA, T_RST], false, 'no SYN first (mid-connection capture)'],
    [[T_SYN, T_ACK, T_DATA, T_ACK, T_ACK, T_ACK, T_ACK, T_ACK, T_ACK, T_ACK], true, 'ten packets without a RST'],
  ])('%j (quiet %s) is none: %s', (kinds, quiet) => {
    expect(tamperSignature(kinds, quiet)).toBeNull();
  });

  it('reads the packed kinds a connection keeps', () => {
    const kinds = T_SYN | (T_ACK << 3) | (T_RST_ACK << 6);
    expect(connectionTamperSignature(kinds, 3, false)).toBe('SYN;ACK -> RST+ACK');
    expect(connectionTamperSignature(kinds, 2, true)).toBe('SYN;ACK -> NONE');
  });
});
