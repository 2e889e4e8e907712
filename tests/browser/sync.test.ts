// Highlight sync in Chromium with the built extension: a highlight made on a page lands in storage.sync as this
// browser's packed items; a second browser's items (packed by the real engine in Node) written into storage.sync
// arrive in the library and repaint the open tab without a reload; the popup shows the sync status, including
// "sync storage full" with everything kept locally, and back to synced once space frees. Screenshots saved.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath, type ExtensionBrowser } from '../support/browser';
import type { PageServer } from '../support/server';
import { withExtensionAndServer } from '../support/extension-suite';
import { askBackground, extensionPage, openWithPanel, painted, serveSeed, squash, waitPainted } from '../support/extension-pages';
import { FakeSyncArea, MemoryLocalStore, localEdit } from '../support/fake-sync-area';
import { SyncEngine } from '../../lib/sync/engine';
import { readStorage, manifestKey } from '../../lib/sync/pack';
import { describe as selectorFor } from '../../lib/highlights/selectors';
import type { SyncReport, SyncedHighlight } from '../../lib/sync/types';
import type { HighlightRow } from '../../lib/library/db';
import type { ExtractedDoc } from '../../lib/types';

let browser: ExtensionBrowser;
let server: PageServer;
withExtensionAndServer((b, s) => {
  browser = b;
  server = s;
});

const OTHER_DEVICE = 'd-laptop-at-home';

type Storage = Record<string, unknown>;

/** chrome.storage.sync, read and written from an extension page as the background sees it. */
const syncGet = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { chrome: { storage: { sync: { get(k: null): Promise<Record<string, unknown>> } } } }).chrome.storage.sync.get(null));
const syncSet = (page: Page, items: Storage) =>
  page.evaluate((i) => (globalThis as unknown as { chrome: { storage: { sync: { set(i: unknown): Promise<void> } } } }).chrome.storage.sync.set(i), items);
const syncRemove = (page: Page, keys: string[]) =>
  page.evaluate((k) => (globalThis as unknown as { chrome: { storage: { sync: { remove(k: string[]): Promise<void> } } } }).chrome.storage.sync.remove(k), keys);
