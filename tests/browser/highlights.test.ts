// Highlights in Chromium with the built extension: a selection across a <b> boundary and two paragraphs
// highlighted from the floating toolbar, back after a reload and after the page's markup changed, live in a
// second tab, in the reader page and the popup list; notes and tags; an unsaved page saved first; the
// context-menu/shortcut message; W3C JSON exported and re-imported without duplicates. Screenshots saved.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath, type ExtensionBrowser } from '../support/browser';
import type { PageServer } from '../support/server';
import { withExtensionAndServer } from '../support/extension-suite';
import { askBackground, extensionPage, openWithPanel, painted, seedPage, serveFixture, squash, waitPainted } from '../support/extension-pages';

let browser: ExtensionBrowser;
let server: PageServer;
withExtensionAndServer((b, s) => {
  browser = b;
  server = s;
});

interface Row {
  id: string;
  planId: string;
  quote: string;
  note: string;
  tags: string[];
  color: string;
  clauseId: string | null;
}
interface Listing {
  highlights: Row[];
  plans: Record<string, { title: string | null }>;
}

/** Seed 001 on 首都之窗 with a bold run inside 融合创新 (the selection starts inside it). */
const seed001 = seedPage('001');
const BOLD_HTML = seed001.html.replace('融合创新。充分发挥首都', '融合创新。<b>充分发挥首都</b>');
/** The same page re-templated: every paragraph in two wrapper divs, and a paragraph inserted before the body. */
const VARIANT_HTML = BOLD_HTML.replace(/<p>/g, '<div class="wrap"><div class="inner"><p>')
  .replace(/<\/p>/g, '</p></div></div>')
  .replace('id="mainText">', 'id="mainText">\n<p>【更新说明】本页于近日按新版式重新发布，正文内容不变。</p>');

const host001 = new URL(seed001.url).host;
const url001 = () => server.url(host001, seed001.path);

/**
 * Selects from 2 characters into the <b> of 融合创新 to 4 characters into the next paragraph (完善机制),
 * as a reader's drag would, then lets the page see the mouse come up.
 */
async function selectAcrossBold(page: Page): Promise<void> {
  await page.evaluate(() => {
    const ps = Array.from(document.querySelectorAll('#mainText p'));
    const a = ps.find((p) => p.textContent!.startsWith('融合创新。'))!;
    const b = ps.find((p) => p.textContent!.startsWith('完善机制。'))!;
    getSelection()!.setBaseAndExtent(a.querySelector('b')!.firstChild!, 2, b.firstChild!, 4);
    document.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
  });
}

/** What the page's main world sees in CSS.highlights for our colour: number of ranges and their text. */
const hostData = (page: Page, key: string) =>
  page.evaluate((k) => (document.querySelector('div[data-policy-lens=overlay]') as HTMLElement | null)?.dataset[k] ?? null, key);

