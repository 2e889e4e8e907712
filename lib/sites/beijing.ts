// 首都之窗 (www.beijing.gov.cn): ol.doc-info metadata list, body in #mainText / .view inside .article.
import { elementText, isSkippedElement, tagOf } from '../page/blocks';
import {
  GENERIC_CHROME_SELECTORS,
  firstWithText,
  genericContentRoot,
  genericTitle,
  govMeta,
  parseInlinePair,
  scanFields,
  textLength,
  visibleTitle,
} from './generic';
import type { FieldPair, SiteProfile } from './profile';

const BODY_SELECTORS = ['#mainText', '.view.TRS_UEDITOR', 'div.view', '.TRS_UEDITOR', '.TRS_Editor'];
/** The doc-info box: the list itself (ol.doc-info) or a box holding it. */
const DOC_INFO = '.doc-info';
/** A page has one doc-info box with one short list: more are not read (each costs a pass over its subtree). */
const MAX_DOC_INFO = 8;
const MAX_DOC_INFO_ITEMS = 60;
const TITLE_SELECTORS = ['.article .header', '.article h1', '.article h2', '.header .title', '#title'];

/** Beyond this many characters of body text, the body is long enough that only a huge header could outweigh it. */
const MAX_BODY_MEASURE = 20_000;

/**
 * The .article wrapper holds the title above #mainText; used only when it is not much more than the body,
 * i.e. its text outside the body is at most half the body + 600. Both reads are bounded, so a giant body is
 * not walked in full (twice) just to compare lengths.
 */
function articleAround(body: Element): Element {
  const article = body.closest('.article');
  if (!article || article === body) return body;
  const bodyLen = textLength(elementText(body, isSkippedElement, MAX_BODY_MEASURE));
  const allowed = bodyLen * 0.5 + 600;
  const outside = textLength(elementText(article, (e) => e === body || isSkippedElement(e), allowed * 2 + 4096));
  return outside <= allowed ? article : body;
}

/**
 * ol/ul lists of the doc-info boxes, document order, bounded. Not `.doc-info ol` as a selector: matching a
 * descendant combinator costs every list × its ancestors, which deeply nested lists turn into a hang.
 */
function docInfoLists(doc: Document): Element[] {
  const out = new Set<Element>();
  const boxes = doc.querySelectorAll(DOC_INFO);
  for (let i = 0; i < boxes.length && i < MAX_DOC_INFO && out.size < MAX_DOC_INFO; i++) {
    const tag = tagOf(boxes[i]);
    if (tag === 'ol' || tag === 'ul') out.add(boxes[i]);
    const lists = boxes[i].querySelectorAll('ol, ul');
    for (let j = 0; j < lists.length && out.size < MAX_DOC_INFO; j++) out.add(lists[j]);
  }
  return [...out];
}

/** `[发文机构] 北京市人民政府` items, empty values kept (`[联合发文单位]`). */
function docInfoPairs(doc: Document): FieldPair[] {
  const out: FieldPair[] = [];
  for (const list of docInfoLists(doc)) {
    let items = 0;
    for (let li = list.firstElementChild; li && items < MAX_DOC_INFO_ITEMS; li = li.nextElementSibling, items++) {
      if (li.localName?.toLowerCase() !== 'li') continue;
      const pair = parseInlinePair(elementText(li));
      if (pair && pair.label) out.push(pair);
    }
  }
  return out;
}

export const beijingProfile: SiteProfile = {
  id: 'beijing',
  name: '首都之窗',
  contentRoot(doc) {
    const body = firstWithText(doc, BODY_SELECTORS);
    return body ? articleAround(body) : genericContentRoot(doc);
  },
  fields(doc) {
    const pairs = docInfoPairs(doc);
    return pairs.length > 0 ? pairs : scanFields(doc).pairs;
  },
  metadataBlocks(doc) {
    return docInfoPairs(doc).length > 0 ? docInfoLists(doc) : scanFields(doc).elements;
  },
  title(doc) {
    return govMeta(doc).ArticleTitle ?? visibleTitle(doc, TITLE_SELECTORS) ?? genericTitle(doc);
  },
  chromeSelectors: [
    ...GENERIC_CHROME_SELECTORS,
    '.bread-crumbs',
    '.fontsize',
    '.font-size-box',
    '.share',
    '.relevant',
    '.related',
    '.doc-info',
  ],
};
