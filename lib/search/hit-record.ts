// What a search hit shows of a plan (title, issuers, 文号, date, text…): kept on the plan's searchDocs row, so describing a page of hits reads 20 small rows, not 20 whole documents.
import type { PlanRow } from '../library/db';
import type { DocGenre, PageKind, SiteId } from '../types';
import { planDate } from './tokens';

/** The fields of a plan a SearchHit is made from. */
export interface HitRecord {
  planId: string;
  title: string | null;
  issuers: string[];
  /** The 文号 as written. */
  docNumber: string | null;
  /** 成文日期, else 发布日期 (ISO). */
  date: string | null;
  site: SiteId;
  kind: PageKind;
  genre: DocGenre | null;
  url: string | null;
  savedAt: number;
  viewedAt: number | null;
  /** ExtractedDoc.text: snippets and clause offsets refer to it. */
  text: string;
}

/** A plan row's hit record. */
export function hitRecord(row: PlanRow): HitRecord {
  const m = row.doc.metadata;
  return {
    planId: row.id,
    title: row.title ?? m.title ?? null,
    issuers: m.issuers ?? [],
    docNumber: m.docNumber?.raw ?? null,
    date: planDate(row),
    site: row.site,
    kind: row.kind,
    genre: row.genre,
    url: row.url,
    savedAt: row.savedAt,
    viewedAt: row.viewedAt,
    text: row.doc.text ?? '',
  };
}

/**
 * Whether a kept record's stamps lag its plan row of the same version (updatedAt): opening a plan or
 * an import can change when it was saved or viewed without changing its content.
 */
export function stampsDiffer(rec: Pick<HitRecord, 'savedAt' | 'viewedAt'>, row: Pick<PlanRow, 'savedAt' | 'viewedAt'>): boolean {
  return rec.savedAt !== row.savedAt || rec.viewedAt !== row.viewedAt;
}