describe('highlights on a policy page', () => {
  let planId = '';
  let highlightId = '';

  it('highlights a selection across a <b> boundary and two paragraphs from the floating button', async () => {
    server.set(seed001.path, { body: BOLD_HTML });
    const page = await openWithPanel(browser, url001());
    await selectAcrossBold(page);
    const toolbar = page.locator('[data-testid=pl-hl-toolbar][data-mode=create]');
    await toolbar.waitFor();
    // The button sits by the selection (inside our shadow root), not at some fixed place.
    const box = (await toolbar.boundingBox())!;
    const sel = await page.evaluate(() => {
      const rects = getSelection()!.getRangeAt(0).getClientRects();
      const r = rects[rects.length - 1];
      return { left: r.left, bottom: r.bottom, top: r.top };
    });
    expect(Math.abs(box.y - (sel.bottom + 8)) < 4 || box.y + box.height <= sel.top).toBe(true);
    await page.screenshot({ path: screenshotPath('highlights-toolbar') });
    await page.locator('[data-testid=pl-hl-create]').click();
    await waitPainted(page, 1);

    const paint = await painted(page);
    // One range per block piece: the end of 融合创新 and the start of 完善机制.
    expect(paint.ranges).toBe(2);
    expect(paint.text).toContain('发挥首都互联网人才');
    expect(paint.text.split('|')[1]).toBe('完善机制');

    const ext = await extensionPage(browser);
    const { highlights, plans } = await askBackground<Listing>(ext, { type: 'listHighlights', query: {}, limit: 50 });
    await ext.close();
    expect(highlights).toHaveLength(1);
    const h = highlights[0];
    expect(squash(h.quote).startsWith('发挥首都互联网人才')).toBe(true);
    expect(h.quote.endsWith('完善机制')).toBe(true);
    expect(h.quote).toContain('\n');
    expect(h.color).toBe('yellow');
    expect(plans[h.planId]?.title).toBe('北京市人民政府关于积极推进“互联网+”行动的实施意见');
    expect(h.clauseId).toBe('1.2'); // 一、 → (二)基本原则
    planId = h.planId;
    highlightId = h.id;

    // The editor opened for the new highlight: a note and tags.
    const editor = page.locator('[data-testid=pl-hl-editor]');
    await editor.waitFor();
    await editor.locator('[data-testid=pl-hl-note]').fill('融合创新与机制障碍：<b>对照</b>本区方案');
    await editor.locator('[data-testid=pl-hl-tags]').fill('互联网+，重点');
    await page.screenshot({ path: screenshotPath('highlights-editor') });
    await editor.locator('[data-testid=pl-hl-save]').click();
    await editor.waitFor({ state: 'detached' });
    await page.close();
  });

  it('is painted again after a reload, and its note was saved as text', async () => {
    const page = await openWithPanel(browser, url001());
    await waitPainted(page, 1);
    const paint = await painted(page);
    expect(paint.ranges).toBe(2);
    expect(paint.text).toContain('发挥首都互联网人才');
    // Clicking the painted text opens its editor with the note as typed (text, not markup).
    const hit = await page.evaluate(() => {
      const h = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get('policy-lens-hl-yellow')!;
      const r = Array.from(h)[1].getClientRects()[0];
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    });
    await page.mouse.click(hit.x, hit.y);
    const editor = page.locator('[data-testid=pl-hl-editor]');
    await editor.waitFor();
    await expect(editor.locator('[data-testid=pl-hl-note]').inputValue()).resolves.toBe('融合创新与机制障碍：<b>对照</b>本区方案');
    await expect(editor.locator('[data-testid=pl-hl-tags]').inputValue()).resolves.toBe('互联网+ 重点');
    await page.screenshot({ path: screenshotPath('highlights-reloaded-editor') });
    // The drawer lists it with its note as text.
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=pl-hl-drawer-toggle]').click();
    const item = page.locator('[data-testid=pl-hl-item]');
    await expect(item.count()).resolves.toBe(1);
    await expect(item.locator('[data-testid=pl-hl-item-note]').textContent()).resolves.toBe('融合创新与机制障碍：<b>对照</b>本区方案');
    expect(await page.locator('[data-testid=pl-hl-item] b').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('highlights-drawer') });
    await page.close();
  });

  it('is back when the page markup changed (wrapper divs, a paragraph inserted before it)', async () => {
    server.set(seed001.path, { body: VARIANT_HTML });
    const page = await openWithPanel(browser, url001());
    expect(await page.locator('#mainText .wrap .inner p').count()).toBeGreaterThan(20);
    await waitPainted(page, 1);
    const paint = await painted(page);
    expect(paint.ranges).toBe(2);
    expect(squash(paint.text.split('|')[0]).startsWith('发挥首都互联网人才')).toBe(true);
    expect(paint.text.split('|')[1]).toBe('完善机制');
    expect(await hostData(page, 'highlightsOrphaned')).toBe('0');
    await page.evaluate(() => document.querySelector('#mainText b')!.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: screenshotPath('highlights-variant-markup') });
    await page.close();
    server.set(seed001.path, { body: BOLD_HTML });
  });

  it('a highlight that cannot be placed any more is listed as orphaned with its text and note', async () => {
    // The passage reworded beyond recognition on the page.
    const changed = BOLD_HTML.replace(/融合创新。<b>充分发挥首都<\/b>[^<]*/, '融合创新。本段已删除。').replace(/完善机制。[^<]*/, '机制另行规定。');
    server.set(seed001.path, { body: changed });
    const page = await openWithPanel(browser, url001());
    await page.waitForFunction(() => (document.querySelector('div[data-policy-lens=overlay]') as HTMLElement | null)?.dataset.highlightsOrphaned === '1');
    expect(await hostData(page, 'highlights')).toBe('0');
    await page.locator('[data-testid=pl-hl-drawer-toggle]').click();
    const orphans = page.locator('[data-testid=pl-hl-orphans]');
    await orphans.waitFor();
    await expect(orphans.locator('[data-testid=pl-hl-quote]').textContent()).resolves.toContain('发挥首都互联网人才');
    await expect(orphans.locator('[data-testid=pl-hl-item-note]').textContent()).resolves.toContain('对照');
    await page.screenshot({ path: screenshotPath('highlights-orphaned') });
    await page.close();
    server.set(seed001.path, { body: BOLD_HTML });
  });

  it('shows in the reader page as marks, with the list beside the panel', async () => {
    const ext = await extensionPage(browser);
    await ext.goto(`chrome-extension://${browser.extensionId}/reader.html#plan=${planId}`);
    await ext.locator('[data-testid=pl-reader-doc]').waitFor();
    const marks = ext.locator(`[data-testid=pl-hl-mark][data-highlight-id="${highlightId}"]`);
    await marks.first().waitFor();
    const text = squash((await marks.allTextContents()).join(''));
    expect(text.startsWith('发挥首都互联网人才')).toBe(true);
    expect(text.endsWith('完善机制')).toBe(true);
    expect(await ext.locator('mark.pl-hl-yellow').count()).toBeGreaterThanOrEqual(2);
    await ext.locator('[data-testid=pl-hl-drawer-toggle]').click();
    await expect(ext.locator('[data-testid=pl-hl-item]').count()).resolves.toBe(1);
    await marks.first().scrollIntoViewIfNeeded();
    await ext.screenshot({ path: screenshotPath('highlights-reader') });
    // Recolouring in the reader's editor reaches the library.
    await marks.first().click();
    await ext.locator('[data-testid=pl-hl-editor] [data-testid=pl-hl-swatch][data-color=blue]').click();
    await ext.waitForFunction((id) => document.querySelector(`mark.pl-hl-blue[data-highlight-id="${id}"]`), highlightId);
    await ext.locator('[data-testid=pl-hl-editor] [data-testid=pl-hl-swatch][data-color=yellow]').click();
    await ext.waitForFunction((id) => document.querySelector(`mark.pl-hl-yellow[data-highlight-id="${id}"]`), highlightId);
    await ext.close();
  });

  it('updates a second tab showing the same plan without a reload', async () => {
    const a = await openWithPanel(browser, url001());
    const b = await openWithPanel(browser, url001());
    await waitPainted(a, 1);
    await waitPainted(b, 1);
    await a.bringToFront();
    const want = await a.evaluate(() => {
      const p = Array.from(document.querySelectorAll('#mainText p')).find((x) => x.textContent!.startsWith('安全可控。'))!;
      const t = p.firstChild as Text;
      getSelection()!.setBaseAndExtent(t, 5, t, 17);
      document.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
      return t.data.slice(5, 17);
    });
    await a.locator('[data-testid=pl-hl-swatch][data-color=green]').click();
    await waitPainted(a, 2);
    await waitPainted(b, 2);
    expect((await painted(a, 'green')).text).toBe(want);
    expect((await painted(b, 'green')).text).toBe(want);
    await b.screenshot({ path: screenshotPath('highlights-second-tab') });
    // Deleting it from the second tab's editor removes it from the first.
    await b.bringToFront();
    const hit = await b.evaluate(() => {
      const h = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get('policy-lens-hl-green')!;
      const r = Array.from(h)[0];
      r.startContainer.parentElement!.scrollIntoView({ block: 'center' });
      const rect = r.getClientRects()[0];
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    });
    await b.mouse.click(hit.x, hit.y);
    await b.locator('[data-testid=pl-hl-delete]').click();
    await waitPainted(b, 1);
    await waitPainted(a, 1);
    expect((await painted(a, 'green')).ranges).toBe(0);
    await a.close();
    await b.close();
  });

  it('the context-menu/shortcut message highlights the current selection', async () => {
    const page = await openWithPanel(browser, url001());
    await waitPainted(page, 1);
    await page.evaluate(() => {
      const p = Array.from(document.querySelectorAll('#mainText p')).find((x) => x.textContent!.startsWith('服务大局。'))!;
      const t = p.firstChild!;
      getSelection()!.setBaseAndExtent(t, 0, t, 4);
    });
    // What the background sends the tab on the menu click or Alt+Shift+H.
    const ext = await extensionPage(browser);
    const sent = await ext.evaluate(async (u) => {
      const c = (globalThis as unknown as {
        chrome: { tabs: { query(q: object): Promise<Array<{ id: number; url: string }>>; sendMessage(id: number, m: unknown): Promise<unknown> } };
      }).chrome;
      const tabs = await c.tabs.query({});
      const tab = tabs.find((t) => t.url === u)!;
      return c.tabs.sendMessage(tab.id, { type: 'highlight-selection' });
    }, page.url());
    expect(sent).toEqual({ ok: true });
    await waitPainted(page, 2);
    const { highlights } = await askBackground<Listing>(ext, { type: 'listHighlights', query: { text: '服务大局' }, limit: 10 });
    expect(highlights.map((h) => h.quote)).toEqual(['服务大局']);
    await askBackground(ext, { type: 'deleteHighlight', id: highlights[0].id });
    await waitPainted(page, 1);
    await ext.close();
    await page.close();
  });

  it('highlighting a page that is not saved yet saves it first', async () => {
    const page = await openWithPanel(browser, serveFixture(server, 'govcn-big-data-action-outline'));
    await expect(page.locator('[data-testid=pl-save]').getAttribute('data-state')).resolves.toBe('idle');
    await page.evaluate(() => {
      const p = Array.from(document.querySelectorAll('p')).find((x) => x.textContent!.includes('（二）大数据成为重塑国家竞争优势的新机遇'))!;
      const t = Array.from(p.childNodes).find((n) => n.nodeType === 3 && n.textContent!.includes('新机遇'))! as Text;
      const at = t.data.indexOf('大数据成为重塑');
      getSelection()!.setBaseAndExtent(t, at, t, at + '大数据成为重塑国家竞争优势的新机遇'.length);
      document.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
    });
    await page.locator('[data-testid=pl-hl-swatch][data-color=pink]').click();
    await waitPainted(page, 1);
    await page.waitForFunction(
      () => document.querySelector('div[data-policy-lens=overlay]')?.shadowRoot?.querySelector('[data-testid=pl-save]')?.getAttribute('data-state') === 'saved',
    );
    expect((await painted(page, 'pink')).text).toBe('大数据成为重塑国家竞争优势的新机遇');
    await page.screenshot({ path: screenshotPath('highlights-unsaved-page') });
    await page.close();
  });
});

