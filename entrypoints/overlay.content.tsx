// The overlay, injected by the background only into pages the detector accepted: runs the pipeline on the
// live DOM, shows the panel in a shadow root and marks citations on the page without touching its layout.
import { render } from 'preact';
import { extractFromDocumentAsync } from '@/lib/extract/pipeline';
import { pickLocale, type Locale } from '@/lib/i18n/messages';
import { OverlayApp, type HighlightBridge, type Lookup, type OverlayBridge, type SelectionInfo } from '@/components/OverlayApp';
import { PANEL_CSS } from '@/components/panel-styles';
import { HIGHLIGHT_UI_CSS } from '@/components/highlight-styles';
import { PageMarks } from '@/lib/page/page-marks';
import { PageTextMap } from '@/lib/highlights/from-selection';
import { createShadowHost } from '@/components/shadow-host';
import type { HighlightRow } from '@/lib/library/db';

// A symbol, not a string name: an element with id="__policyLensOverlay" in the page would show up as a
// string-named global (named access on window works in every world) and stop the overlay from mounting.
const FLAG = Symbol.for('policyLens.overlay');

/**
 * Text read from a page's body at most. Long national laws run to ~100k characters (民法典 about 107k); a
 * page past this (megabytes of tables or repeated text) is analysed from its start, and the panel says so,
 * instead of holding the page's main thread for seconds.
 */
const MAX_PAGE_CHARS = 300_000;

function truncatedNotice(locale: Locale, chars: number): string {
  const n = chars.toLocaleString(locale);
  if (locale === 'zh-TW') return `頁面過長：只分析了前 ${n} 字`;
  if (locale === 'en') return `Very long page: only its first ${n} characters were analysed`;
  return `页面过长：只分析了前 ${n} 字`;
}

/** The badge content.ts shows (a symbol on our isolated world, which the page cannot see or set). */
const BADGE = Symbol.for('policyLens.badge');

