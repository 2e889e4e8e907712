// Background service worker: owns the library and answers the content scripts' and pages' requests.
import { parseRequest, senderMayAsk } from '@/lib/messages/protocol';

export default defineBackground(() => {
  browser.runtime.onMessage.addListener((raw: unknown, sender) => {
    const request = parseRequest(raw);
    if (!request) return undefined;
    // Only this extension's own scripts; content scripts only the page-facing requests.
    if (sender.id !== browser.runtime.id) return undefined;
    const fromExtensionPage = !sender.tab && !!sender.url?.startsWith(browser.runtime.getURL('/'));
    if (!senderMayAsk(request, { fromExtensionPage, fromTab: sender.tab?.id != null })) return undefined;
    if (request.type === 'detected' && sender.tab?.id != null) {
      const kind = request.detection.kind;
      const text = kind === 'policy' ? '文' : kind === 'interpretation' ? '解' : '';
      void browser.action.setBadgeText({ tabId: sender.tab.id, text });
      void browser.action.setBadgeBackgroundColor({ tabId: sender.tab.id, color: '#b4232a' });
      return Promise.resolve({ ok: true });
    }
    return undefined;
  });
});
