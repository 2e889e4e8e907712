// 中国政府网 (www.gov.cn): table.bd1 label/value cells (old) or .policyLibraryOverview_header (new), body #UCAP-CONTENT.
import { elementText, tagOf } from '../page/blocks';
import {
  GENERIC_CHROME_SELECTORS,
  fieldKey,
  firstWithText,
  genericContentRoot,
  genericTitle,
  govMeta,
  pairsFromCells,
  scanFields,
  visibleTitle,
} from './generic';
import type { FieldPair, SiteProfile } from './profile';

const BODY_SELECTORS = ['#UCAP-CONTENT', '.pages_content', '.article .TRS_UEDITOR', '.trs_editor_view'];
/** Old template: two table.bd1; new template (2019+): a table inside .policyLibraryOverview_header. */
const META_TABLES = 'table.bd1, .policyLibraryOverview_header';
const HEADER_CLASS = 'policyLibraryOverview_header';
/** A page has one such header; more are not looked into (each costs a search of its subtree). */
const MAX_HEADERS = 4;

/**
 * Metadata tables in document order, outermost only: a table nested in another is read with it (its rows are
 * the outer table's rows), so a page nesting them deeply costs one pass over its rows, not one per table.
 */
function metaTables(doc: Document): Element[] {
  // No descendant combinator (`.header table`): matching one costs every table × its ancestors.
  const tables = new Set<Element>();
  let headers = 0;
  for (const el of Array.from(doc.querySelectorAll(META_TABLES))) {
    const classes = (el.getAttribute('class') || '').split(/\s+/);
    if (tagOf(el) === 'table' && classes.includes('bd1')) tables.add(el);
    if (classes.includes(HEADER_CLASS) && headers++ < MAX_HEADERS) for (const t of Array.from(el.querySelectorAll('table'))) tables.add(t);
  }
  const all = [...tables];
  if (all.length < 2) return all;
  // element → whether it is or sits inside a metadata table; each ancestor is looked at once
  const inside = new Map<Element, boolean>();
  const within = (el: Element | null): boolean => {
    const path: Element[] = [];
    let result = false;
    for (let p = el; p; p = p.parentElement) {
      const known = inside.get(p);
      if (known !== undefined) {
        result = known;
        break;
      }
      path.push(p);
      if (tables.has(p)) {
        result = true;
        break;
      }
    }
    for (const e of path) inside.set(e, result);
    return result;
  };
  return all.filter((t) => !within(t.parentElement));
}

/** Label cells end in a colon (`<b>索 引 号：</b>`); any such label counts, known or not. */
function tablePairs(doc: Document): FieldPair[] {
  const out: FieldPair[] = [];
  for (const table of metaTables(doc)) {
    const rows = table.querySelectorAll('tr');
    for (let i = 0; i < rows.length; i++) {
      if (rows[i].querySelector('table')) continue;
      const cells: string[] = [];
      for (let c = rows[i].firstElementChild; c; c = c.nextElementSibling) {
        const tag = tagOf(c);
        if (tag === 'td' || tag === 'th') cells.push(elementText(c));
      }
      out.push(...pairsFromCells(cells, (label) => label.length > 0));
    }
  }
  return out;
}

function fields(doc: Document): FieldPair[] {
  const pairs = tablePairs(doc);
  return pairs.length > 0 ? pairs : scanFields(doc).pairs;
}

export const govcnProfile: SiteProfile = {
  id: 'govcn',
  name: '中国政府网',
  contentRoot(doc) {
    return firstWithText(doc, BODY_SELECTORS) ?? genericContentRoot(doc);
  },
  fields,
  metadataBlocks(doc) {
    return tablePairs(doc).length > 0 ? metaTables(doc) : scanFields(doc).elements;
  },
  title(doc) {
    const meta = govMeta(doc).ArticleTitle;
    if (meta) return meta;
    const fromTable = fields(doc).find((p) => fieldKey(p.label) === '标题');
    if (fromTable && fromTable.value) return fromTable.value;
    return visibleTitle(doc, ['#ti', '.article h1', '.pages-title', 'h1']) ?? genericTitle(doc);
  },
  chromeSelectors: [
    ...GENERIC_CHROME_SELECTORS,
    '#div_div',
    '#qr_container',
    '.pages_print',
    '.pages-date',
    '.editor',
    '.shareBox',
  ],
};
