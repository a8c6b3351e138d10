// The HTML report in real headless Chromium: the lab fixtures' report opens offline without errors, filters,
// sorts, draws a RST's ladder on a click; a capture with hostile strings runs nothing. Saves a screenshot
// (docs/img/report.png when RSTSCOPE_UPDATE_SCREENSHOT=1).
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launch, openReport } from './build/browser.js';
import { hostileCapture } from './build/report-captures.js';
import { capturesIn, LAB_FIXTURES, ROOT, run } from './helpers/cli.js';

const missing = chromiumMissing();
if (missing) console.warn(`report.browser.test.ts skipped: ${missing}`);

let dir = '';
let browser: Browser;
let labReport = '';
let hostileReport = '';
let labResets: Array<{ frame: number; file: string }> = [];

beforeAll(async () => {
  if (missing) return;
  dir = mkdtempSync(join(tmpdir(), 'rstscope-browser-'));
  labReport = join(dir, 'lab.html');
  const r = run(['analyze', ...capturesIn(LAB_FIXTURES).map((f) => relative(ROOT, f)), '--html', labReport, '--format', 'json']);
  expect(r.status).toBe(0);
  labResets = (JSON.parse(r.stdout.toString()) as { resets: Array<{ frame: number; file: string }> }).resets;
  const pcap = join(dir, 'hostile.pcap');
  writeFileSync(pcap, hostileCapture());
  hostileReport = join(dir, 'hostile.html');
  expect(run(['analyze', pcap, '--html', hostileReport]).status).toBe(0);
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

describe.skipIf(missing !== null)(`HTML report in headless Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('opens with no console error and no network request, one row per RST', async () => {
    const { page, errors, requests } = await openReport(browser, labReport);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    const rows = await page.$$eval('#rst-table tbody tr', (trs) => trs.map((tr) => [Number(tr.getAttribute('data-frame')), tr.getAttribute('data-file')]));
    expect(rows.length).toBe(labResets.length);
    expect(new Set(rows.map(([f, file]) => `${file}#${f}`))).toEqual(new Set(labResets.map((r) => `${r.file}#${r.frame}`)));
    expect(await page.textContent('#shown')).toBe(`${labResets.length} RSTs`);
    expect(await page.locator('#summary .timeline svg rect').count()).toBeGreaterThan(0);
    await page.context().close();
  });

  it('filters by text and by phase, and sorts by a column both ways', async () => {
    const { page, errors } = await openReport(browser, labReport);
    const files = (): Promise<string[]> => page.$$eval('#rst-table tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-file') ?? ''));
    await page.fill('#q', 'refused.router');
    await page.press('#q', 'Enter');
    const refused = labResets.filter((r) => r.file.includes('refused.router'));
    expect(await files()).toHaveLength(refused.length);
    expect((await files()).every((f) => f.includes('refused.router'))).toBe(true);
    expect(await page.textContent('#shown')).toBe(`${refused.length} of ${labResets.length} RSTs`);
    await page.fill('#q', '');
    await page.press('#q', 'Enter');
    await page.selectOption('#f-ph', 'handshake');
    const col = 1 + (await page.$$eval('#rst-table th', (ths) => ths.map((th) => th.getAttribute('data-col')))).indexOf('ph');
    const phases = await page.$$eval(`#rst-table tbody tr td:nth-child(${col})`, (tds) => tds.map((td) => td.textContent));
    expect(phases.length).toBeGreaterThan(0);
    expect(phases.length).toBeLessThan(labResets.length);
    expect(new Set(phases)).toEqual(new Set(['handshake']));
    await page.selectOption('#f-ph', '');
    const frames = (): Promise<number[]> => page.$$eval('#rst-table tbody tr', (trs) => trs.map((tr) => Number(tr.getAttribute('data-frame'))));
    await page.click('th[data-col="f"]');
    const up = await frames();
    expect(up).toEqual([...up].sort((a, b) => a - b));
    expect(await page.getAttribute('th[data-col="f"]', 'aria-sort')).toBe('ascending');
    await page.click('th[data-col="f"]');
    const down = await frames();
    expect(down).toEqual([...up].sort((a, b) => b - a));
    expect(await page.getAttribute('th[data-col="f"]', 'aria-sort')).toBe('descending');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('shows evidence, advice, the Wireshark filter and the SVG ladder of a clicked RST; saves a screenshot', async () => {
    const { page, errors, requests } = await openReport(browser, labReport);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    const row = page.locator('#rst-table tbody tr[data-file$="abort-linger0.client.pcap"][data-frame="8"]');
    await row.click();
    await page.waitForSelector('#detail svg.ladder');
    expect(await page.locator('#detail h3').textContent()).toContain('Frame 8');
    expect(await page.locator('#detail li').count()).toBeGreaterThan(0);
    expect((await page.locator('#detail p.advice').textContent())!.length).toBeGreaterThan(10);
    const rst = page.locator('#detail svg g.rst[data-frame="8"]');
    expect(await rst.count()).toBe(1);
    expect(await rst.locator('rect.focus').count()).toBe(1);
    expect(await page.locator('#detail svg g.pkt').count()).toBe(8); // the whole 8-packet connection
    const filter = (await page.locator('#detail .filter code').textContent())!;
    expect(filter).toMatch(/tcp\.stream eq 0|frame\.number/);
    await page.click('#detail button.copy');
    await expect.poll(() => page.locator('#detail button.copy').textContent()).not.toBe('Copy filter');
    if ((await page.locator('#detail button.copy').textContent()) === 'Copied') {
      expect(await page.evaluate('navigator.clipboard.readText()')).toBe(filter);
    }
    expect(await page.evaluate('location.hash')).toMatch(/^#frame-8-\d+$/);
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    if (process.env.RSTSCOPE_UPDATE_SCREENSHOT === '1') copyFileSync(shot, join(ROOT, 'docs/img/report.png'));
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.context().close();
  });

  it('runs nothing from a hostile capture: the RST text shows as text', async () => {
    const { page, errors, requests, dialogs } = await openReport(browser, hostileReport);
    await page.locator('#rst-table tbody tr').first().click();
    await page.waitForSelector('#detail svg.ladder');
    const evidence = (await page.locator('#detail ul').textContent())!;
    expect(evidence).toContain('<script>alert(1)</script><img src=x onerror=alert(2)>');
    await page.fill('#q', 'alert');
    await page.press('#q', 'Enter');
    expect(await page.locator('#rst-table tbody tr').count()).toBe(1);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(2);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.context().close();
  });
});
