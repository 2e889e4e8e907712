// The element to walk in a document: its body, else its root element, else nothing.

/**
 * `doc.body ?? doc.documentElement`, but safe on a document without a root element: linkedom's `body`
 * getter throws there (a browser returns null), and a cut or empty page parses to exactly that.
 */
export function bodyOrRoot(doc: Document): HTMLElement | null {
  const root = doc.documentElement;
  if (!root) return null;
  return doc.body ?? root;
}
