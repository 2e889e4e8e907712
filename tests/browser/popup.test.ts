// The popup of the built extension in Chromium: Simplified, Traditional and Taiwan-phrased queries, 文号 in
// different bracket forms, filter chips, and a result opening the reader at its clause. Screenshots saved.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchWithExtension, screenshotPath, type ExtensionBrowser } from '../support/browser';

let browser: ExtensionBrowser;
let popup: Page;

beforeAll(async () => {
  browser = await launchWithExtension();
  popup = await browser.context.newPage();
  await popup.setViewportSize({ width: 440, height: 640 });
  await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  // The library is seeded on first use; the empty box lists recently saved plans.
  await popup.locator('[data-testid=pl-library-total]').waitFor({ timeout: 20_000 });
});
afterAll(async () => {
  await browser?.close();
});

async function searchFor(q: string): Promise<string[]> {
  const input = popup.locator('[data-testid=pl-search-input]');
  await input.fill(q);
  const total = popup.locator('[data-testid=pl-total]');
  await total.waitFor();
  // Wait for the answer to this query (the box may still show the previous one for ~120 ms).
  await popup.waitForFunction(
    (query) => (document.querySelector('[data-testid=pl-search-input]') as HTMLInputElement).value === query && !document.querySelector('.pl-loading'),
    q,
  );
  await popup.waitForTimeout(400);
  return popup.locator('[data-testid=pl-result]').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
}

describe('popup search in Chromium', () => {
  it('a Simplified query finds Traditional text: 大数据 finds 上海市大數據發展實施意見', async () => {
    const titles = await searchFor('大数据');
    expect(titles.some((t) => t.includes('上海市大數據發展實施意見'))).toBe(true);
    expect(titles.some((t) => t.includes('沈阳市促进大数据发展'))).toBe(true);
    const marks = await popup.locator('[data-testid=pl-result] mark').allTextContents();
    expect(marks.length).toBeGreaterThan(0);
    for (const m of marks) expect(['大数据', '大數據']).toContain(m);
    await popup.screenshot({ path: screenshotPath('popup-大数据') });
  });

  it('Taiwan phrasing: 互联网 finds seed 000 (網際網路) and 信息 finds it too (資訊)', async () => {
    for (const q of ['互联网', '信息']) {
      const titles = await searchFor(q);
      expect(titles.some((t) => t.includes('北京市“十三五”時期信息化發展規劃'))).toBe(true);
    }
    const hit000 = popup.locator('.pl-hit', { hasText: '十三五' });
    expect((await hit000.locator('mark').allTextContents()).some((m) => m === '資訊')).toBe(true);
    await popup.screenshot({ path: screenshotPath('popup-信息') });
  });

  it('a 文号 in any bracket form: 國發〔2015〕50號 and 国发[2015]50号 find 004, which cites it', async () => {
    for (const q of ['國發〔2015〕50號', '国发[2015]50号']) {
      const titles = await searchFor(q);
      expect(titles.some((t) => t.includes('沈阳市促进大数据发展三年行动计划'))).toBe(true);
    }
    const own = await searchFor('京政发(2016)57号');
    expect(own[0]).toContain('北京市“十三五”時期信息化發展規劃');
    await popup.screenshot({ path: screenshotPath('popup-文号') });
  });

  it('filters: the 沈阳 chip and a typed year range narrow the results', async () => {
    const all = await searchFor('大数据');
    await popup.locator('[data-testid=pl-chip][data-filter=site][data-value=shenyang]').click();
    await popup.waitForTimeout(600);
    const shenyang = await popup.locator('[data-testid=pl-result]').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    expect(shenyang.length).toBeGreaterThan(0);
    expect(shenyang.length).toBeLessThan(all.length);
    expect(shenyang.every((t) => t.includes('沈阳'))).toBe(true);
    await popup.screenshot({ path: screenshotPath('popup-chip-shenyang') });
    await popup.locator('[data-testid=pl-chip][data-filter=site][data-value=shenyang]').click();
    const typed = await searchFor('大数据 year:2016-2016 kind:policy');
    expect(typed.length).toBeGreaterThan(0);
    expect(typed.every((t) => !t.includes('正式发布'))).toBe(true);
  });

  it('Enter opens the reader at the matching clause', async () => {
    await searchFor('公共数据开放单位超过90%');
    const clause = popup.locator('[data-testid=pl-result-clause]').first();
    const planId = await clause.getAttribute('data-plan-id');
    const clauseId = await clause.getAttribute('data-clause-id');
    const opened = browser.context.waitForEvent('page');
    await clause.click();
    const reader = await opened;
    await reader.waitForURL(/reader\.html#plan=/);
    expect(reader.url()).toContain(`plan=${encodeURIComponent(planId!)}`);
    expect(reader.url()).toContain(`clause=${encodeURIComponent(clauseId!)}`);
    await reader.locator('[data-testid=pl-reader-doc]').waitFor();
    await reader.waitForTimeout(800);
    await reader.screenshot({ path: screenshotPath('popup-opened-reader') });
    await reader.close();
  });
});
