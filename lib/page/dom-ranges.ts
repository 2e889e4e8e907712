// Finds a piece of cleaned document text inside a live element and returns a DOM Range over it,
// ignoring whitespace differences (the cleaned text squashes spaces the page keeps).

const SPACE = /[\s\u3000\u00a0\u200b\ufeff]/;

/** Text nodes of an element in document order, skipping scripts and styles. Iterative: pages nest deeply. */
function textNodes(root: Node): Text[] {
  const out: Text[] = [];
  const stack: Node[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    if (node.nodeType === 3) {
      out.push(node as Text);
      continue;
    }
    if (node.nodeType === 1) {
      const tag = (node as Element).tagName.toLowerCase();
      if (tag === 'script' || tag === 'style' || tag === 'noscript' || tag === 'template') continue;
    }
    const kids = node.childNodes;
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return out;
}

/**
 * Range over the `occurrence`-th match of `needle` in `root`'s text, comparing without whitespace.
 * Null when the text is not there (the page changed, or cleaning removed characters such as pinyin).
 */
export function findTextRange(doc: Document, root: Element, needle: string, occurrence = 0): Range | null {
  const want = [...needle].filter((c) => !SPACE.test(c)).join('');
  if (!want) return null;
  // Squashed page text with, for each character, the node and offset it came from.
  const nodes = textNodes(root);
  let squashed = '';
  const where: Array<[number, number]> = [];
  nodes.forEach((n, ni) => {
    const data = n.data;
    for (let i = 0; i < data.length; i++) {
      if (SPACE.test(data[i])) continue;
      squashed += data[i];
      where.push([ni, i]);
    }
  });
  let at = -1;
  for (let k = 0, from = 0; k <= occurrence; k++, from = at + 1) {
    at = squashed.indexOf(want, from);
    if (at < 0) return null;
  }
  const [startNode, startOffset] = where[at];
  const [endNode, endOffset] = where[at + want.length - 1];
  const range = doc.createRange();
  range.setStart(nodes[startNode], startOffset);
  range.setEnd(nodes[endNode], endOffset + 1);
  return range;
}
