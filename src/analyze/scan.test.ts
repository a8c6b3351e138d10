import { describe, expect, it } from 'vitest';
import { MAX_SOURCES, ScanDetector } from './scan.js';

describe('ScanDetector (Threshold Random Walk over first contacts)', () => {
  it('flags a source on its 4th failure with no successes', () => {
    const d = new ScanDetector();
    for (let port = 1; port <= 3; port++) d.observe('10.0.0.1', '10.0.0.2', port, 'rejected', port, false);
    expect(d.status('10.0.0.1')).toBe('suspected');
    d.observe('10.0.0.1', '10.0.0.2', 4, 'half-open', 4, false);
    expect(d.status('10.0.0.1')).toBe('scanner');
    expect(d.get('10.0.0.1')!.flaggedAt).toBe(4);
  });

  it('counts only first contacts: retrying one port is not a scan', () => {
    const d = new ScanDetector();
    for (let i = 0; i < 20; i++) d.observe('10.0.0.1', '10.0.0.2', 80, 'rejected', i, false);
    expect(d.get('10.0.0.1')!.attempts).toBe(1);
    expect(d.status('10.0.0.1')).toBeNull();
  });

  it('successes pull the walk back: a client with a few refused ports among many good ones is not flagged', () => {
    const d = new ScanDetector();
    for (let port = 1; port <= 40; port++) d.observe('10.0.0.1', '10.0.0.2', port, port % 5 === 0 ? 'rejected' : 'success', port, false);
    expect(d.status('10.0.0.1')).toBeNull();
  });

  it('catches a scan of a single server (deviation from the paper: contacts are (host, port) pairs)', () => {
    const d = new ScanDetector();
    for (let port = 20; port < 30; port++) d.observe('192.0.2.9', '198.51.100.1', port, 'unanswered', port, true);
    const s = d.get('192.0.2.9')!;
    expect(d.status('192.0.2.9')).toBe('scanner');
    expect(s.targets.size).toBe(1);
    expect(s.ports.size).toBe(10);
  });

  it('names the technique by the failures it saw', () => {
    const d = new ScanDetector();
    for (let port = 1; port <= 5; port++) d.observe('a', 'b', port, 'connect-reset', port, false);
    expect(d.technique(d.get('a')!)).toBe('connect');
    for (let port = 1; port <= 5; port++) d.observe('c', 'b', port, 'half-open', port, false);
    expect(d.technique(d.get('c')!)).toBe('syn');
  });

  it('stays bounded: the least recently seen sources are forgotten, flagged scanners are kept for the findings', () => {
    const d = new ScanDetector();
    for (let port = 1; port <= 4; port++) d.observe('192.0.2.66', '198.51.100.1', port, 'rejected', port, false);
    for (let i = 0; i < 2 * MAX_SOURCES; i++) d.observe(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, '198.51.100.1', 80, 'success', i, false);
    expect(d.all().length).toBeLessThanOrEqual(MAX_SOURCES + 1);
    expect(d.get('10.0.0.0')).toBeUndefined(); // the first benign source dropped out
    expect(d.status('192.0.2.66')).toBe('scanner');
    expect([...d.all()].filter((s) => s.flaggedAt > 0).map((s) => s.source)).toEqual(['192.0.2.66']);
  });

  it('remembers a source\'s recent contacts only: an old contact counts as a first contact again', () => {
    const d = new ScanDetector();
    for (let port = 1; port <= 300; port++) d.observe('10.0.0.1', '10.0.0.2', port, 'success', port, false);
    d.observe('10.0.0.1', '10.0.0.2', 300, 'success', 301, false); // recent: not counted
    expect(d.get('10.0.0.1')!.attempts).toBe(300);
    d.observe('10.0.0.1', '10.0.0.2', 1, 'success', 302, false); // forgotten (256 kept): counted again
    expect(d.get('10.0.0.1')!.attempts).toBe(301);
  });
});
