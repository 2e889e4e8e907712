// Popup entry: wires the popup UI to the background (search, active tab) and to new tabs (reader, library).
import { render } from 'preact';
import { Popup, type PopupHighlightsBridge } from '@/components/Popup';
import { readerPath, type PopupBridge } from '@/components/popup-model';
import { POPUP_CSS } from '@/components/popup-styles';
import { HIGHLIGHT_UI_CSS } from '@/components/highlight-styles';
import { pickLocale, t } from '@/lib/i18n/messages';
import type { SearchResponse } from '@/lib/search/search';

const locale = pickLocale(navigator.language);
document.documentElement.lang = locale;
document.title = t(locale, 'app.name');
const sheet = new CSSStyleSheet();
sheet.replaceSync(POPUP_CSS);
const hlSheet = new CSSStyleSheet();
hlSheet.replaceSync(HIGHLIGHT_UI_CSS);
document.adoptedStyleSheets = [sheet, hlSheet];

/** A request to the background; its `{ error }` replies (and no reply at all) become rejections. */
async function ask<T>(message: unknown): Promise<T> {
  const reply = (await browser.runtime.sendMessage(message)) as T & { error?: string };
  if (reply == null) throw new Error('no reply from the background');
  if (typeof reply === 'object' && 'error' in reply && reply.error) throw new Error(reply.error);
  return reply;
}

/** Opening a tab takes focus from the popup; close it explicitly where the browser does not. */
function openTab(url: string): void {
  void browser.tabs.create({ url }).then(() => window.close());
}

const bridge: PopupBridge = {
  search: (query, filters, limit, offset) => ask<SearchResponse>({ type: 'search', query, filters, limit, offset }),
  activeTab: (action) => ask({ type: 'activeTab', action }),
  openPlan: (planId, clauseId) => openTab(browser.runtime.getURL(readerPath(planId, clauseId))),
  openLibrary: () => openTab(browser.runtime.getURL('/library.html')),
};

const highlights: PopupHighlightsBridge = {
  list: (query, limit) => ask({ type: 'listHighlights', query, limit }),
  update: (id, changes) => ask({ type: 'updateHighlight', id, changes }),
  remove: (id) => ask({ type: 'deleteHighlight', id }),
  exportFile: (format) => ask({ type: 'exportHighlights', format }),
  importFile: (data) => ask({ type: 'importHighlights', data }),
  syncStatus: () => ask({ type: 'syncStatus' }),
  watchChanges: (cb) => {
    const listener = (m: unknown) => {
      if ((m as { type?: string })?.type === 'highlights-changed') cb();
      return undefined;
    };
    browser.runtime.onMessage.addListener(listener);
    return () => browser.runtime.onMessage.removeListener(listener);
  },
};

render(<Popup bridge={bridge} locale={locale} highlights={highlights} />, document.getElementById('app')!);
