// Content script on government sites: cheap detection on every page. On a policy page or interpretation
// it shows the badge and asks the background to inject the overlay (the heavy code loads only then).
import { collectSignals } from '@/lib/detect/signals';
import { detectPage } from '@/lib/detect/detect';
import { renderBadge } from '@/components/badge';
import { createShadowHost } from '@/components/shadow-host';

/**
 * Where the overlay finds the badge to hide it: a symbol on this extension's isolated world (shared by our
 * content scripts, invisible to the page), not a selector the page's own elements could answer.
 */
const BADGE = Symbol.for('policyLens.badge');

export default defineContentScript({
  matches: ['*://*.gov.cn/*'],
  runAt: 'document_idle',
  main() {
    const detection = detectPage(collectSignals(document, location.href));
    void browser.runtime.sendMessage({ type: 'detected', detection }).catch(() => undefined);
    if (detection.kind === 'other') return;
    const { host, shadow: root } = createShadowHost(document, 'badge');
    host.dataset.kind = detection.kind;
    host.dataset.site = detection.site;
    (globalThis as unknown as Record<symbol, HTMLElement>)[BADGE] = renderBadge(root, detection);
    document.documentElement.append(host);
    // The badge stays if the overlay cannot load (e.g. the background is restarting); the overlay hides it.
    void browser.runtime.sendMessage({ type: 'openOverlay' }).catch(() => undefined);
  },
});
