// The one interface every site adapter implements, and the lookup from a site id to its adapter.
import type { SiteId } from '../types';
import { beijingProfile } from './beijing';
import { genericProfile } from './generic';
import { govcnProfile } from './govcn';
import { shanghaiProfile } from './shanghai';
import { shenyangProfile } from './shenyang';

/**
 * One label/value pair of a site's structured metadata block, as the site shows it: whitespace squashed,
 * the decoration around the label removed (`[发文机构]` → `发文机构`, `索 引 号：` → `索 引 号`), the
 * label's own spacing and script kept. Compare labels with `fieldKey` (generic.ts).
 */
export interface FieldPair {
  label: string;
  value: string;
}

export interface SiteProfile {
  id: SiteId;
  /** The site's own name, e.g. '首都之窗'. */
  name: string;
  /** The element holding the document body; the built-in profiles fall back to the generic heuristics themselves. */
  contentRoot(doc: Document): Element | null;
  /** Label/value pairs of the site's structured metadata block (首都之窗's ol.doc-info, gov.cn's table.bd1…), raw. */
  fields(doc: Document): FieldPair[];
  /** Title as the page states it (meta ArticleTitle, the article heading, …), or null. */
  title(doc: Document): string | null;
  /** CSS selectors of chrome inside the content root to skip (share bars, print/font-size, editors). */
  chromeSelectors: string[];
  /**
   * Elements holding the structured metadata that `fields` reads, so block extraction can skip them
   * (they are fields, not content). Optional for profiles written elsewhere.
   */
  metadataBlocks?(doc: Document): Element[];
}

/** The adapter for a site; `none` and unknown ids get the generic government-site profile. */
export function profileFor(site: SiteId): SiteProfile {
  switch (site) {
    case 'beijing':
      return beijingProfile;
    case 'govcn':
      return govcnProfile;
    case 'shanghai':
      return shanghaiProfile;
    case 'shenyang':
      return shenyangProfile;
    default:
      return genericProfile;
  }
}
