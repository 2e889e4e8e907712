// Content script on government sites: cheap detection on every page; on a policy page, the badge.
import { collectSignals } from '@/lib/detect/signals';
import { detectPage } from '@/lib/detect/detect';
import { renderBadge } from '@/components/badge';

export default defineContentScript({
  matches: ['*://*.gov.cn/*'],
  runAt: 'document_idle',
  main() {
    const detection = detectPage(collectSignals(document, location.href));
    void browser.runtime.sendMessage({ type: 'detected', detection }).catch(() => {
      // The background may be restarting; the badge on the page does not depend on it.
    });
    if (detection.kind === 'other') return;
    const host = document.createElement('policy-lens-root');
    const root = host.attachShadow({ mode: 'open' });
    renderBadge(root, detection);
    document.documentElement.append(host);
  },
});
