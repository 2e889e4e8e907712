// Library page: import files (extracted here, with the browser's own HTML parser), export, list and delete.
import { render } from 'preact';
import { LibraryPage } from '@/components/LibraryPage';
import { pickLocale } from '@/lib/i18n/messages';
import { extractFromBytes } from '@/lib/extract/from-file';
import { LIBRARY_CSS } from '@/components/library-styles';

const locale = pickLocale(navigator.language);
document.documentElement.lang = locale;
const sheet = new CSSStyleSheet();
sheet.replaceSync(LIBRARY_CSS);
document.adoptedStyleSheets = [sheet];

const ask = async <T,>(message: unknown): Promise<T> => {
  const reply = (await browser.runtime.sendMessage(message)) as T & { error?: string };
  if (reply && typeof reply === 'object' && 'error' in reply && reply.error) throw new Error(reply.error);
  return reply;
};
const parse = (html: string) => new DOMParser().parseFromString(html, 'text/html');

render(
  <LibraryPage
    locale={locale}
    ask={ask}
    extract={(name, bytes) => extractFromBytes(name, bytes, parse)}
    openPlan={(planId) => (location.href = browser.runtime.getURL(`/reader.html#plan=${encodeURIComponent(planId)}`))}
  />,
  document.getElementById('app')!,
);
