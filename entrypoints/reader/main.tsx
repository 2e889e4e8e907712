// Reader page: any saved plan with the same panel and marks as on the live page (reader.html#plan=ID&clause=ID),
// and its highlights marked in the text, listed beside the panel, made and edited here too.
import { render } from 'preact';
import { OverlayApp, type HighlightBridge, type OverlayBridge, type PlacedHighlight, type SelectionInfo } from '@/components/OverlayApp';
import { ReaderDocument, clauseAnchor, citationAnchor, HIGHLIGHT_ATTR } from '@/components/ReaderDocument';
import { PANEL_CSS } from '@/components/panel-styles';
import { READER_CSS } from '@/components/reader-styles';
import { HIGHLIGHT_UI_CSS, READER_HIGHLIGHT_CSS } from '@/components/highlight-styles';
import { pickLocale, t } from '@/lib/i18n/messages';
import type { OpenedPlan } from '@/lib/background/library-service';
import type { HighlightRow } from '@/lib/library/db';
import { PageTextMap } from '@/lib/highlights/from-selection';

const locale = pickLocale(navigator.language);
document.documentElement.lang = locale;
const pageSheet = new CSSStyleSheet();
pageSheet.replaceSync(READER_CSS);
const markSheet = new CSSStyleSheet();
markSheet.replaceSync(READER_HIGHLIGHT_CSS);
document.adoptedStyleSheets = [pageSheet, markSheet];

const app = document.getElementById('app')!;
const host = document.createElement('policy-lens-overlay');
const shadow = host.attachShadow({ mode: 'open' });
const panelSheet = new CSSStyleSheet();
panelSheet.replaceSync(PANEL_CSS);
const hlSheet = new CSSStyleSheet();
hlSheet.replaceSync(HIGHLIGHT_UI_CSS);
shadow.adoptedStyleSheets = [panelSheet, hlSheet];
const panelMount = document.createElement('div');
shadow.append(panelMount);
document.body.append(host);

function params(): { planId: string | null; clauseId: string | null } {
  const p = new URLSearchParams(location.hash.slice(1));
  return { planId: p.get('plan'), clauseId: p.get('clause') };
}

async function ask<T>(message: unknown): Promise<T> {
  const reply = (await browser.runtime.sendMessage(message)) as T & { error?: string };
  if (reply && typeof reply === 'object' && 'error' in reply && reply.error) throw new Error(reply.error);
  return reply;
}

// Highlight listeners live as long as the page: a plan opened from a link reuses them.
const changeListeners = new Set<(planId: string) => void>();
const clickListeners = new Set<(id: string, rect: SelectionInfo['rect']) => void>();
const onHighlightClick = (id: string, rect: SelectionInfo['rect']) => clickListeners.forEach((cb) => cb(id, rect));
browser.runtime.onMessage.addListener((m: unknown) => {
  const msg = m as { type?: string; planId?: unknown };
  if (msg?.type === 'highlights-changed' && typeof msg.planId === 'string') changeListeners.forEach((cb) => cb(msg.planId as string));
  return undefined;
});

function flash(el: Element | null, block: ScrollLogicalPosition) {
  if (!el) return;
  el.scrollIntoView({ behavior: 'smooth', block });
  el.classList.add('pl-flash');
  setTimeout(() => el.classList.remove('pl-flash'), 1600);
}

