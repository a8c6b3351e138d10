// Just enough application-layer decoding to name what a RST followed: a TLS ClientHello's server name,
// a TLS ServerHello, or an HTTP request line and Host. Never throws; marks what the snaplen cut.

const TLS_HANDSHAKE = 22;
const CLIENT_HELLO = 1;
const SERVER_HELLO = 2;
const EXT_SERVER_NAME = 0;
const MAX_TEXT = 120;

/** A one-line description of the first payload of a side, '' when it is nothing we recognise. */
export function describePayload(buf: Uint8Array, off: number, captured: number, wireLen: number): string {
  if (captured <= 0) return '';
  const end = off + captured;
  if (buf[off] === TLS_HANDSHAKE && captured >= 6 && buf[off + 1] === 3) {
    const type = buf[off + 5];
    if (type === CLIENT_HELLO) {
      const sni = clientHelloSni(buf, off + 5, end);
      return sni === null ? `TLS ClientHello (server name ${captured < wireLen ? 'cut by the snaplen' : 'absent'})` : `TLS ClientHello for ${sni}`;
    }
    if (type === SERVER_HELLO) return 'TLS ServerHello';
    return `TLS handshake type ${type}`;
  }
  const line = firstLine(buf, off, end);
  if (line !== null && /^(GET|POST|PUT|HEAD|DELETE|OPTIONS|PATCH|CONNECT|TRACE) \S+ HTTP\/\d/.test(line)) {
    const host = headerValue(buf, off, end, 'host');
    const cut = captured < wireLen && host === null ? ' (Host cut by the snaplen)' : '';
    return `HTTP ${clean(line)}${host !== null ? ` Host ${clean(host)}` : ''}${cut}`;
  }
  if (line !== null && /^HTTP\/\d(\.\d)? \d{3}/.test(line)) return `HTTP response ${clean(line)}`;
  return '';
}

/** The server name of a ClientHello starting at `hs` (the handshake header), null when absent or cut. */
function clientHelloSni(b: Uint8Array, hs: number, end: number): string | null {
  let p = hs + 4 + 2 + 32; // handshake header, client version, random
  if (p >= end) return null;
  p += 1 + b[p]!; // session id
  if (p + 2 > end) return null;
  p += 2 + ((b[p]! << 8) | b[p + 1]!); // cipher suites
  if (p >= end) return null;
  p += 1 + b[p]!; // compression methods
  if (p + 2 > end) return null;
  const extEnd = Math.min(end, p + 2 + ((b[p]! << 8) | b[p + 1]!));
  p += 2;
  while (p + 4 <= extEnd) {
    const type = (b[p]! << 8) | b[p + 1]!;
    const len = (b[p + 2]! << 8) | b[p + 3]!;
    p += 4;
    if (type === EXT_SERVER_NAME && p + 5 <= extEnd) {
      const nameLen = (b[p + 3]! << 8) | b[p + 4]!;
      const start = p + 5;
      if (start + nameLen > extEnd) return null;
      return clean(String.fromCharCode(...b.subarray(start, start + Math.min(nameLen, MAX_TEXT))));
    }
    p += len;
  }
  return null;
}

function firstLine(b: Uint8Array, off: number, end: number): string | null {
  const stop = Math.min(end, off + 512);
  for (let i = off; i < stop; i++) {
    if (b[i] === 0x0d || b[i] === 0x0a) return String.fromCharCode(...b.subarray(off, Math.min(i, off + MAX_TEXT)));
  }
  return null;
}

function headerValue(b: Uint8Array, off: number, end: number, name: string): string | null {
  const text = String.fromCharCode(...b.subarray(off, Math.min(end, off + 2048)));
  const m = new RegExp(`\\r?\\n${name}:[ \\t]*([^\\r\\n]*)\\r?\\n`, 'i').exec(text);
  return m ? m[1]!.slice(0, MAX_TEXT) : null;
}

/** Printable ASCII only: capture text must never carry control characters to a terminal or a report. */
function clean(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?');
}
