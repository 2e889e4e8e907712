// Background service worker: owns the library (IndexedDB in the extension's origin) and answers requests.
import { checkRequest, senderMayAsk, type Request, type TabMessage } from '@/lib/messages/protocol';
import type { SiteId } from '@/lib/types';
import { openLibrary } from '@/lib/library/db';
import { LibraryService } from '@/lib/background/library-service';
import { searchHooksWith } from '@/lib/background/search-hooks';
import { SyncService } from '@/lib/background/sync-service';
import { storageSyncArea, type StorageAreaLike, type StorageChangedEvent } from '@/lib/background/storage-sync-area';
import type { SyncReport } from '@/lib/sync/types';
import { search } from '@/lib/search/search';
import { compactSearchIndex, ensureSearchIndex, prefetchSearchIndex } from '@/lib/search/index';
import SEED_SITES from '@/seeds/sources.json';

// The seeds ship inside the extension and go through the same pipeline as pages, once.
const SEED_TEXTS = import.meta.glob('/seeds/*.txt', { query: '?raw', import: 'default', eager: true }) as Record<
  string,
  string
>;

let service: Promise<LibraryService> | null = null;

let lastKeepAlive = 0;
/**
 * Chrome stops an idle extension worker after 30 s, and IndexedDB work does not count as activity:
 * a long background merge of the search index calls an extension API now and then (which does).
 */
const compaction = {
  onProgress() {
    if (Date.now() - lastKeepAlive < 10_000) return;
    lastKeepAlive = Date.now();
    void browser.runtime.getPlatformInfo().catch(() => undefined);
  },
};

/** The library, opened (and seeded) on first use: the worker may be stopped and restarted at any time. */
function library(): Promise<LibraryService> {
  service ??= (async () => {
    const db = await openLibrary();
    const svc = new LibraryService(db, searchHooksWith(compaction));
    const seeds = Object.entries(SEED_TEXTS).map(([path, text]) => {
      const name = path.split('/').pop()!;
      return { name, text, site: (SEED_SITES as Record<string, SiteId>)[name] };
    });
    await svc.seed(seeds, browser.runtime.getManifest().version);
    // Missing or from an older version: rebuilt here (the popup answers from a scan meanwhile); then big
    // segments left by saves are merged, and rows of a merge the worker's stop cut short removed.
    void ensureSearchIndex(db)
      .then(() => compactSearchIndex(db, compaction))
      .catch(() => undefined);
    return svc;
  })();
  service.catch(() => (service = null));
  return service;
}

let syncing: Promise<SyncService | null> | null = null;

/**
 * Highlight sync over storage.sync (Chrome and Firefox alike), started with the worker: it follows other
 * browsers' writes, and the first sync picks up whatever arrived while the worker was stopped. Highlights
 * a sync brings in are announced to open tabs like local edits, so they repaint without a reload.
 */
function highlightSync(): Promise<SyncService | null> {
  syncing ??= (async () => {
    const area = browser.storage?.sync as unknown as StorageAreaLike | undefined;
    if (!area) return null;
    const svc = await library();
    const sync = await SyncService.open(svc.db, storageSyncArea(area, browser.storage.onChanged as unknown as StorageChangedEvent), {
      onRemoteChange: (planIds) => void broadcastHighlightsChanged(planIds),
    });
    sync.start();
    return sync;
  })();
  syncing.catch(() => (syncing = null));
  return syncing;
}

/** A highlight changed here: tabs showing its plan repaint, and sync carries it to the other browsers. */
function localHighlightsChanged(planIds: Iterable<string>): void {
  void broadcastHighlightsChanged(planIds);
  void highlightSync()
    .then((s) => s?.requestSync())
    .catch(() => undefined);
}

/**
 * Tells every tab and extension page that a plan's highlights changed; those showing it fetch them again.
 * Tabs without our overlay (or closed meanwhile) refuse the message: that is expected and ignored.
 */
