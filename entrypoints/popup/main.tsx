// Popup entry: wires the popup UI to the background (search, active tab) and to new tabs (reader, library).
import { render } from 'preact';
import { Popup } from '@/components/Popup';
import { readerPath, type PopupBridge } from '@/components/popup-model';
import { POPUP_CSS } from '@/components/popup-styles';
import { pickLocale, t } from '@/lib/i18n/messages';
import type { SearchResponse } from '@/lib/search/search';

const locale = pickLocale(navigator.language);
document.documentElement.lang = locale;
document.title = t(locale, 'app.name');
const sheet = new CSSStyleSheet();
sheet.replaceSync(POPUP_CSS);
document.adoptedStyleSheets = [sheet];

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

render(<Popup bridge={bridge} locale={locale} />, document.getElementById('app')!);
