// Output: text and bytes leave in the order they were written, and a full stream is waited for ('drain').
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Output } from './output.js';

/** A stream that takes chunks slowly (highWaterMark 8 bytes), so writes ask for back-pressure. */
function slowStream(): { stream: Writable; chunks: Buffer[] } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    highWaterMark: 8,
    write(chunk: Buffer, _enc, done) {
      chunks.push(Buffer.from(chunk));
      setTimeout(done, 1);
    },
  });
  return { stream, chunks };
}

describe('Output', () => {
  it('keeps text and bytes in order, joining runs of text, and waits for drain', async () => {
    const { stream, chunks } = slowStream();
    const out = new Output(stream);
    out.write('{"a":');
    out.write('"é",');
    out.writeBytes(Buffer.from('"b":"😀'));
    out.writeBytes(Buffer.from('",'));
    out.write('"c":1}');
    await out.flush();
    expect(chunks.map((c) => c.toString())).toEqual(['{"a":"é",', '"b":"😀', '",', '"c":1}']);
    expect(stream.writableLength).toBe(0); // flush() returned after the stream drained
    expect(JSON.parse(Buffer.concat(chunks).toString('utf8'))).toEqual({ a: 'é', b: '😀', c: 1 });
  });
});
