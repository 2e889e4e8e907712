// The built Firefox (MV3) extension in Firefox ESR, driven over WebDriver BiDi: seed pages in their sites'
// templates get the badge and the overlay with their metadata, the library page lists the seeds, a news
// page gets nothing. Skipped where no Firefox is installed. Each test saves a screenshot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findFirefox, launchFirefox, type FirefoxBidi } from '../support/firefox-bidi';
import { screenshotPath } from '../support/browser';
import { startPageServer, type PageServer } from '../support/server';
import { seedPage, serveFixture, serveSeed } from '../support/extension-pages';
import { PAGES_DIR } from '../support/paths';

const ROOT = path.resolve(__dirname, '../..');
const EXT_DIR = path.join(ROOT, '.output/firefox-mv3');
const FIREFOX = findFirefox();
// A fixed moz-extension:// host, so the test knows where the library page is.
const EXT_UUID = '6f1d2c3b-4a5e-4f60-8b7c-9d0e1f2a3b4c';
const SEEDS = ['000', '001', '002', '003', '004'];

let fx: FirefoxBidi;
let server: PageServer;
let extensionId: string;
/** A private copy of the build: Firefox reads a temporarily installed directory while it runs, and another build may replace .output meanwhile. */
let extensionCopy: string | undefined;
/** Errors Firefox logged in our pages (page scripts and the extension's content scripts). */
const loggedErrors: Array<{ context: string; text: string }> = [];

/** The overlay's shadow root, as page script sees it (the root is open). */
const OVERLAY = `document.querySelector('div[data-policy-lens=overlay]')?.shadowRoot`;
/** The reader page's panel host (an extension page: no page script to dodge, it keeps its own element). */
const READER_OVERLAY = `document.querySelector('policy-lens-overlay')?.shadowRoot`;

async function openTab(url: string): Promise<string> {
  const tab = await fx.newTab();
  await fx.navigate(tab, url);
  return tab;
}

/** Waits for the panel and for its library lookup (no citation pending any more), like the Chromium helper. */
async function waitForPanel(tab: string): Promise<void> {
  await fx.waitFor(tab, `return !!${OVERLAY}?.querySelector('[data-testid=pl-metadata]')`, 'the overlay panel', 20_000);
  await fx.waitFor(
    tab,
    `return Array.from(${OVERLAY}.querySelectorAll('[data-testid=pl-citation]')).every((e) => e.getAttribute('data-state') !== 'pending')`,
    'the library lookup',
  );
}

async function saveScreenshot(tab: string, name: string): Promise<void> {
  fs.writeFileSync(screenshotPath(`firefox-${name}`), await fx.screenshot(tab));
}

interface PanelState {
  metadata: string;
  outlineItems: number;
  collapsed: string | null;
  width: number;
  badgeHidden: boolean | null;
}

const readPanel = (tab: string) =>
  fx.evaluate<PanelState>(
    tab,
    `const root = ${OVERLAY};
     const panel = root.querySelector('[data-testid=pl-panel]');
     return {
       metadata: root.querySelector('[data-testid=pl-metadata]')?.textContent ?? '',
       outlineItems: root.querySelectorAll('[data-testid=pl-outline-item]').length,
       collapsed: panel.getAttribute('data-collapsed'),
       width: panel.getBoundingClientRect().width,
       badgeHidden: document.querySelector('div[data-policy-lens=badge]')?.shadowRoot?.querySelector('.badge')?.hidden ?? null,
     };`,
  );

/** Clicks an element of the overlay with the mouse, at its centre. */
async function clickInOverlay(tab: string, selector: string): Promise<void> {
  const r = await fx.evaluate<{ x: number; y: number }>(
    tab,
    `const r = ${OVERLAY}.querySelector(${JSON.stringify(selector)}).getBoundingClientRect();
     return { x: r.left + r.width / 2, y: r.top + r.height / 2 };`,
  );
  await fx.click(tab, r.x, r.y);
}

