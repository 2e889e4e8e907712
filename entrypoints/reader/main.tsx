// Reader page: any saved plan with the same panel and marks as on the live page (reader.html#plan=ID&clause=ID).
import { render } from 'preact';
import { OverlayApp, type OverlayBridge } from '@/components/OverlayApp';
import { ReaderDocument, clauseAnchor, citationAnchor } from '@/components/ReaderDocument';
import { PANEL_CSS } from '@/components/panel-styles';
import { READER_CSS } from '@/components/reader-styles';
import { pickLocale, t } from '@/lib/i18n/messages';
import type { OpenedPlan } from '@/lib/background/library-service';

const locale = pickLocale(navigator.language);
document.documentElement.lang = locale;
const pageSheet = new CSSStyleSheet();
pageSheet.replaceSync(READER_CSS);
document.adoptedStyleSheets = [pageSheet];

const app = document.getElementById('app')!;
const host = document.createElement('policy-lens-overlay');
const shadow = host.attachShadow({ mode: 'open' });
const panelSheet = new CSSStyleSheet();
panelSheet.replaceSync(PANEL_CSS);
shadow.adoptedStyleSheets = [panelSheet];
const panelMount = document.createElement('div');
shadow.append(panelMount);
document.body.append(host);

function params(): { planId: string | null; clauseId: string | null } {
  const p = new URLSearchParams(location.hash.slice(1));
  return { planId: p.get('plan'), clauseId: p.get('clause') };
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
  render(<ReaderDocument doc={opened.doc} citations={opened.citations} onOpenPlan={openPlan} />, app);
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
  };
  render(<OverlayApp doc={opened.doc} bridge={bridge} locale={locale} mode="reader" initial={opened} />, panelMount);
  if (clauseId) requestAnimationFrame(() => scrollTo(clauseAnchor(clauseId), 'start'));
}

addEventListener('hashchange', () => void show());
void show();