const bytesInUse = (page: Page) =>
  page.evaluate(() => (globalThis as unknown as { chrome: { storage: { sync: { getBytesInUse(k: null): Promise<number> } } } }).chrome.storage.sync.getBytesInUse(null));

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeout = 20_000): Promise<T> {
  const until = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('highlight sync through storage.sync', () => {
  let tab: Page;
  let ext: Page;
  let mine: HighlightRow;
  let device = '';
  let theirs = '';

  it("writes this browser's packed items to storage.sync after a highlight is made", async () => {
    tab = await openWithPanel(browser, serveSeed(server, '001'));
    // The reader selects part of the 融合创新 paragraph and highlights it.
    await tab.evaluate(() => {
      const p = Array.from(document.querySelectorAll('#mainText p')).find((e) => e.textContent!.startsWith('融合创新。'))!;
      getSelection()!.setBaseAndExtent(p.firstChild!, 5, p.firstChild!, 30);
      document.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
    });
    await tab.locator('[data-testid=pl-hl-toolbar][data-mode=create]').waitFor();
    await tab.locator('[data-testid=pl-hl-create]').click();
    await waitPainted(tab, 1, 20_000);
    // The editor opens for the new highlight; no note for now.
    await tab.locator('[data-testid=pl-hl-close]').click();
    await tab.locator('[data-testid=pl-hl-editor]').waitFor({ state: 'detached' });

    ext = await extensionPage(browser);
    const listing = await askBackground<{ highlights: HighlightRow[] }>(ext, { type: 'listHighlights', query: {}, limit: 50 });
    expect(listing.highlights).toHaveLength(1);
    mine = listing.highlights[0];

    // After the debounce, the background has pushed: a manifest and an item under this browser's device id.
    const stored = await waitFor('the first push', async () => {
      const all = await syncGet(ext);
      return Object.keys(all).some((k) => k.startsWith('h:')) ? all : null;
    });
    const view = readStorage(stored);
    expect([...view.shards.keys()]).toHaveLength(1);
    device = [...view.shards.keys()][0];
    expect(stored[manifestKey(device)]).toBeTruthy();
    const shard = view.shards.get(device)!;
    expect(shard.consistent).toBe(true);
    expect(shard.states.map((s) => s.id)).toEqual([mine.id]);
    expect(shard.states[0].heads[0]).toMatchObject({ quote: mine.quote, planKey: mine.planKey, deviceId: device });
    expect(await bytesInUse(ext)).toBeLessThanOrEqual(8_192);
  });

  it("another browser's items arrive: the library has them and the open tab repaints without a reload", async () => {
    // The other browser has the same document: a new green highlight with a note, and a note on ours.
    const opened = await askBackground<{ doc: ExtractedDoc }>(ext, { type: 'getPlan', planId: mine.planId });
    const text = opened.doc.text;
    const at = text.indexOf('完善机制。');
    expect(at).toBeGreaterThan(0);
    const sel = selectorFor(text, at + 5, at + 30);
    const now = Date.now();
    theirs = 'hl-from-laptop-1';
    const cloud = new FakeSyncArea();
    const area = cloud.browser('laptop', () => Date.now());
    for (const [k, v] of Object.entries(await syncGet(ext))) area.replica.set(k, JSON.stringify(v));
    const local = new MemoryLocalStore();
    const engine = new SyncEngine(area, local, OTHER_DEVICE);
    await engine.sync(); // it pulls ours first, as a real second browser would
    const ours = local.row(mine.id)!;
    const created: SyncedHighlight = {
      id: theirs, planId: 'plan-on-laptop', planKey: mine.planKey, url: mine.url, ...sel, clauseId: null, color: 'green',
      note: '笔记本上写的：机制障碍清单', tags: ['家里'], createdAt: now, updatedAt: now, deviceId: OTHER_DEVICE, version: 1, deleted: false, orphaned: false,
    };
    await local.upsert([created, localEdit(ours, { note: '笔记本补充：对照本区方案' }, OTHER_DEVICE, now + 1)]);
    const pushed = await engine.sync();
    expect(pushed.status.state).toBe('ok');
    const items = Object.fromEntries(Object.entries(await area.get(null)).filter(([k]) => k === manifestKey(OTHER_DEVICE) || k.startsWith(`h:${OTHER_DEVICE}:`)));
    expect(Object.keys(items).length).toBeGreaterThanOrEqual(2);

    // Sync delivers them to this browser's storage.sync.
    await syncSet(ext, items);

    // The open tab (never reloaded) paints the new highlight in green, and still the old one.
    await waitPainted(tab, 2, 20_000);
    const green = await painted(tab, 'green');
    expect(squash(green.text)).toBe(squash(sel.quote));
    expect((await painted(tab, 'yellow')).ranges).toBeGreaterThan(0);
    await tab.evaluate(() => {
      const p = Array.from(document.querySelectorAll('#mainText p')).find((e) => e.textContent!.startsWith('融合创新。'))!;
      p.scrollIntoView({ block: 'center' });
    });
    await tab.screenshot({ path: screenshotPath('sync-arrived-in-tab') });

    const listing = await askBackground<{ highlights: HighlightRow[] }>(ext, { type: 'listHighlights', query: {}, limit: 50 });
    const byId = new Map(listing.highlights.map((h) => [h.id, h]));
    expect(byId.get(theirs)).toMatchObject({ planId: mine.planId, orphaned: false, color: 'green', note: '笔记本上写的：机制障碍清单', tags: ['家里'] });
    expect(byId.get(mine.id)!.note).toBe('笔记本补充：对照本区方案');

    // Nothing is copied back: the other browser's items hold its states; this browser keeps its own keys.
    const after = readStorage(await syncGet(ext));
    expect([...after.shards.keys()].sort()).toEqual([device, OTHER_DEVICE].sort());
  });

  it('the popup shows the sync status and both highlights', async () => {
    const popup = await browser.context.newPage();
    await popup.setViewportSize({ width: 440, height: 640 });
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await popup.locator('[data-testid=pl-tab-highlights]').click();
    await popup.locator('[data-testid=pl-hl-item]').nth(1).waitFor();
    const line = popup.locator('[data-testid=pl-hl-sync][data-state=ok]');
    await line.waitFor({ timeout: 20_000 });
    expect(await line.locator('[data-testid=pl-hl-sync-main]').textContent()).toBe('已同步到你的其他浏览器');
    expect(await line.locator('[data-testid=pl-hl-sync-detail]').textContent()).toMatch(/^上次同步 \d\d:\d\d$/);
    const status = await askBackground<SyncReport>(ext, { type: 'syncStatus' });
    expect(status).toMatchObject({ state: 'ok', unsynced: 0, devices: 2, bytesQuota: 102_400 });
    expect(status.bytesInUse).toBeGreaterThan(0);
    await popup.screenshot({ path: screenshotPath('sync-popup') });
    await popup.close();
  });

  it('storage full: a clear message, the highlight kept locally, synced again once space frees', async () => {
    // Other extension data fills storage.sync to a few hundred bytes short of its 100 KB.
    const filler: Storage = {};
    let room = 102_400 - (await bytesInUse(ext)) - 400;
    for (let i = 0; room > 200; i++) {
      const key = `zz-other-data-${i}`;
      const n = Math.min(8_000, room) - key.length - 2;
      filler[key] = 'x'.repeat(n);
      room -= n + key.length + 2;
    }
    await syncSet(ext, filler);
    // A long note no longer fits.
    const note = text100('国务院关于积极推进“互联网+”行动的指导意见', 40);
    await askBackground(ext, { type: 'updateHighlight', id: theirs, changes: { note } });
    const popup = await browser.context.newPage();
    await popup.setViewportSize({ width: 440, height: 640 });
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`);
    await popup.locator('[data-testid=pl-tab-highlights]').click();
    const full = popup.locator('[data-testid=pl-hl-sync][data-state=quota-full]');
    await full.waitFor({ timeout: 20_000 });
    expect(await full.getAttribute('role')).toBe('alert');
    expect(await full.locator('[data-testid=pl-hl-sync-main]').textContent()).toBe('同步空间已满：1 条划线只保存在本机');
    await popup.screenshot({ path: screenshotPath('sync-popup-quota-full') });
    // Kept locally, in full.
    const listing = await askBackground<{ highlights: HighlightRow[] }>(ext, { type: 'listHighlights', query: {}, limit: 50 });
    expect(listing.highlights.find((h) => h.id === theirs)!.note).toBe(note);
    expect(await bytesInUse(ext)).toBeLessThanOrEqual(102_400);

    // The other data goes away: the next sync (a storage change wakes it) fits everything again.
    await syncRemove(ext, Object.keys(filler));
    await popup.locator('[data-testid=pl-hl-sync][data-state=ok]').waitFor({ timeout: 20_000 });
    const view = readStorage(await syncGet(ext));
    const held = [...view.shards.values()].flatMap((s) => s.states.filter((x) => x.id === theirs));
    expect(held.some((s) => s.heads[0]?.note === note)).toBe(true);
    await popup.close();
  });
});

/** A long note made of a real title repeated (about 3 bytes a character in storage). */
function text100(title: string, times: number): string {
  return Array.from({ length: times }, (_, i) => `${i + 1}. ${title}`).join('\n');
}
