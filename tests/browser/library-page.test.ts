// The library page in Chromium: many files imported at once (GBK, Big5, HTML), all-or-nothing on a bad file,
// and the whole library exported as one JSON file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { launchWithExtension, screenshotPath, type ExtensionBrowser } from '../support/browser';
import { askBackground } from '../support/extension-pages';
import { PAGES_DIR } from '../support/paths';
import { encodeLegacy } from '../../lib/text/decode';

let browser: ExtensionBrowser;
beforeAll(async () => {
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
});

const fixture = (name: string) => fs.readFileSync(path.join(PAGES_DIR, name, 'source.html'));

describe('library page', () => {
  it('a bad file among good ones: nothing is written and the message names the file', async () => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/library.html`);
    await page.locator('[data-testid=pl-plan]').first().waitFor();
    const before = await page.locator('[data-testid=pl-plan]').count();
    const binary = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919) % 256));
    await page.locator('[data-testid=pl-import-input]').setInputFiles([
      { name: 'hangzhou.html', mimeType: 'text/html', buffer: fixture('hangzhou-policy-notice') },
      { name: 'scan-001.pdf.txt', mimeType: 'text/plain', buffer: binary },
    ]);
    const message = page.locator('[data-testid=pl-import-message]');
    await message.waitFor();
    await expect(message.textContent()).resolves.toContain('scan-001.pdf.txt');
    expect(await page.locator('[data-testid=pl-plan]').count()).toBe(before);
    await page.screenshot({ path: screenshotPath('library-import-failed') });
    await page.close();
  });

  it('imports GBK, Big5 and HTML files at once (a known document updates its plan), then exports everything', async () => {
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/library.html`);
    await page.locator('[data-testid=pl-plan]').first().waitFor();
    const before = await page.locator('[data-testid=pl-plan]').count();
    // The national 纲要 notice as GBK text and a Traditional notice as Big5, plus an HTML page.
    const outline = fs.readFileSync(path.join(PAGES_DIR, 'govcn-big-data-action-outline/source.html'), 'utf8');
    const traditional = fs.readFileSync(path.join(PAGES_DIR, 'beijing-traditional-notice/source.html'), 'utf8');
    await page.locator('[data-testid=pl-import-input]').setInputFiles([
      { name: 'outline-gbk.html', mimeType: 'text/html', buffer: Buffer.from(encodeLegacy(outline.replace('charset="utf-8"', 'charset="gbk"'), 'gb18030').bytes) },
      { name: 'notice-big5.html', mimeType: 'text/html', buffer: Buffer.from(encodeLegacy(traditional.replace(/charset="?utf-8"?/i, 'charset="big5"'), 'big5').bytes) },
      { name: 'hangzhou.html', mimeType: 'text/html', buffer: fixture('hangzhou-policy-notice') },
    ]);
    const message = page.locator('[data-testid=pl-import-message]');
    await message.waitFor();
    await expect(message.textContent()).resolves.toMatch(/3/);
    // The Big5 page is seed 000's notice (京政發〔2016〕57號): it updates that plan instead of adding one.
    await expect.poll(() => page.locator('[data-testid=pl-plan]').count()).toBe(before + 2);
    await expect(page.locator('[data-testid=pl-plan]', { hasText: '国务院关于印发促进大数据发展行动纲要的通知' }).count()).resolves.toBe(1);
    await page.screenshot({ path: screenshotPath('library-imported') });

    const exported = await askBackground<{ format: string; plans: unknown[] }>(page, { type: 'exportLibrary' });
    expect(exported.format).toBe('policy-lens-library');
    expect(exported.plans).toHaveLength(before + 2);
    await page.close();
  });
});
