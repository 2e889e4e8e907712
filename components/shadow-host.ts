// A host element for our UI in the page: shadow root inside, and inline !important styles outside,
// because the host itself sits in the page's DOM where page CSS (even `display:none!important`) can reach it.

/** Inline declarations win over any author stylesheet rule, !important or not. */
const HOST_STYLE = [
  'all:initial',
  'display:block',
  'position:static',
  'visibility:visible',
  'opacity:1',
  'transform:none',
  'filter:none',
  'contain:none',
  'clip-path:none',
  'mask:none',
  'zoom:1',
  'pointer-events:auto',
]
  .map((d) => `${d} !important`)
  .join(';');

export function createShadowHost(doc: Document, tag: string): { host: HTMLElement; shadow: ShadowRoot } {
  const host = doc.createElement(tag);
  host.setAttribute('style', HOST_STYLE);
  const shadow = host.attachShadow({ mode: 'open' });
  return { host, shadow };
}
