// The overlay in Chromium with the built extension, on seed pages in their sites' templates: metadata and
// outline, scrolling, citations resolving once their target is saved, related clauses across scripts,
// saving once, the reader page. Each test saves a screenshot.
import { describe, expect, it } from 'vitest';
import { screenshotPath, type ExtensionBrowser } from '../support/browser';
import type { PageServer } from '../support/server';
import { withExtensionAndServer } from '../support/extension-suite';
import { askBackground, extensionPage, openWithPanel, seedPage, serveFixture, serveSeed } from '../support/extension-pages';

let browser: ExtensionBrowser;
let server: PageServer;
withExtensionAndServer((b, s) => {
  browser = b;
  server = s;
});

interface PlanSummary {
  id: string;
  title: string | null;
  docNumberKey: string | null;
}

describe('overlay on policy pages', () => {
  it('shows the metadata card and the clause outline of seed 000 (首都之窗, Traditional)', async () => {
    const page = await openWithPanel(browser, serveSeed(server, '000'));
    const meta = page.locator('[data-testid=pl-metadata]');
    await expect(meta.textContent()).resolves.toContain('京政发〔2016〕57号');
    await expect(meta.textContent()).resolves.toContain('2016-12-01');
    await expect(meta.textContent()).resolves.toContain('北京市人民政府');
    // 7 parts and 21 sections.
    expect(await page.locator('[data-testid=pl-outline-item]').count()).toBe(28);
    await page.screenshot({ path: screenshotPath('overlay-000-panel') });
    await page.close();
  });

  it('clicking an outline entry scrolls the page to that clause', async () => {
    const page = await openWithPanel(browser, serveSeed(server, '001'));
    expect(await page.evaluate(() => scrollY)).toBe(0);
    const items = page.locator('[data-testid=pl-outline-item] .pl-clause');
    await items.nth(30).click();
    await page.waitForFunction(() => scrollY > 500, null, { timeout: 5_000 });
    // Once the smooth scroll settles, the clause read is the one clicked.
    const item = page.locator('[data-testid=pl-outline-item]').nth(30);
    await expect.poll(() => item.locator('.pl-clause').getAttribute('aria-current'), { timeout: 5_000 }).toBe('location');
    await page.screenshot({ path: screenshotPath('overlay-001-scrolled') });
    await page.close();
  });

  it('seed 004 cites 国发〔2015〕50号: unresolved until the target is saved, then resolved', async () => {
    const url004 = serveSeed(server, '004');
    let page = await openWithPanel(browser, url004);
    const cite = () => page.locator('[data-testid=pl-citation]', { hasText: '国发〔2015〕50号' });
    await expect(cite().getAttribute('data-resolved')).resolves.toBe('false');
    await page.screenshot({ path: screenshotPath('overlay-004-unresolved') });
    await page.close();

    // Save the national document from its gov.cn page.
    const target = await openWithPanel(browser, serveFixture(server, 'govcn-big-data-action-outline'));
    const save = target.locator('[data-testid=pl-save]');
    await save.click();
    await target.waitForFunction(
      () => document.querySelector('div[data-policy-lens=overlay]')?.shadowRoot?.querySelector('[data-testid=pl-save]')?.getAttribute('data-state') === 'saved',
    );
    await target.close();

    page = await openWithPanel(browser, url004);
    await expect(cite().getAttribute('data-resolved')).resolves.toBe('true');
    await page.screenshot({ path: screenshotPath('overlay-004-resolved') });
    await page.close();
  });

  it('seed 000 (Traditional) shows seed 003 (Simplified) as a related clause: 公共数据开放单位超过90%', async () => {
    const page = await openWithPanel(browser, serveSeed(server, '000'));
    const items = page.locator('[data-testid=pl-outline-item]');
    const n = await items.count();
    let found = '';
    // Open every clause that has related clauses until 003's press release shows up.
    for (let i = 0; i < n && !found; i++) {
      const item = items.nth(i);
      if ((await item.locator('[data-testid=pl-related-count]').count()) === 0) continue;
      await item.locator('.pl-disclosure').click();
      const related = item.locator('[data-testid=pl-related-item]', { hasText: '90%' });
      if ((await related.count()) > 0 && /大数据和云计算/.test((await related.first().textContent()) ?? '')) {
        found = (await related.first().textContent()) ?? '';
        await item.scrollIntoViewIfNeeded();
      }
    }
    expect(found).toContain('公共数据开放单位超过90%');
    await page.screenshot({ path: screenshotPath('overlay-000-related') });
    await page.close();
  });

  it('saving a page twice keeps one plan in the library', async () => {
    const ext = await extensionPage(browser);
    const before = await askBackground<PlanSummary[]>(ext, { type: 'listPlans', orderBy: 'savedAt', limit: 500 });
    const url = serveFixture(server, 'hangzhou-policy-notice');
    for (let round = 0; round < 2; round++) {
      const page = await openWithPanel(browser, url);
      const save = page.locator('[data-testid=pl-save]');
      if ((await save.getAttribute('data-state')) !== 'saved') {
        await save.click();
        await page.waitForFunction(
          () => document.querySelector('div[data-policy-lens=overlay]')?.shadowRoot?.querySelector('[data-testid=pl-save]')?.getAttribute('data-state') === 'saved',
        );
      }
      await page.close();
    }
    // Saving through the background directly twice as well: still one.
    const after = await askBackground<PlanSummary[]>(ext, { type: 'listPlans', orderBy: 'savedAt', limit: 500 });
    expect(after.length).toBe(before.length + 1);
    await ext.close();
  });

  it('works on a page with a strict Content-Security-Policy', async () => {
    const p = seedPage('001');
    server.set('/csp/strict.html', {
      body: p.html,
      headers: { 'content-security-policy': "default-src 'none'; style-src 'none'; script-src 'none'; img-src 'none'" },
    });
    const page = await openWithPanel(browser, server.url('www.beijing.gov.cn', '/csp/strict.html'));
    const box = await page.locator('[data-testid=pl-panel]').boundingBox();
    expect(box!.width).toBeGreaterThan(300);
    await page.screenshot({ path: screenshotPath('overlay-strict-csp') });
    await page.close();
  });

  it('is not styled by the page: hostile CSS does not reach the panel', async () => {
    const p = seedPage('004');
    const hostile =
      '<style>aside,div,button,ol,li{display:none!important;color:red!important} *{font-size:48px!important;font-family:serif!important}' +
      ' div[data-policy-lens]{display:none!important}</style>';
    server.set('/hostile/styled.html', { body: p.html.replace('</head>', `${hostile}</head>`) });
    const page = await openWithPanel(browser, server.url('www.shenyang.gov.cn', '/hostile/styled.html'));
    const panel = page.locator('[data-testid=pl-panel]');
    expect(await panel.isVisible()).toBe(true);
    const size = await panel.evaluate((el) => getComputedStyle(el).fontSize);
    expect(size).toBe('14px');
    await page.screenshot({ path: screenshotPath('overlay-hostile-css') });
    await page.close();
  });

  it('the reader page shows a saved seed with its panel and marked citations', async () => {
    const ext = await extensionPage(browser);
    const plans = await askBackground<PlanSummary[]>(ext, { type: 'listPlans', orderBy: 'savedAt', limit: 500 });
    const p001 = plans.find((p) => p.docNumberKey === '京政发〔2016〕4号');
    expect(p001).toBeTruthy();
    const clauseId = '2.1';
    await ext.goto(`chrome-extension://${browser.extensionId}/reader.html#plan=${p001!.id}&clause=${clauseId}`);
    await ext.locator('[data-testid=pl-reader-doc]').waitFor();
    await expect(ext.locator('[data-testid=pl-reader-doc] h1').textContent()).resolves.toBe(
      '北京市人民政府关于积极推进“互联网+”行动的实施意见',
    );
    await ext.locator('[data-testid=pl-panel]').waitFor();
    expect(await ext.locator('[data-testid=pl-outline-item]').count()).toBe(39);
    expect(await ext.locator('.pl-cite').count()).toBeGreaterThan(0);
    await ext.waitForTimeout(600);
    await ext.screenshot({ path: screenshotPath('reader-001') });
    await ext.close();
  });
});