async function broadcastHighlightsChanged(planIds: Iterable<string>): Promise<void> {
  const tabs = await browser.tabs.query({}).catch(() => []);
  for (const planId of new Set(planIds)) {
    const message: TabMessage = { type: 'highlights-changed', planId };
    for (const tab of tabs) if (tab.id != null) void browser.tabs.sendMessage(tab.id, message).catch(() => undefined);
    void browser.runtime.sendMessage(message).catch(() => undefined);
  }
}

const HIGHLIGHT_MENU = 'policy-lens-highlight';

/**
 * Asks a tab's overlay to highlight what is selected (context menu, keyboard shortcut). A page without the
 * overlay yet (not detected as a policy page, or still loading) gets it injected first.
 */
async function highlightSelectionIn(tabId: number, frameId?: number): Promise<void> {
  const message: TabMessage = { type: 'highlight-selection' };
  const target = frameId != null ? { frameId } : undefined;
  try {
    await browser.tabs.sendMessage(tabId, message, target);
  } catch {
    try {
      await browser.scripting.executeScript({
        target: { tabId, frameIds: frameId != null ? [frameId] : undefined },
        files: ['/content-scripts/overlay.js'],
      });
      await browser.tabs.sendMessage(tabId, message, target);
    } catch {
      // Not a page we may script (browser pages, no permission): nothing to highlight.
    }
  }
}

async function handle(request: Request, tabId: number | undefined, frameId: number | undefined): Promise<unknown> {
  switch (request.type) {
    case 'detected': {
      if (tabId == null) return { ok: false };
      const kind = request.detection.kind;
      const text = kind === 'policy' ? '文' : kind === 'interpretation' ? '解' : '';
      await browser.action.setBadgeText({ tabId, text });
      await browser.action.setBadgeBackgroundColor({ tabId, color: '#b4232a' });
      return { ok: true };
    }
    case 'openOverlay':
      if (tabId == null) return { ok: false };
      // The heavy overlay (pipeline, opencc, Preact) is injected only into pages the detector accepted.
      await browser.scripting.executeScript({
        target: { tabId, frameIds: frameId != null ? [frameId] : undefined },
        files: ['/content-scripts/overlay.js'],
      });
      return { ok: true };
    case 'lookup':
      return (await library()).lookup(request.doc);
    case 'save':
      return (await library()).save(request.doc, 'page');
    case 'getPlan':
      return (await library()).open(request.planId);
    case 'listPlans':
      return (await library()).list(request.orderBy, request.limit);
    case 'importItems': {
      const result = await (await library()).import(request.items);
      if (result.highlights) localHighlightsChanged([]);
      return result;
    }
    case 'exportLibrary':
      return (await library()).export();
    case 'search': {
      const svc = await library();
      const answer = await search(svc.db, request.query, { filters: request.filters, limit: request.limit, offset: request.offset });
      // The popup asks with an empty query as it opens (recent plans): load the index's plan tables while the
      // reader types, so the first real query does not pay for them.
      if (!request.query.trim()) void prefetchSearchIndex(svc.db);
      return answer;
    }
    case 'activeTab': {
      // From the popup: act on the page in the active tab through its overlay.
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      if (tab?.id == null) return { ok: false, reason: 'no-tab' };
      if (request.action === 'analyze') {
        // The reader asked for this page (any site): the popup's click granted activeTab, so no host
        // permission beyond *.gov.cn is needed. The overlay runs the pipeline whatever the detector says.
        try {
          await browser.scripting.executeScript({ target: { tabId: tab.id }, files: ['/content-scripts/overlay.js'] });
          return { ok: true };
        } catch (e) {
          return { ok: false, reason: String((e as Error)?.message ?? e) };
        }
      }
      try {
        return await browser.tabs.sendMessage(tab.id, { type: request.action });
      } catch {
        return { ok: false, reason: 'no-overlay' };
      }
    }
    case 'deletePlan':
      return { removed: await (await library()).remove(request.planId) };
    case 'planHighlights':
      return (await library()).planHighlights(request.planId);
    case 'createHighlight': {
      const { type: _type, ...input } = request;
      const created = await (await library()).createHighlight(input);
      localHighlightsChanged([created.planId]);
      return created;
    }
    case 'updateHighlight': {
      const row = await (await library()).updateHighlight(request.id, request.changes);
      if (row) localHighlightsChanged([row.planId]);
      return { highlight: row };
    }
    case 'deleteHighlight': {
      const row = await (await library()).deleteHighlight(request.id);
      if (row) localHighlightsChanged([row.planId]);
      return { removed: !!row };
    }
    case 'listHighlights':
      return (await library()).listHighlights(request.query, request.limit);
    case 'exportHighlights':
      return (await library()).exportHighlights(request.format);
    case 'importHighlights': {
      const result = await (await library()).importHighlights(request.data);
      localHighlightsChanged(result.planIds);
      return result;
    }
    case 'syncStatus': {
      const sync = await highlightSync();
      if (!sync) {
        const off: SyncReport = { state: 'off', message: 'No sync storage in this browser.', unsynced: 0, lastSyncAt: null, checkedAt: null, retryAt: null, devices: 0, bytesInUse: null, bytesQuota: 0 };
        return off;
      }
      return sync.report();
    }
    case 'openPlan': {
      const hash = `#plan=${encodeURIComponent(request.planId)}${request.clauseId ? `&clause=${encodeURIComponent(request.clauseId)}` : ''}`;
      await browser.tabs.create({ url: browser.runtime.getURL(`/reader.html${hash}`) });
      return { ok: true };
    }
  }
}

