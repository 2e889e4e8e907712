// 沈阳市人民政府 (www.shenyang.gov.cn): article layout, `政策| 《…》` header, 来源/浏览量 lines, body below.
import { elementText } from '../page/blocks';
import {
  GENERIC_CHROME_SELECTORS,
  firstWithText,
  genericContentRoot,
  genericTitle,
  govMeta,
  queryAll,
  scanFields,
} from './generic';
import type { SiteProfile } from './profile';

const BODY_SELECTORS = ['.article-content', '#zoom', '.TRS_Editor', '.TRS_UEDITOR', '.zw', '.article_con'];
const HEADER_SELECTORS = ['.article-title', '.article-header h1', '.article h1'];

/** The header prints the column before the title (`政策| 《…》`); the column is not part of the title. */
function withoutColumn(s: string): string {
  return s.replace(/^[\u4e00-\u9fff]{1,8}\s*[|｜]\s*/, '').trim();
}

function headerTitle(doc: Document): string | null {
  for (const sel of HEADER_SELECTORS) {
    const el = queryAll(doc, sel, 1)[0] ?? null;
    const t = el ? withoutColumn(elementText(el)) : '';
    if (t.length >= 4) return t;
  }
  return null;
}

export const shenyangProfile: SiteProfile = {
  id: 'shenyang',
  name: '沈阳市人民政府',
  contentRoot(doc) {
    return firstWithText(doc, BODY_SELECTORS) ?? genericContentRoot(doc);
  },
  fields: (doc) => scanFields(doc).pairs,
  metadataBlocks: (doc) => scanFields(doc).elements,
  title(doc) {
    const meta = govMeta(doc).ArticleTitle;
    return (meta ? withoutColumn(meta) : null) ?? headerTitle(doc) ?? genericTitle(doc);
  },
  chromeSelectors: [
    ...GENERIC_CHROME_SELECTORS,
    '.article-info',
    '.article-tools',
    '.article-footer',
    '.tags',
    '.editor',
    '.kefu',
  ],
};
