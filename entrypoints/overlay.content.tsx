// The overlay, injected by the background only into pages the detector accepted: runs the pipeline on the
// live DOM, shows the panel in a shadow root and marks citations on the page without touching its layout.
import { render } from 'preact';
import { extractFromDocument } from '@/lib/extract/pipeline';
import { pickLocale } from '@/lib/i18n/messages';
import { OverlayApp, type Lookup, type OverlayBridge } from '@/components/OverlayApp';
import { PANEL_CSS } from '@/components/panel-styles';
import { PageMarks } from '@/lib/page/page-marks';
import { createShadowHost } from '@/components/shadow-host';

const FLAG = '__policyLensOverlay';

export default defineContentScript({
  matches: ['*://*.gov.cn/*'],
  registration: 'runtime',
  main() {
    const g = globalThis as unknown as Record<string, boolean>;
    if (g[FLAG]) return; // injected twice (a second detection in the same page)
    g[FLAG] = true;

    const started = performance.now();
    const extracted = extractFromDocument(document, location.href);
    const { elements, ...doc } = extracted;
    const marks = new PageMarks(document, doc, elements);

    const { host, shadow } = createShadowHost(document, 'policy-lens-overlay');
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(PANEL_CSS);
    // Constructed sheets: styles the page's CSP cannot block and the page's CSS cannot reach.
    shadow.adoptedStyleSheets = [sheet];
    const mount = document.createElement('div');
    shadow.append(mount);
    document.documentElement.append(host);

    const siteKey = `collapsed:${location.host}`;
    const toggleListeners = new Set<() => void>();
    let saveFromPopup: (() => Promise<unknown>) | null = null;
    browser.runtime.onMessage.addListener((m: unknown) => {
      const type = (m as { type?: string })?.type;
      if (type === 'toggle') {
        toggleListeners.forEach((cb) => cb());
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
    };

    marks.onCitationClick((index, planId) => {
      if (planId) bridge.openPlan(planId);
      else marks.scrollToCitation(index);
    });

    render(
      <OverlayApp
        doc={doc}
        bridge={bridge}
        locale={pickLocale(navigator.language)}
        mode="page"
        onLookup={(l) => marks.markCitations(l.citations)}
        registerSave={(save) => (saveFromPopup = save)}
      />,
      mount,
    );
    // Timings for the benchmark: pipeline + first render, and since navigation start (same time origin as the page).
    host.dataset.readyMs = String(Math.round(performance.now() - started));
    host.dataset.panelAtMs = String(Math.round(performance.now()));
    // The panel replaces the detection badge.
    const badge = document.querySelector('policy-lens-root')?.shadowRoot?.querySelector<HTMLElement>('.badge');
    if (badge) badge.hidden = true;
  },
});
