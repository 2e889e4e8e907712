// A host element for our UI in the page: shadow root inside, and inline !important styles outside,
// because the host itself sits in the page's DOM where page CSS (even `display:none!important`) can reach it.

/**
 * The attribute naming our hosts (`overlay`, `badge`), for tests and support only: our own code keeps
 * references to its hosts and never looks them up, because the page can put the same attribute on its
 * own elements.
 */
export const HOST_ATTR = 'data-policy-lens';

/** Which of our hosts an element is. */
export type HostRole = 'overlay' | 'badge';

/** Selector for our host of one role (tests, support tools; not used by the content scripts themselves). */
export const hostSelector = (role: HostRole): string => `div[${HOST_ATTR}="${role}"]`;

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

/**
 * A plain `div`, never a custom element name: the page owns the document's custom element registry, so
 * any hyphenated name could be defined by it, and an element we create would be upgraded with the page's
 * constructor and callbacks (attaching its own shadow root first, or removing the element). A `div` is
 * never upgraded (customized built-ins need an `is` we do not give), and unlike an unknown tag without a
 * hyphen it may host a shadow root. The shadow root is attached before the host is in the page's DOM, so
 * no page script can get there first.
 */
export function createShadowHost(doc: Document, role: HostRole): { host: HTMLElement; shadow: ShadowRoot } {
  const host = doc.createElement('div');
  host.setAttribute(HOST_ATTR, role);
  host.setAttribute('style', HOST_STYLE);
  const shadow = host.attachShadow({ mode: 'open' });
  return { host, shadow };
}
