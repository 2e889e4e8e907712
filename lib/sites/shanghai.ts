// 上海市人民政府 (www.shanghai.gov.cn): article layout with #ivs_title and the body in #ivs_content.
import {
  GENERIC_CHROME_SELECTORS,
  firstWithText,
  genericContentRoot,
  genericTitle,
  govMeta,
  scanFields,
  visibleTitle,
} from './generic';
import type { SiteProfile } from './profile';

const BODY_SELECTORS = ['#ivs_content', '.Article_content', '#ivsContent', '.TRS_Editor', '.trout-region-content'];

export const shanghaiProfile: SiteProfile = {
  id: 'shanghai',
  name: '上海市人民政府',
  contentRoot(doc) {
    return firstWithText(doc, BODY_SELECTORS) ?? genericContentRoot(doc);
  },
  fields: (doc) => scanFields(doc).pairs,
  metadataBlocks: (doc) => scanFields(doc).elements,
  title(doc) {
    return (
      govMeta(doc).ArticleTitle ?? visibleTitle(doc, ['#ivs_title', '.Article_title', '.Article h1', '.Article h2']) ??
      genericTitle(doc)
    );
  },
  chromeSelectors: [...GENERIC_CHROME_SELECTORS, '.Article_tool', '.Article_share', '#ivs_share', '.bdshare'],
};
