// Background service worker: owns the library (IndexedDB in the extension's origin) and answers requests.
import { parseRequest, senderMayAsk, type Request } from '@/lib/messages/protocol';
import type { SiteId } from '@/lib/types';
import { openLibrary } from '@/lib/library/db';
import { LibraryService } from '@/lib/background/library-service';
import { searchHooks } from '@/lib/background/search-hooks';
import { search } from '@/lib/search/search';
import { ensureSearchIndex } from '@/lib/search/index';
import SEED_SITES from '@/seeds/sources.json';

// The seeds ship inside the extension and go through the same pipeline as pages, once.
const SEED_TEXTS = import.meta.glob('/seeds/*.txt', { query: '?raw', import: 'default', eager: true }) as Record<
  string,
  string
>;

let service: Promise<LibraryService> | null = null;

/** The library, opened (and seeded) on first use: the worker may be stopped and restarted at any time. */
function library(): Promise<LibraryService> {
  service ??= (async () => {
    const db = await openLibrary();
    const svc = new LibraryService(db, searchHooks);
    const seeds = Object.entries(SEED_TEXTS).map(([path, text]) => {
      const name = path.split('/').pop()!;
      return { name, text, site: (SEED_SITES as Record<string, SiteId>)[name] };
    });
    await svc.seed(seeds, browser.runtime.getManifest().version);
    // Missing or from an older version: rebuilt here (the popup answers from a scan meanwhile).
    void ensureSearchIndex(db);
    return svc;
  })();
  service.catch(() => (service = null));
  return service;
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
    case 'importItems':
      return (await library()).import(request.items);
    case 'exportLibrary':
      return (await library()).export();
    case 'search': {
      const svc = await library();
      return search(svc.db, request.query, { filters: request.filters, limit: request.limit, offset: request.offset });
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
    case 'openPlan': {
      const hash = `#plan=${encodeURIComponent(request.planId)}${request.clauseId ? `&clause=${encodeURIComponent(request.clauseId)}` : ''}`;
      await browser.tabs.create({ url: browser.runtime.getURL(`/reader.html${hash}`) });
      return { ok: true };
    }
  }
}

export default defineBackground(() => {
  browser.runtime.onInstalled.addListener(() => void library());

  browser.runtime.onMessage.addListener((raw: unknown, sender) => {
    const request = parseRequest(raw);
    if (!request) return undefined;
    // Only this extension's own scripts; content scripts only the page-facing requests.
    if (sender.id !== browser.runtime.id) return undefined;
    // Extension pages (popup, reader, in a tab or not) have our own origin; content scripts have the page's.
    const fromExtensionPage = !!sender.url?.startsWith(browser.runtime.getURL('/'));
    const tabId = sender.tab?.id;
    if (!senderMayAsk(request, { fromExtensionPage, fromTab: tabId != null })) return undefined;
    // A Promise reply works in Chromium and Firefox alike; errors go back as { error } rather than vanish.
    return handle(request, tabId, sender.frameId).catch((e: unknown) => ({ error: String((e as Error)?.message ?? e) }));
  });

  browser.commands.onCommand.addListener(async (command) => {
    if (command !== 'toggle-panel') return;
    const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
    if (tab?.id != null) await browser.tabs.sendMessage(tab.id, { type: 'toggle' }).catch(() => undefined);
  });
});
