// The small detection badge shown on policy pages (plain DOM in a shadow root: no framework on this path).
import type { Detection } from '@/lib/types';

const SITE_NAMES: Record<string, string> = {
  beijing: '首都之窗',
  govcn: '中国政府网',
  shanghai: '上海市人民政府',
  shenyang: '沈阳市人民政府',
  generic: '政府网站',
  none: '',
};
const KIND_NAMES: Record<string, string> = { policy: '政策文件', interpretation: '政策解读', other: '' };

/** Fills a shadow root with the badge; text only, never HTML from the page. */
export function renderBadge(root: ShadowRoot, detection: Detection): HTMLElement {
  const style = document.createElement('style');
  style.textContent = `:host{all:initial}
.badge{position:fixed;right:16px;bottom:16px;z-index:2147483647;font:13px/1.4 system-ui,"Noto Sans CJK SC",sans-serif;
background:#b4232a;color:#fff;border-radius:16px;padding:6px 12px;box-shadow:0 2px 8px rgba(0,0,0,.25);cursor:default}
.badge small{opacity:.85;margin-left:6px}`;
  const badge = document.createElement('div');
  badge.className = 'badge';
  badge.setAttribute('role', 'status');
  badge.dataset.kind = detection.kind;
  badge.dataset.site = detection.site;
  badge.textContent = `政策透镜 · ${KIND_NAMES[detection.kind]}`;
  const site = document.createElement('small');
  site.textContent = SITE_NAMES[detection.site] ?? '';
  badge.append(site);
  root.replaceChildren(style, badge);
  return badge;
}
