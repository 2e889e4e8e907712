// The plain substring scan: reads every plan and tests the query against its keyed fields. The benchmark's baseline and the tests' oracle.
import type { LibraryDB, PlanRow } from '../library/db';
import { isEmptyQuery, parseQuery, passesFilters, type FilterSubject, type ParsedQuery } from './query';
import {
  compareRanked,
  compareRecent,
  describeHit,
  hydrate,
  ownNumber,
  scorePlan,
  type Ranked,
  type RankStats,
  type SearchOptions,
  type SearchResponse,
  type TermMatch,
} from './search';
import { issuerNames, planFields, planHost, planYear, searchKey } from './tokens';
import { hitRecord } from './hit-record';

/** A plan as the scan sees it: its keyed fields and filter values. */
export interface ScanDoc {
  planId: string;
  updatedAt: number;
  titleKey: string;
  metaKey: string;
  bodyKey: string;
  numberKey: string | null;
  subject: FilterSubject;
}

export function scanDoc(row: PlanRow): ScanDoc {
  const f = planFields(row);
  return {
    planId: row.id,
    updatedAt: row.updatedAt,
    titleKey: searchKey(f.title),
    metaKey: searchKey(f.meta),
    bodyKey: searchKey(f.body),
    numberKey: row.doc.metadata.docNumber?.normalized || null,
    subject: {
      issuerKeys: issuerNames(row).map(searchKey),
      year: planYear(row),
      site: row.site,
      host: planHost(row.url),
      kind: row.kind,
      genre: row.genre,
    },
  };
}

/** Occurrences of `needle` in `hay`, overlapping ones included (one per start position). */
export function countOccurrences(hay: string, needle: string): number {
  let n = 0;
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) n++;
  return n;
}

/**
 * Collects what ranking needs while plans stream past (nothing but the matches is kept), then ranks:
 * the same features and order as the index path, computed with plain indexOf.
 */
export class ScanAccumulator {
  private n = 0;
  private totalLen = 0;
  private readonly df: number[];
  private readonly kept: Array<{ planId: string; updatedAt: number; matches: TermMatch[]; bodyLen: number; own: boolean }> = [];

  constructor(readonly query: ParsedQuery) {
    this.df = query.terms.map(() => 0);
  }

  add(d: ScanDoc): void {
    this.n++;
    this.totalLen += d.bodyKey.length;
    const matches: TermMatch[] = [];
    let all = true;
    this.query.terms.forEach((t, i) => {
      let tf = 0;
      let inTitle = false;
      let inMeta = false;
      for (const k of t.keys) {
        tf += countOccurrences(d.bodyKey, k);
        inTitle ||= d.titleKey.includes(k);
        inMeta ||= d.metaKey.includes(k);
      }
      const hit = tf > 0 || inTitle || inMeta;
      if (hit) this.df[i]++;
      else all = false;
      matches.push({ tf, inTitle, inMeta });
    });
    if (!all || !passesFilters(this.query.filters, d.subject)) return;
    this.kept.push({ planId: d.planId, updatedAt: d.updatedAt, matches, bodyLen: d.bodyKey.length, own: ownNumber(this.query.terms, d.numberKey) });
  }

  ranked(): Ranked[] {
    const stats: RankStats = { n: this.n, avgLen: this.n ? this.totalLen / this.n : 0, df: this.df };
    return this.kept
      .map((k) => ({
        planId: k.planId,
        updatedAt: k.updatedAt,
        score: this.query.terms.length ? scorePlan(k.matches, stats, k.bodyLen, k.own) : 0,
      }))
      .sort(compareRanked);
  }
}

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}

/** Search by reading every plan (no index). Same answer as search(), only slower. */
export async function scanSearch(db: LibraryDB, input: string | ParsedQuery, options: SearchOptions = {}): Promise<SearchResponse> {
  const t0 = now();
  const q = typeof input === 'string' ? parseQuery(input, options.filters) : input;
  const limit = options.limit ?? 20;
  const offset = options.offset ?? 0;
  if (isEmptyQuery(q)) {
    const rows: PlanRow[] = [];
    await db.plans.each((r) => void rows.push(r));
    rows.sort(compareRecent);
    return {
      query: q,
      mode: 'recent',
      source: 'scan',
      total: rows.length,
      hits: rows.slice(offset, offset + limit).map((r) => describeHit(q, hitRecord(r), [], 0, options)),
      ids: options.allIds ? rows.map((r) => r.id) : undefined,
      ms: now() - t0,
    };
  }
  const acc = new ScanAccumulator(q);
  await db.plans.each((row) => acc.add(scanDoc(row)));
  const ranked = acc.ranked();
  const hits = await hydrate(db, q, ranked.slice(offset, offset + limit), options);
  return {
    query: q,
    mode: 'search',
    source: 'scan',
    total: ranked.length,
    hits,
    ids: options.allIds ? ranked.map((r) => r.planId) : undefined,
    ms: now() - t0,
  };
}
