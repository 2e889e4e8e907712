// The built extension detects policy pages in Chromium: seed pages in their sites' templates get the badge,
// a news page on a gov.cn host does not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { launchWithExtension, screenshotPath, type ExtensionBrowser } from '../support/browser';
import { startPageServer, type PageServer } from '../support/server';
import { pageForSeed } from '../../scripts/site-templates';
import { PAGES_DIR, SEEDS_DIR } from '../support/paths';

let browser: ExtensionBrowser;
let server: PageServer;
const seedPages = fs
  .readdirSync(SEEDS_DIR)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => pageForSeed(f, fs.readFileSync(path.join(SEEDS_DIR, f), 'utf8')));

beforeAll(async () => {
  server = await startPageServer();
  for (const p of seedPages) server.set(p.path, { body: p.html });
  const news = fs.readFileSync(path.join(PAGES_DIR, 'beijing-news-meeting/source.html'), 'utf8');
  server.set('/news.html', { body: news });
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('detection badge in Chromium', () => {
  for (const p of seedPages) {
    it(`${p.path} on ${new URL(p.url).host}`, async () => {
      const page = await browser.context.newPage();
      await page.goto(server.url(new URL(p.url).host, p.path));
      const root = page.locator('div[data-policy-lens=badge]');
      await root.waitFor({ state: 'attached', timeout: 10_000 });
      expect(await root.getAttribute('data-kind')).toBe(/\/003-/.test(p.path) ? 'interpretation' : 'policy');
      expect(await root.getAttribute('data-site')).toBe(p.site);
      await page.screenshot({ path: screenshotPath(`detect-${path.basename(p.path, '.html')}`) });
      await page.close();
    });
  }

  it('a news page on www.beijing.gov.cn gets no badge', async () => {
    const page = await browser.context.newPage();
    await page.goto(server.url('www.beijing.gov.cn', '/news.html'));
    // The content script runs at document_idle; wait for it to have had its chance.
    await page.waitForLoadState('load');
    await page.waitForTimeout(500);
    expect(await page.locator('div[data-policy-lens=badge]').count()).toBe(0);
    await page.close();
  });
});