describe.skipIf(!FIREFOX)(`Firefox: the built extension over WebDriver BiDi (${FIREFOX ?? 'skipped: no /usr/bin/firefox-esr or /usr/bin/firefox'})`, () => {
  beforeAll(async () => {
    // Always the current sources: the Chromium build step does not build for Firefox.
    try {
      execSync('npx wxt build -b firefox --mv3', { cwd: ROOT, stdio: 'pipe' });
    } catch (e) {
      throw new Error(`Firefox build failed:\n${String((e as { stdout?: Buffer }).stdout ?? e)}`);
    }
    const manifest = JSON.parse(fs.readFileSync(path.join(EXT_DIR, 'manifest.json'), 'utf8'));
    const geckoId: string = manifest.browser_specific_settings.gecko.id;

    server = await startPageServer();
    server.set('/news.html', { body: fs.readFileSync(path.join(PAGES_DIR, 'beijing-news-meeting/source.html')) });
    fx = await launchFirefox({
      executable: FIREFOX!,
      allowSystemAccess: true,
      prefs: {
        // Every host name resolves to the local page server, so the content script sees www.beijing.gov.cn.
        'network.dns.forceResolve': '127.0.0.1',
        'extensions.webextensions.uuids': JSON.stringify({ [geckoId]: EXT_UUID }),
        'intl.accept_languages': 'zh-CN, zh',
        // No favicon requests (a strict-CSP page would log their blocking).
        'browser.chrome.site_icons': false,
      },
    });
    await fx.subscribe(['log.entryAdded'], (_method, params) => {
      if (params.level !== 'error') return;
      loggedErrors.push({ context: String((params.source as { context?: string })?.context), text: String(params.text) });
    });
    extensionCopy = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-lens-firefox-ext-'));
    fs.cpSync(EXT_DIR, extensionCopy, { recursive: true });
    extensionId = await fx.installExtension(extensionCopy);
    expect(extensionId).toBe(geckoId);
  }, 180_000);

  afterAll(async () => {
    await fx?.close();
    await server?.close();
    if (extensionCopy) fs.rmSync(extensionCopy, { recursive: true, force: true });
  });

  it('seed 001 on www.beijing.gov.cn: the badge, then the overlay with its metadata and outline', async () => {
    const tab = await openTab(serveSeed(server, '001'));
    const badge = await fx.waitFor<{ kind: string; site: string; text: string }>(
      tab,
      `const host = document.querySelector('div[data-policy-lens=badge]');
       return host && { kind: host.dataset.kind, site: host.dataset.site, text: host.shadowRoot.querySelector('.badge').textContent };`,
      'the detection badge',
    );
    expect(badge).toEqual({ kind: 'policy', site: 'beijing', text: '政策透镜 · 政策文件首都之窗' });
    await waitForPanel(tab);
    const panel = await readPanel(tab);
    expect(panel.metadata).toContain('北京市人民政府关于积极推进“互联网+”行动的实施意见');
    expect(panel.metadata).toContain('京政发〔2016〕4号');
    expect(panel.metadata).toContain('2016-01-09');
    expect(panel.metadata).toContain('北京市人民政府');
    // The same outline as in Chromium's reader page for this seed.
    expect(panel.outlineItems).toBe(39);
    // Styled (constructed sheets in the shadow root) and replacing the badge.
    expect(panel.width).toBeGreaterThan(300);
    expect(panel.badgeHidden).toBe(true);
    await saveScreenshot(tab, 'overlay-001');
    await fx.closeTab(tab);
  });

  it('seed 000 (Traditional script) shows 京政发〔2016〕57号 and its 28 outline entries', async () => {
    const tab = await openTab(serveSeed(server, '000'));
    await waitForPanel(tab);
    const panel = await readPanel(tab);
    expect(panel.metadata).toContain('京政发〔2016〕57号');
    expect(panel.metadata).toContain('2016-12-01');
    expect(panel.outlineItems).toBe(28);
    await saveScreenshot(tab, 'overlay-000');
    await fx.closeTab(tab);
  });

  for (const prefix of SEEDS) {
    const p = seedPage(prefix);
    it(`detects seed ${prefix} on ${new URL(p.url).host} as ${prefix === '003' ? 'an interpretation' : 'a policy'}`, async () => {
      const tab = await openTab(serveSeed(server, prefix));
      const found = await fx.waitFor<{ kind: string; site: string }>(
        tab,
        `const host = document.querySelector('div[data-policy-lens=badge]');
         return host && { kind: host.dataset.kind, site: host.dataset.site };`,
        'the detection badge',
      );
      expect(found).toEqual({ kind: prefix === '003' ? 'interpretation' : 'policy', site: p.site });
      await saveScreenshot(tab, `detect-${path.basename(p.path, '.html')}`);
      await fx.closeTab(tab);
    });
  }

  it('collapsing the panel with the mouse is remembered for the site after a reload', async () => {
    const url = serveSeed(server, '001');
    const tab = await openTab(url);
    await waitForPanel(tab);
    expect((await readPanel(tab)).collapsed).toBe('false');
    await clickInOverlay(tab, '[data-testid=pl-toggle]');
    await fx.waitFor(tab, `return ${OVERLAY}.querySelector('[data-testid=pl-panel]').dataset.collapsed === 'true'`, 'the panel to collapse');
    await fx.navigate(tab, url);
    // The collapsed tab has no metadata card: wait for the panel itself.
    await fx.waitFor(tab, `return !!${OVERLAY}?.querySelector('[data-testid=pl-panel]')`, 'the panel after reload', 20_000);
    // The overlay reads the stored state (storage.local) after its first render.
    await fx.waitFor(tab, `return ${OVERLAY}.querySelector('[data-testid=pl-panel]').dataset.collapsed === 'true'`, 'the remembered collapsed state');
    await saveScreenshot(tab, 'overlay-collapsed');
    // Expand again, so later pages on this site show the full panel.
    await clickInOverlay(tab, '[data-testid=pl-toggle]');
    await fx.waitFor(tab, `return ${OVERLAY}.querySelector('[data-testid=pl-panel]').dataset.collapsed === 'false'`, 'the panel to expand');
    await fx.closeTab(tab);
  });

  it('works on a page with a strict Content-Security-Policy, without any CSP violation of its own', async () => {
    // The template's own inline <style> and <script> removed: whatever the CSP blocks then is ours.
    const html = seedPage('004').html.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<script[\s\S]*?<\/script>/g, '');
    server.set('/csp/strict.html', {
      body: html,
      headers: { 'content-security-policy': "default-src 'none'; style-src 'none'; script-src 'none'; img-src 'none'" },
    });
    const tab = await openTab(server.url('www.shenyang.gov.cn', '/csp/strict.html'));
    await waitForPanel(tab);
    const panel = await readPanel(tab);
    expect(panel.metadata).toContain('沈政办发〔2016〕23号');
    expect(panel.width).toBeGreaterThan(300);
    // The badge's <style> in its shadow root applies too (it is what shows if the overlay cannot load).
    const badge = await fx.evaluate<{ position: string; background: string }>(
      tab,
      `const s = getComputedStyle(document.querySelector('div[data-policy-lens=badge]').shadowRoot.querySelector('.badge'));
       return { position: s.position, background: s.backgroundColor };`,
    );
    expect(badge).toEqual({ position: 'fixed', background: 'rgb(180, 35, 42)' });
    expect(loggedErrors.filter((e) => e.context === tab)).toEqual([]);
    await saveScreenshot(tab, 'overlay-strict-csp');
    await fx.closeTab(tab);
  });

  it('the library page lists the five seeds the background stored on install', async () => {
    const tab = await openTab(`moz-extension://${EXT_UUID}/library.html`);
    const titles = await fx.waitFor<string[]>(
      tab,
      `const items = Array.from(document.querySelectorAll('[data-testid=pl-plan]'), (li) => li.textContent);
       return items.length >= 5 && items;`,
      'five plans in the library',
    );
    expect(titles).toHaveLength(5);
    for (const expected of [
      '北京市“十三五”時期信息化發展規劃',
      '北京市人民政府关于积极推进“互联网+”行动的实施意见',
      '上海市大數據',
      '北京市大数据和云计算发展行动计划(2016-2020年)',
      '沈阳市促进大数据发展三年行动计划(2016-2018年)',
    ]) {
      expect(titles.filter((t) => t.includes(expected)), expected).toHaveLength(1);
    }
    expect(titles.join('\n')).toContain('京政发〔2016〕57号');
    expect(titles.join('\n')).toContain('沈政办发〔2016〕23号');
    // Firefox grants an MV3 extension's host_permissions at install (no pref or prompt needed for gov.cn).
    expect(await fx.evaluate(tab, `return browser.permissions.contains({ origins: ['*://*.gov.cn/*'] })`)).toBe(true);
    await saveScreenshot(tab, 'library');
    await fx.closeTab(tab);
  });

  it('a library entry opens in the reader page (mouse click): seed 001 with its outline', async () => {
    const tab = await openTab(`moz-extension://${EXT_UUID}/library.html`);
    const link = await fx.waitFor<{ x: number; y: number }>(
      tab,
      `const li = Array.from(document.querySelectorAll('[data-testid=pl-plan]')).find((e) => e.textContent.includes('京政发〔2016〕4号'));
       const r = li?.querySelector('.pl-link').getBoundingClientRect();
       return r && { x: r.left + 20, y: r.top + r.height / 2 };`,
      'the library entry of seed 001',
    );
    await fx.click(tab, link.x, link.y);
    const reader = await fx.waitFor<{ url: string; h1: string; outline: number }>(
      tab,
      `const h1 = document.querySelector('[data-testid=pl-reader-doc] h1');
       const outline = ${READER_OVERLAY}?.querySelectorAll('[data-testid=pl-outline-item]').length;
       return h1 && outline && { url: location.pathname, h1: h1.textContent, outline };`,
      'the reader page with its panel',
    );
    expect(reader).toEqual({ url: '/reader.html', h1: '北京市人民政府关于积极推进“互联网+”行动的实施意见', outline: 39 });
    await saveScreenshot(tab, 'reader-001');
    await fx.closeTab(tab);
  });

  it('saving a policy page from the overlay (mouse click) adds it to the library', async () => {
    const tab = await openTab(serveFixture(server, 'hangzhou-policy-notice'));
    await waitForPanel(tab);
    expect(await fx.evaluate(tab, `return ${OVERLAY}.querySelector('[data-testid=pl-save]').dataset.state`)).not.toBe('saved');
    await clickInOverlay(tab, '[data-testid=pl-save]');
    await fx.waitFor(tab, `return ${OVERLAY}.querySelector('[data-testid=pl-save]').dataset.state === 'saved'`, 'the page to be saved');
    await saveScreenshot(tab, 'overlay-saved');
    await fx.navigate(tab, `moz-extension://${EXT_UUID}/library.html`);
    const titles = await fx.waitFor<string[]>(
      tab,
      `const items = Array.from(document.querySelectorAll('[data-testid=pl-plan]'), (li) => li.textContent);
       return items.length >= 6 && items;`,
      'six plans in the library',
    );
    expect(titles).toHaveLength(6);
    expect(titles.filter((t) => t.includes('杭州市人民政府办公厅关于印发杭州市促进数字贸易高质量发展若干措施的通知'))).toHaveLength(1);
    await fx.closeTab(tab);
  });

  it('a news page on www.beijing.gov.cn gets no badge (while a seed page in the same tab does)', async () => {
    const tab = await openTab(server.url('www.beijing.gov.cn', '/news.html'));
    // The content script runs at document_idle, after the load navigate waited for; give it its chance.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await fx.evaluate(tab, `return document.querySelectorAll('div[data-policy-lens]').length`)).toBe(0);
    expect(await fx.evaluate(tab, `return document.title`)).toMatch(/会/);
    await saveScreenshot(tab, 'news-no-badge');
    // The same tab and host with a policy page: the content script is active here, so the absence above means something.
    await fx.navigate(tab, serveSeed(server, '003'));
    await fx.waitFor(tab, `return !!document.querySelector('div[data-policy-lens=badge]')`, 'the badge on seed 003');
    await fx.closeTab(tab);
  });

  it('logged no script errors in the pages it ran on', () => {
    expect(loggedErrors).toEqual([]);
  });
});