export default defineBackground(() => {
  // Every start of the worker: sync follows storage changes while it runs.
  void highlightSync().catch(() => undefined);

  browser.runtime.onInstalled.addListener(() => {
    void library();
    // Menus persist across restarts of the worker; created once per install or update.
    browser.contextMenus.removeAll().then(() =>
      browser.contextMenus.create({
        id: HIGHLIGHT_MENU,
        title: browser.i18n.getMessage('menuHighlightSelection') || '划线',
        contexts: ['selection'],
        documentUrlPatterns: ['*://*.gov.cn/*'],
      }),
    ).catch(() => undefined);
  });

  browser.contextMenus.onClicked.addListener((info, tab) => {
    if (info.menuItemId === HIGHLIGHT_MENU && tab?.id != null) void highlightSelectionIn(tab.id, info.frameId);
  });

  browser.runtime.onMessage.addListener((raw: unknown, sender) => {
    const checked = checkRequest(raw);
    if (!checked) return undefined;
    // Only this extension's own scripts; content scripts only the page-facing requests.
    if (sender.id !== browser.runtime.id) return undefined;
    // Extension pages (popup, reader, in a tab or not) have our own origin; content scripts have the page's.
    const fromExtensionPage = !!sender.url?.startsWith(browser.runtime.getURL('/'));
    const tabId = sender.tab?.id;
    if (!senderMayAsk(checked.request ?? { type: checked.type! }, { fromExtensionPage, fromTab: tabId != null })) return undefined;
    // A malformed request from a sender allowed to ask is told what is wrong; nothing reaches the library.
    if (!checked.request) return Promise.resolve({ error: checked.error });
    // A Promise reply works in Chromium and Firefox alike; errors go back as { error } rather than vanish.
    return handle(checked.request, tabId, sender.frameId).catch((e: unknown) => ({ error: String((e as Error)?.message ?? e) }));
  });

  browser.commands.onCommand.addListener(async (command) => {
    if (command !== 'toggle-panel' && command !== 'highlight-selection') return;
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    if (tab?.id == null) return;
    if (command === 'highlight-selection') await highlightSelectionIn(tab.id);
    else await browser.tabs.sendMessage(tab.id, { type: 'toggle' }).catch(() => undefined);
  });
});
