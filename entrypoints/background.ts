// Background service worker: owns the library and answers the content scripts' messages.
import { parseMessage } from '@/lib/messages/protocol';

export default defineBackground(() => {
  browser.runtime.onMessage.addListener((raw: unknown, sender) => {
    const message = parseMessage(raw);
    if (!message) return undefined;
    // Only our own content scripts, in a tab, may report a detection.
    if (sender.id !== browser.runtime.id || sender.tab?.id == null) return undefined;
    if (message.type === 'detected') {
      const kind = message.detection.kind;
      const text = kind === 'policy' ? '文' : kind === 'interpretation' ? '解' : '';
      void browser.action.setBadgeText({ tabId: sender.tab.id, text });
      void browser.action.setBadgeBackgroundColor({ tabId: sender.tab.id, color: '#b4232a' });
      return Promise.resolve({ ok: true });
    }
    return undefined;
  });
});