/** One turn for the page's own tasks (input, its timers, rendering) between two pieces of our work. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export default defineContentScript({
  matches: ['*://*.gov.cn/*'],
  registration: 'runtime',
  async main() {
    // globalThis is this content script's isolated world: the page's own globals are not seen here.
    const g = globalThis as unknown as Record<symbol, boolean>;
    if (g[FLAG] === true) return; // injected twice (a second detection in the same page)
    g[FLAG] = true;

    // The work runs on the page's main thread in slices, yielding to the page between them; the longest
    // slice is recorded for tests and the benchmark.
    const started = performance.now();
    let sliceStart = started;
    let longestSlice = 0;
    const slices: Record<string, number> = {};
    const pause = async (stage = 'marks') => {
      slices[stage] = Math.round(performance.now() - sliceStart);
      longestSlice = Math.max(longestSlice, performance.now() - sliceStart);
      await nextTask();
      sliceStart = performance.now();
    };
    const extracted = await extractFromDocumentAsync(document, location.href, pause, { maxChars: MAX_PAGE_CHARS });
    const { elements, truncated, ...doc } = extracted;
    await pause('citations');
    const marks = new PageMarks(document, doc, elements);
    const locale = pickLocale(navigator.language);

    // A plain div host (components/shadow-host.ts): no custom element name the page could have defined.
    const { host, shadow } = createShadowHost(document, 'overlay');
    document.documentElement.append(host);
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(PANEL_CSS);
    const hlSheet = new CSSStyleSheet();
    hlSheet.replaceSync(HIGHLIGHT_UI_CSS);
    // Constructed sheets: styles the page's CSP cannot block and the page's CSS cannot reach.
    shadow.adoptedStyleSheets = [sheet, hlSheet];
    const mount = document.createElement('div');
    shadow.append(mount);
    marks.setOwnUi(host);

    const siteKey = `collapsed:${location.host}`;
    const toggleListeners = new Set<() => void>();
    const changeListeners = new Set<(planId: string) => void>();
    const commandListeners = new Set<() => void>();
    // A command that arrived before the panel subscribed (the overlay was injected for it).
    let pendingCommand = false;
    let saveFromPopup: (() => Promise<unknown>) | null = null;
    browser.runtime.onMessage.addListener((m: unknown) => {
      const type = (m as { type?: string })?.type;
      if (type === 'toggle') {
        toggleListeners.forEach((cb) => cb());
        return Promise.resolve({ ok: true });
      }
      if (type === 'highlights-changed') {
        const planId = (m as { planId?: unknown }).planId;
        if (typeof planId === 'string') changeListeners.forEach((cb) => cb(planId));
        return undefined;
      }
      if (type === 'highlight-selection') {
        if (commandListeners.size) commandListeners.forEach((cb) => cb());
        else pendingCommand = true;
        return Promise.resolve({ ok: true });
      }
      if (type === 'status') return Promise.resolve({ ok: true, title: doc.metadata.title, kind: doc.detection.kind });
      if (type === 'save' && saveFromPopup) return saveFromPopup().then(() => ({ ok: true }));
      return undefined;
    });

    const ask = async <T,>(message: unknown): Promise<T> => {
      const reply = (await browser.runtime.sendMessage(message)) as T & { error?: string };
      if (reply && typeof reply === 'object' && 'error' in reply && reply.error) throw new Error(reply.error);
      return reply;
    };

    /** The selection as a selector in the extracted text, with the rectangle of its last line. */
    const currentSelection = (): SelectionInfo | null => {
      const sel = document.getSelection();
      if (!sel || sel.isCollapsed || sel.rangeCount === 0) return null;
      const range = sel.getRangeAt(0);
      if (host.contains(range.commonAncestorContainer)) return null;
      const selector = PageTextMap.build(doc, elements)?.selectorFromRange(range) ?? null;
      if (!selector) return null;
      const rects = range.getClientRects();
      const r = rects[rects.length - 1] ?? range.getBoundingClientRect();
      return { selector, rect: { left: r.left, top: r.top, right: r.right, bottom: r.bottom } };
    };

    /** Calls back on the next animation frame after any of the events, once per frame. */
    const onFrame = (events: Array<[EventTarget, string]>, cb: () => void): (() => void) => {
      let pending = false;
      const listener = () => {
        if (pending) return;
        pending = true;
        requestAnimationFrame(() => {
          pending = false;
          cb();
        });
      };
      events.forEach(([target, name]) => target.addEventListener(name, listener, { passive: true }));
      return () => events.forEach(([target, name]) => target.removeEventListener(name, listener));
    };

    const highlights: HighlightBridge = {
      list: (planId) => ask<HighlightRow[]>({ type: 'planHighlights', planId }),
      create: (req) => ask({ type: 'createHighlight', ...req, note: '', tags: [] }),
      update: (id, changes) => ask({ type: 'updateHighlight', id, changes }),
      remove: (id) => ask({ type: 'deleteHighlight', id }),
      paint: (items) => {
        const { missing } = marks.paintHighlights(items);
        return { missing };
      },
      scrollTo: (id) => marks.scrollToHighlight(id),
      rectOf: (id) => marks.highlightRect(id),
      currentSelection,
      clearSelection: () => document.getSelection()?.removeAllRanges(),
      watchSelection: (cb) => {
        // After the mouse or keys finish a selection, and as it changes (debounced: dragging fires many).
        let timer: ReturnType<typeof setTimeout> | undefined;
        const report = () => cb(currentSelection());
        const soon = () => {
          clearTimeout(timer);
          timer = setTimeout(report, 250);
        };
        const now = (e: Event) => {
          // Clicks inside our own UI keep the toolbar as it is.
          if (e.composedPath().includes(host)) return;
          clearTimeout(timer);
          timer = setTimeout(report, 0);
        };
        document.addEventListener('selectionchange', soon);
        document.addEventListener('mouseup', now);
        document.addEventListener('keyup', now);
        const offScroll = onFrame([[window, 'scroll'], [window, 'resize']], () => {
          if (!document.getSelection()?.isCollapsed) report();
        });
        return () => {
          clearTimeout(timer);
          document.removeEventListener('selectionchange', soon);
          document.removeEventListener('mouseup', now);
          document.removeEventListener('keyup', now);
          offScroll();
        };
      },
      watchClick: (cb) => marks.onHighlightClick(cb),
      watchChanges: (cb) => {
        changeListeners.add(cb);
        return () => changeListeners.delete(cb);
      },
      watchCommand: (cb) => {
        commandListeners.add(cb);
        if (pendingCommand) {
          pendingCommand = false;
          cb();
        }
        return () => commandListeners.delete(cb);
      },
      watchOutside: (cb) => {
        const listener = (e: Event) => {
          if (!e.composedPath().includes(host)) cb();
        };
        document.addEventListener('mousedown', listener);
        return () => document.removeEventListener('mousedown', listener);
      },
      watchViewport: (cb) => onFrame([[window, 'scroll'], [window, 'resize']], cb),
      reportPainted: (painted, orphaned) => {
        // For tests and support: how many highlights are on the page, and how many could not be placed.
        host.dataset.highlights = String(painted);
        host.dataset.highlightsOrphaned = String(orphaned);
      },
    };

    const bridge: OverlayBridge = {
      lookup: (d) => ask<Lookup>({ type: 'lookup', doc: d }),
      save: (d) => ask<{ planId: string }>({ type: 'save', doc: d }),
      openPlan: (planId, clauseId) => void ask({ type: 'openPlan', planId, clauseId: clauseId ?? null }),
      scrollToClause: (id) => marks.scrollToClause(id),
      scrollToCitation: (i) => marks.scrollToCitation(i),
      loadCollapsed: async () => Boolean((await browser.storage.local.get(siteKey))[siteKey]),
      storeCollapsed: (c) => void browser.storage.local.set({ [siteKey]: c }),
      watchCurrentClause: (cb) => marks.watchCurrentClause(cb),
      watchToggle: (cb) => {
        toggleListeners.add(cb);
        return () => toggleListeners.delete(cb);
      },
      highlights,
    };

    marks.onCitationClick((index, planId) => {
      if (planId) bridge.openPlan(planId);
      else marks.scrollToCitation(index);
    });

    await pause('marks');
    render(
      <OverlayApp
        doc={doc}
        bridge={bridge}
        locale={locale}
        mode="page"
        notice={truncated ? truncatedNotice(locale, doc.text.length) : null}
        onLookup={(l) => marks.markCitations(l.citations)}
        registerSave={(save) => (saveFromPopup = save)}
      />,
      mount,
    );
    slices.render = Math.round(performance.now() - sliceStart);
    longestSlice = Math.max(longestSlice, performance.now() - sliceStart);
    // Timings for the benchmark and tests: pipeline + first render (pauses included), since navigation start
    // (same time origin as the page), and the longest slice the page waited for.
    host.dataset.readyMs = String(Math.round(performance.now() - started));
    host.dataset.startAtMs = String(Math.round(started));
    host.dataset.panelAtMs = String(Math.round(performance.now()));
    host.dataset.longestSliceMs = String(Math.round(longestSlice));
    host.dataset.slicesMs = JSON.stringify(slices);
    if (truncated) host.dataset.truncated = 'true';
    // The panel replaces the detection badge.
    const badge = (globalThis as unknown as Record<symbol, HTMLElement | undefined>)[BADGE];
    if (badge) badge.hidden = true;
  },
});