/** Highlights in the reader: marks rendered by ReaderDocument, selections mapped through its paragraphs. */
function readerHighlights(opened: OpenedPlan, renderDoc: (items: PlacedHighlight[]) => void): HighlightBridge {
  const paragraphs = () => Array.from(app.querySelectorAll('[data-block]'));
  const markOf = (id: string) => app.querySelector(`[${HIGHLIGHT_ATTR}="${CSS.escape(id)}"]`);
  const currentSelection = (): SelectionInfo | null => {
    const sel = document.getSelection();
    if (!sel || sel.isCollapsed || sel.rangeCount === 0) return null;
    const range = sel.getRangeAt(0);
    if (!app.contains(range.commonAncestorContainer)) return null;
    const selector = PageTextMap.build(opened.doc, paragraphs(), app)?.selectorFromRange(range) ?? null;
    if (!selector) return null;
    const rects = range.getClientRects();
    const r = rects[rects.length - 1] ?? range.getBoundingClientRect();
    return { selector, rect: { left: r.left, top: r.top, right: r.right, bottom: r.bottom } };
  };
  return {
    list: (planId) => ask<HighlightRow[]>({ type: 'planHighlights', planId }),
    create: (req) => ask({ type: 'createHighlight', ...req, note: '', tags: [] }),
    update: (id, changes) => ask({ type: 'updateHighlight', id, changes }),
    remove: (id) => ask({ type: 'deleteHighlight', id }),
    paint: (items) => {
      renderDoc(items);
      return { missing: [] };
    },
    scrollTo: (id) => flash(markOf(id), 'center'),
    rectOf: (id) => {
      const r = markOf(id)?.getBoundingClientRect();
      return r ? { left: r.left, top: r.top, right: r.right, bottom: r.bottom } : null;
    },
    currentSelection,
    clearSelection: () => document.getSelection()?.removeAllRanges(),
    watchSelection: (cb) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const later = (ms: number) => () => {
        clearTimeout(timer);
        timer = setTimeout(() => cb(currentSelection()), ms);
      };
      const soon = later(250);
      const now = (e: Event) => {
        if (!e.composedPath().includes(host)) later(0)();
      };
      document.addEventListener('selectionchange', soon);
      document.addEventListener('mouseup', now);
      document.addEventListener('keyup', now);
      return () => {
        clearTimeout(timer);
        document.removeEventListener('selectionchange', soon);
        document.removeEventListener('mouseup', now);
        document.removeEventListener('keyup', now);
      };
    },
    watchClick: (cb) => {
      clickListeners.add(cb);
      return () => clickListeners.delete(cb);
    },
    watchChanges: (cb) => {
      changeListeners.add(cb);
      return () => changeListeners.delete(cb);
    },
    watchCommand: () => () => undefined,
    watchOutside: (cb) => {
      const listener = (e: Event) => {
        if (!e.composedPath().includes(host)) cb();
      };
      document.addEventListener('mousedown', listener);
      return () => document.removeEventListener('mousedown', listener);
    },
    watchViewport: (cb) => {
      addEventListener('scroll', cb, { passive: true });
      return () => removeEventListener('scroll', cb);
    },
    reportPainted: (painted, orphaned) => {
      host.dataset.highlights = String(painted);
      host.dataset.highlightsOrphaned = String(orphaned);
    },
  };
}

function scrollTo(id: string, block: ScrollLogicalPosition = 'center') {
  const el = document.getElementById(id);
  if (!el) return;
  el.scrollIntoView({ behavior: 'smooth', block });
  el.classList.add('pl-flash');
  setTimeout(() => el.classList.remove('pl-flash'), 1600);
}

async function show() {
  const { planId, clauseId } = params();
  render(null, panelMount);
  if (!planId) {
    render(<p class="pl-reader-message">{t(locale, 'reader.notFound')}</p>, app);
    return;
  }
  render(<p class="pl-reader-message">{t(locale, 'reader.loading')}</p>, app);
  const opened = (await browser.runtime.sendMessage({ type: 'getPlan', planId })) as OpenedPlan | null;
  if (!opened || 'error' in (opened as object)) {
    render(<p class="pl-reader-message">{t(locale, 'reader.notFound')}</p>, app);
    return;
  }
  document.title = `${opened.doc.metadata.title ?? ''} · ${t(locale, 'app.name')}`;
  const openPlan = (id: string, clause?: string) => {
    location.hash = `plan=${encodeURIComponent(id)}${clause ? `&clause=${encodeURIComponent(clause)}` : ''}`;
  };
  const renderDoc = (highlights: PlacedHighlight[]) =>
    render(
      <ReaderDocument doc={opened.doc} citations={opened.citations} onOpenPlan={openPlan} highlights={highlights} onHighlightClick={onHighlightClick} />,
      app,
    );
  renderDoc([]);
  const bridge: OverlayBridge = {
    lookup: () => Promise.resolve(opened),
    openPlan,
    // A clause goes to the top, where the reading position is taken.
    scrollToClause: (id) => scrollTo(clauseAnchor(id), 'start'),
    scrollToCitation: (i) => scrollTo(citationAnchor(i)),
    loadCollapsed: () => Promise.resolve(false),
    storeCollapsed: () => undefined,
    watchCurrentClause: (cb) => {
      const anchors = Array.from(document.querySelectorAll<HTMLElement>('[data-clause-id]'));
      const onScroll = () => {
        let current: string | null = null;
        for (const a of anchors) {
          if (a.getBoundingClientRect().top <= innerHeight / 3) current = a.dataset.clauseId ?? null;
          else break;
        }
        cb(current);
      };
      addEventListener('scroll', onScroll, { passive: true });
      return () => removeEventListener('scroll', onScroll);
    },
    watchToggle: () => () => undefined,
    highlights: readerHighlights(opened, renderDoc),
  };
  render(<OverlayApp doc={opened.doc} bridge={bridge} locale={locale} mode="reader" initial={opened} />, panelMount);
  if (clauseId) requestAnimationFrame(() => scrollTo(clauseAnchor(clauseId), 'start'));
}

addEventListener('hashchange', () => void show());
void show();
