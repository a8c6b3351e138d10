import { describe, expect, it } from 'vitest';
import { cleanText, escapeHtml, jsonForHtml } from './escape.js';

describe('HTML escaping', () => {
  it('escapes markup and quotes, and drops control characters', () => {
    expect(escapeHtml('<script>alert("x")</script> & \'y\'')).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
    expect(escapeHtml('a\x1b[31mb\x00')).toBe('a\ufffd[31mb\ufffd');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });

  it('embeds JSON that cannot end its script element and parses back to the same value', () => {
    const value = { ev: ['</script><script>alert(1)</script>', '<!--', 'a&b', '\u2028'] };
    const text = jsonForHtml(value);
    expect(text).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('cleanText keeps printable text as is', () => {
    expect(cleanText('10.0.0.1 <b>')).toBe('10.0.0.1 <b>');
    expect(cleanText('x\x1by')).toBe('x\ufffdy');
  });
});
