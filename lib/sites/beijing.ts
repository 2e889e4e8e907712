// 首都之窗 (www.beijing.gov.cn): ol.doc-info metadata list, body in #mainText / .view inside .article.
import { elementText } from '../page/blocks';
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
const DOC_INFO = 'ol.doc-info, ul.doc-info, .doc-info ol, .doc-info ul';
const TITLE_SELECTORS = ['.article .header', '.article h1', '.article h2', '.header .title', '#title'];

/** The .article wrapper holds the title above #mainText; used only when it is not much more than the body. */
function articleAround(body: Element): Element {
  const article = body.closest('.article');
  if (!article) return body;
  const bodyLen = textLength(elementText(body));
  return textLength(elementText(article)) <= bodyLen * 1.5 + 600 ? article : body;
}

function docInfoLists(doc: Document): Element[] {
  return Array.from(doc.querySelectorAll(DOC_INFO));
}

/** `[发文机构] 北京市人民政府` items, empty values kept (`[联合发文单位]`). */
function docInfoPairs(doc: Document): FieldPair[] {
  const out: FieldPair[] = [];
  for (const list of docInfoLists(doc)) {
    for (let li = list.firstElementChild; li; li = li.nextElementSibling) {
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