describe('highlights in the popup', () => {
  it('lists every highlight, filters, opens the reader, exports W3C JSON and re-imports it without duplicates', async () => {
    const popup = await browser.context.newPage();
    await popup.setViewportSize({ width: 440, height: 640 });
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await popup.locator('[data-testid=pl-tab-highlights]').click();
    const items = popup.locator('[data-testid=pl-hl-item]');
    await expect.poll(() => items.count(), { timeout: 10_000 }).toBe(2);
    const texts = (await items.allTextContents()).join('\n');
    expect(texts).toContain('大数据成为重塑国家竞争优势的新机遇');
    expect(texts).toContain('对照');
    await popup.screenshot({ path: screenshotPath('highlights-popup') });

    // Filters: a tag, a colour, and a Traditional-script search for Simplified text (the library folds script).
    const shown = async () => (await items.allTextContents()).map((t) => (t.includes('新机遇') ? 'govcn' : t.includes('发挥首都') ? '001' : t));
    await popup.locator('[data-testid=pl-hl-filter-tag]').selectOption('重点');
    await expect.poll(shown).toEqual(['001']);
    await popup.locator('[data-testid=pl-hl-filter-tag]').selectOption('');
    await expect.poll(() => items.count()).toBe(2);
    await popup.locator('[data-testid=pl-hl-filter-color][data-color=pink]').click();
    await expect.poll(shown).toEqual(['govcn']);
    await popup.locator('[data-testid=pl-hl-filter-color][data-color=pink]').click();
    await expect.poll(() => items.count()).toBe(2);
    await popup.locator('[data-testid=pl-hl-search]').fill('發揮首都');
    await expect.poll(shown).toEqual(['001']);
    await popup.screenshot({ path: screenshotPath('highlights-popup-search') });

    // Export as a file through <a download>.
    const [download] = await Promise.all([popup.waitForEvent('download'), popup.locator('[data-testid=pl-hl-export-w3c]').click()]);
    expect(download.suggestedFilename()).toMatch(/^policy-lens-highlights-\d{4}-\d{2}-\d{2}\.jsonld$/);
    const file = await download.path();
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(json['@context']).toBe('http://www.w3.org/ns/anno.jsonld');
    expect(json.type).toBe('AnnotationCollection');
    expect(json.first.items).toHaveLength(2);
    const anno = json.first.items.find((a: { body?: unknown[] }) => a.body);
    expect(anno.type).toBe('Annotation');
    expect(anno.body).toEqual(
      expect.arrayContaining([
        { type: 'TextualBody', value: '融合创新与机制障碍：<b>对照</b>本区方案', purpose: 'commenting', format: 'text/plain' },
        { type: 'TextualBody', value: '重点', purpose: 'tagging' },
      ]),
    );
    expect(anno.target.source).toMatch(/^http:\/\/www\.beijing\.gov\.cn:\d+\//);
    expect(anno.target.selector.map((s: { type: string }) => s.type)).toEqual(['TextQuoteSelector', 'TextPositionSelector']);

    // Markdown too.
    const [md] = await Promise.all([popup.waitForEvent('download'), popup.locator('[data-testid=pl-hl-export-md]').click()]);
    const markdown = fs.readFileSync(await md.path(), 'utf8');
    expect(markdown).toContain('## 北京市人民政府关于积极推进“互联网+”行动的实施意见');
    expect(markdown).toContain('\\<b\\>对照\\</b\\>');

    // Re-import the W3C file through the file input: nothing is added.
    await popup.locator('[data-testid=pl-hl-import-file]').setInputFiles(file);
    const status = popup.locator('[data-testid=pl-hl-note-status]');
    await expect.poll(() => status.textContent()).toContain('新增 0 条');
    await popup.locator('[data-testid=pl-hl-search]').fill('');
    await expect.poll(() => items.count()).toBe(2);
    const all = await askBackground<Listing>(popup, { type: 'listHighlights', query: {}, limit: 100 });
    expect(all.highlights).toHaveLength(2);
    await popup.screenshot({ path: screenshotPath('highlights-popup-imported') });

    // A highlight opens the reader at its clause.
    await popup.locator('[data-testid=pl-hl-search]').fill('发挥首都');
    await expect.poll(() => items.count()).toBe(1);
    const [reader] = await Promise.all([browser.context.waitForEvent('page'), items.first().locator('[data-testid=pl-hl-jump]').click()]);
    await reader.waitForURL(/reader\.html#plan=.+&clause=1\.2/);
    await reader.locator('[data-testid=pl-hl-mark]').first().waitFor();
    await reader.close();
    if (!popup.isClosed()) await popup.close();
  });
});
