// Answering the search box: match terms through the index (exact), filter, rank, and describe hits with marked snippets and clauses.
import type { ClauseRow, LibraryDB, PlanRow } from '../library/db';
import { readClauseSpans, withIndex, type ClauseSpan, type DocView, type IndexSnapshot, type Joined } from './index';
import { isEmptyQuery, parseQuery, passesFilters, type ParsedQuery, type QueryTerm, type SearchFilters } from './query';
import { scanSearch } from './scan';
import { keyCodesWithMapReusing } from './tokens';
import { hitRecord, type HitRecord } from './hit-record';

/** A marked range, as offsets into the string it belongs to (the UI renders text, never HTML). */
export interface Mark {
  start: number;
  end: number;
}

/** A short window of a text with the matched words marked. */
export interface Snippet {
  /** The window's text (line breaks shown as spaces; same length as the source window). */
  text: string;
  /** Where the window is in ExtractedDoc.text. */
  start: number;
  end: number;
  /** Offsets into `text`. */
  marks: Mark[];
  /** More text before / after the window (the UI adds "…"). */
  clippedStart: boolean;
  clippedEnd: boolean;
}

/** A clause of a hit that contains query terms. */
export interface ClauseHit {
  clauseId: string;
  label: string;
  heading: string;
  path: string[];
  level: number;
  /** The clause's span in ExtractedDoc.text. */
  start: number;
  end: number;
  /** How many different query terms occur in it, and how often in all. */
  terms: number;
  occurrences: number;
  snippet: Snippet | null;
}

/** A result: the plan's hit record (without its text), its score, and what of it matched. */
export interface SearchHit extends Omit<HitRecord, 'text'> {
  score: number;
  /** Marks in `title`. */
  titleMarks: Mark[];
  /** Best window of the body; for a plan matching only in its title or metadata, the body's opening (no marks). */
  snippet: Snippet | null;
  /** Clauses holding the terms, most terms and most specific first. */
  clauses: ClauseHit[];
}

export interface SearchResponse {
  query: ParsedQuery;
  /** 'recent': the query was empty (recently saved and viewed plans). */
  mode: 'recent' | 'search';
  /** Where matches came from: the index, the scan (no usable index yet), or the plans table (recent). */
  source: 'index' | 'scan' | 'plans';
  /** Number of matching plans (all of them, not just this page). */
  total: number;
  hits: SearchHit[];
  /** Every matching plan id in rank order, when asked for (allIds). */
  ids?: string[];
  /** Total time, and its parts: matching and ranking (index or scan), reading and describing the page of hits. */
  ms: number;
  matchMs?: number;
  hitsMs?: number;
}

export interface SearchOptions {
  /** The UI's chips; merged with filters typed in the box. */
  filters?: SearchFilters;
  /** Page size (default 20) and start. */
  limit?: number;
  offset?: number;
  /** Return `ids`: every match in rank order (tests and the benchmark compare it with the scan). */
  allIds?: boolean;
  /** Clauses listed per hit (default 3). */
  clausesPerHit?: number;
  /** Snippet window in characters (default 80). */
  snippetChars?: number;
  /** Profiling: when given, ms per phase are added to it (parse, open, postings, count, rank, read, describe; positions: the part of postings spent on a second batch of positions). */
  phases?: Record<string, number>;
}

// ---------------------------------------------------------------- ranking (shared with the scan)

/** How one term matched one plan. */
export interface TermMatch {
  /** Occurrences in the body key. */
  tf: number;
  inTitle: boolean;
  inMeta: boolean;
}

export interface RankStats {
  /** Live plans, their average body key length, and how many plans each term matches. */
  n: number;
  avgLen: number;
  df: number[];
  /** Each term's rarity weight, when computed once for all plans (else per plan, same formula). */
  idf?: number[];
}

const K1 = 1.2;
const B = 0.75;
const TITLE_WEIGHT = 2;
const META_WEIGHT = 1;
/** A 文号 query ranks the plan that bears that number above every plan that merely cites it. */
const OWN_NUMBER_BONUS = 50;

/** BM25's rarity weight of a term matching `df` of `n` plans. */
function idfOf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}

/** BM25 over body occurrences plus title and metadata bonuses, weighted by each term's rarity. */
export function scorePlan(matches: TermMatch[], stats: RankStats, bodyLen: number, ownNumber: boolean): number {
  let s = 0;
  for (let t = 0; t < matches.length; t++) {
    const idf = stats.idf ? stats.idf[t] : idfOf(stats.n, stats.df[t]);
    const tf = matches[t].tf;
    const body = tf === 0 ? 0 : (tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * bodyLen) / (stats.avgLen || 1)));
    s += idf * ((matches[t].inTitle ? TITLE_WEIGHT : 0) + (matches[t].inMeta ? META_WEIGHT : 0) + body);
  }
  return ownNumber ? s + OWN_NUMBER_BONUS : s;
}

export interface Ranked {
  planId: string;
  score: number;
  updatedAt: number;
}

/** Rank order: score, then the most recently updated, then plan id (a total order). */
export function compareRanked(a: Ranked, b: Ranked): number {
  return b.score - a.score || b.updatedAt - a.updatedAt || (a.planId < b.planId ? -1 : a.planId > b.planId ? 1 : 0);
}

/** Whether a term is this plan's own 文号. */
export function ownNumber(terms: QueryTerm[], numberKey: string | null): boolean {
  return !!numberKey && terms.some((t) => t.docNumber?.normalized === numberKey);
}

// ---------------------------------------------------------------- matching through the index

/** Matches in rank order: all of them (`top` null), or only the first `top`; `total` counts all. */
interface RankedPage {
  total: number;
  ranked: Ranked[];
}

/**
 * The first `top` of the items 0..count-1 in `compare` order without sorting them all (a bounded
 * max-heap of the best so far), as item numbers; every item, sorted, when `top` is null.
 */
export function topOf(count: number, compare: (a: number, b: number) => number, top: number | null): number[] {
  if (top === null || count <= top) return Array.from({ length: count }, (_, i) => i).sort(compare);
  if (top <= 0) return [];
  // Heap root = the worst of the kept ones.
  const heap: number[] = [];
  const worse = (a: number, b: number) => compare(a, b) > 0;
  const up = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!worse(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l], heap[m])) m = l;
      if (r < heap.length && worse(heap[r], heap[m])) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (let it = 0; it < count; it++) {
    if (heap.length < top) {
      heap.push(it);
      up(heap.length - 1);
    } else if (worse(heap[0], it)) {
      heap[0] = it;
      down(0);
    }
  }
  return heap.sort(compare);
}

/**
 * The first `top` of the matching plans (dense indexes `match[0..count)`, scores alongside) in
 * compareRanked order, made into Ranked only for those: no object per match.
 */
function topMatches(v: DocView, match: Int32Array, score: Float64Array, count: number, top: number | null): Ranked[] {
  const planIds = v.planIds;
  const upd = v.updatedAt;
  const compare = (a: number, b: number) => {
    const i = match[a];
    const j = match[b];
    return score[b] - score[a] || upd[j] - upd[i] || (planIds[i] < planIds[j] ? -1 : planIds[i] > planIds[j] ? 1 : 0);
  };
  return topOf(count, compare, top).map((x) => ({ planId: planIds[match[x]], score: score[x], updatedAt: upd[match[x]] }));
}

function rankWithIndex(snap: IndexSnapshot, q: ParsedQuery, top: number | null, phases?: Record<string, number>): Promise<RankedPage> | RankedPage {
  const v = snap.view;
  const f = q.filters;
  const filtered = f.issuers.length || f.sites.length || f.kinds.length || f.yearFrom !== null || f.yearTo !== null;
  // The view's string columns are made on first use: only a filtered query asks for these.
  const cols = filtered ? { issuerKeys: v.issuerKeys, sites: v.sites, hosts: v.hosts, kinds: v.kinds, genres: v.genres } : null;
  const passes = (i: number) =>
    !cols ||
    passesFilters(f, {
      issuerKeys: [cols.issuerKeys[i]],
      year: v.years[i],
      site: cols.sites[i],
      host: cols.hosts[i],
      kind: cols.kinds[i],
      genre: cols.genres[i],
    });
  const match = new Int32Array(v.n);
  const score = new Float64Array(v.n);
  let count = 0;
  if (!q.terms.length) {
    for (let i = 0; i < v.n; i++) if (passes(i)) match[count++] = i;
    return { total: count, ranked: topMatches(v, match, score, count, top) };
  }
  const keys = q.terms.flatMap((t) => t.keys);
  // The first key of a term is its typed form: it usually occurs, so its positions are read up front.
  const likely = q.terms.flatMap((t) => t.keys.map((_, i) => i === 0));
  return snap.countKeys(keys, phases, likely).then((counts) => {
    const tRank = now();
    const T = q.terms.length;
    const tf: Int32Array[] = [];
    const title: Uint8Array[] = [];
    const meta: Uint8Array[] = [];
    const df: number[] = [];
    let k = 0;
    for (const term of q.terms) {
      const sum = term.keys.length === 1 ? counts[k] : new Int32Array(v.n);
      const inTitle = new Uint8Array(v.n);
      const inMeta = new Uint8Array(v.n);
      for (const key of term.keys) {
        const c = counts[k++];
        if (c !== sum) for (let i = 0; i < v.n; i++) sum[i] += c[i];
        metaHits(v, key, inTitle, inMeta);
      }
      let n = 0;
      for (let i = 0; i < v.n; i++) if (sum[i] || inTitle[i] || inMeta[i]) n++;
      tf.push(sum);
      title.push(inTitle);
      meta.push(inMeta);
      df.push(n);
    }
    const stats: RankStats = { n: v.n, avgLen: v.n ? v.totalLen / v.n : 0, df, idf: df.map((d) => idfOf(v.n, d)) };
    const numberKeys = q.terms.some((t) => t.docNumber) ? v.numberKeys : null;
    const matches: TermMatch[] = q.terms.map(() => ({ tf: 0, inTitle: false, inMeta: false }));
    next: for (let i = 0; i < v.n; i++) {
      for (let t = 0; t < T; t++) if (!(tf[t][i] || title[t][i] || meta[t][i])) continue next;
      if (!passes(i)) continue;
      for (let t = 0; t < T; t++) {
        matches[t].tf = tf[t][i];
        matches[t].inTitle = title[t][i] === 1;
        matches[t].inMeta = meta[t][i] === 1;
      }
      score[count] = scorePlan(matches, stats, v.bodyLens[i], !!numberKeys && ownNumber(q.terms, numberKeys[i]));
      match[count++] = i;
    }
    const ranked = topMatches(v, match, score, count, top);
    if (phases) phases.rank = (phases.rank ?? 0) + now() - tRank;
    return { total: count, ranked };
  });
}

/** Flag every plan whose key in `col` contains `key`: one indexOf pass over the joined column. */
function flagContaining(col: Joined, key: string, flags: Uint8Array): void {
  const { text, starts } = col;
  for (let p = text.indexOf(key); p >= 0; ) {
    // The plan whose key holds p: the last start ≤ p.
    let lo = 0;
    let hi = starts.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= p) lo = mid;
      else hi = mid - 1;
    }
    flags[lo] = 1;
    p = text.indexOf(key, starts[lo + 1]);
  }
}

function metaHits(v: DocView, key: string, inTitle: Uint8Array, inMeta: Uint8Array): void {
  flagContaining(v.joined('titleKeys'), key, inTitle);
  flagContaining(v.joined('metaKeys'), key, inMeta);
}

// ---------------------------------------------------------------- describing hits

interface Occurrence {
  term: number;
  start: number;
  end: number;
}

/** Cap on occurrences of one key looked at in one text (a snippet needs a few; bounds the work on huge texts). */
const MAX_OCCURRENCES = 2000;

/**
 * Every occurrence of every term's keys in `text`, as offsets in `text`, in order. The keys are
 * matched on the text's key code units directly (no key string built; shared buffers).
 */
function occurrencesIn(text: string, terms: QueryTerm[]): Occurrence[] {
  if (!text || !terms.length) return [];
  const { codes, length, map } = keyCodesWithMapReusing(text);
  const out: Occurrence[] = [];
  terms.forEach((t, term) => {
    for (const k of t.keys) {
      const kl = k.length;
      if (!kl) continue;
      const first = k.charCodeAt(0);
      let n = 0;
      for (let i = 0; i + kl <= length; i++) {
        if (codes[i] !== first) continue;
        let j = 1;
        while (j < kl && codes[i + j] === k.charCodeAt(j)) j++;
        if (j < kl) continue;
        out.push({ term, start: map![i], end: map![i + kl - 1] + 1 });
        if (++n >= MAX_OCCURRENCES) break;
      }
    }
  });
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

function mergeMarks(occ: Occurrence[], from: number, to: number): Mark[] {
  const marks: Mark[] = [];
  for (const o of occ) {
    if (o.start < from || o.end > to) continue;
    const last = marks[marks.length - 1];
    if (last && o.start - from <= last.end) last.end = Math.max(last.end, o.end - from);
    else marks.push({ start: o.start - from, end: o.end - from });
  }
  return marks;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** The window of `width` characters in [lo, hi) covering the most different terms, then the most occurrences. */
function snippetIn(text: string, occ: Occurrence[], lo: number, hi: number, width: number, terms: number): Snippet | null {
  const inside = occ.filter((o) => o.start >= lo && o.end <= hi);
  let ws = lo;
  if (inside.length) {
    const lead = Math.floor(width / 4);
    const seen = new Int32Array(terms);
    let best = -1;
    let stamp = 0;
    let j0 = 0;
    for (const o of inside) {
      const s = Math.max(lo, Math.min(o.start - lead, hi - width));
      const e = Math.min(hi, s + width);
      while (j0 < inside.length && inside[j0].start < s) j0++;
      stamp++;
      let distinct = 0;
      let count = 0;
      for (let j = j0; j < inside.length && inside[j].start < e; j++) {
        if (inside[j].end > e) continue;
        count++;
        if (seen[inside[j].term] !== stamp) {
          seen[inside[j].term] = stamp;
          distinct++;
        }
      }
      const value = distinct * 100000 + count;
      if (value > best) {
        best = value;
        ws = s;
      }
    }
  } else if (occ.length) {
    return null;
  }
  let we = Math.min(hi, ws + width);
  if (ws > 0 && isLowSurrogate(text.charCodeAt(ws))) ws--;
  if (we < text.length && isLowSurrogate(text.charCodeAt(we))) we++;
  if (we <= ws) return null;
  return {
    text: text.slice(ws, we).replace(/[\r\n\t\f\v]/g, ' '),
    start: ws,
    end: we,
    marks: mergeMarks(inside, ws, we),
    clippedStart: ws > lo,
    clippedEnd: we < hi,
  };
}

/** Clauses holding terms: those covering the most terms and no less specific than needed. */
function clauseHits(text: string, clauses: ClauseSpan[], occ: Occurrence[], terms: number, limit: number, width: number): ClauseHit[] {
  if (!occ.length || !clauses.length || limit <= 0) return [];
  const info = new Map<string, { row: ClauseSpan; terms: number; count: number }>();
  const seen = new Int32Array(terms);
  let stamp = 0;
  for (const c of clauses) {
    stamp++;
    let distinct = 0;
    let count = 0;
    for (const o of occ) {
      if (o.start >= c.end) break;
      if (o.start < c.start || o.end > c.end) continue;
      count++;
      if (seen[o.term] !== stamp) {
        seen[o.term] = stamp;
        distinct++;
      }
    }
    if (count) info.set(c.clauseId, { row: c, terms: distinct, count });
  }
  // A clause whose child holds as many terms is less specific than that child: skip it.
  const covered = new Set<string>();
  for (const x of info.values()) {
    const parent = x.row.parentId ? info.get(x.row.parentId) : undefined;
    if (parent && parent.terms === x.terms) covered.add(parent.row.clauseId);
  }
  return [...info.values()]
    .filter((x) => !covered.has(x.row.clauseId))
    .sort((a, b) => b.terms - a.terms || b.count - a.count || a.row.order - b.row.order)
    .slice(0, limit)
    .map((x) => ({
      clauseId: x.row.clauseId,
      label: x.row.label,
      heading: x.row.heading,
      path: x.row.path,
      level: x.row.level,
      start: x.row.start,
      end: x.row.end,
      terms: x.terms,
      occurrences: x.count,
      snippet: snippetIn(text, occ, x.row.start, Math.min(x.row.end, text.length), width, terms),
    }));
}

/** The hit of a plan for a query (snippet, marks, clauses), from its hit record and clause spans. */
export function describeHit(q: ParsedQuery, rec: HitRecord, clauses: ClauseSpan[], score: number, options: SearchOptions = {}): SearchHit {
  const width = options.snippetChars ?? 80;
  const text = rec.text;
  const T = q.terms.length;
  const occ = occurrencesIn(text, q.terms);
  const title = rec.title;
  const titleOcc = title ? occurrencesIn(title, q.terms) : [];
  const sorted = [...clauses].sort((a, b) => a.order - b.order);
  return {
    planId: rec.planId,
    score,
    title,
    titleMarks: title ? mergeMarks(titleOcc, 0, title.length) : [],
    issuers: rec.issuers,
    docNumber: rec.docNumber,
    date: rec.date,
    site: rec.site,
    kind: rec.kind,
    genre: rec.genre,
    url: rec.url,
    savedAt: rec.savedAt,
    viewedAt: rec.viewedAt,
    snippet: T ? snippetIn(text, occ, 0, text.length, width, T) : null,
    clauses: T ? clauseHits(text, sorted, occ, T, options.clausesPerHit ?? 3, width) : [],
  };
}

/** Describe a page of ranked plans from what was read for them (a plan missing from `read` is skipped). */
function describePage(q: ParsedQuery, page: Ranked[], read: Array<{ rec: HitRecord; clauses: ClauseSpan[] } | null>, options: SearchOptions, t0: number): SearchHit[] {
  const tDescribe = now();
  if (options.phases) options.phases.read = (options.phases.read ?? 0) + tDescribe - t0;
  const hits: SearchHit[] = [];
  page.forEach((r, i) => {
    const x = read[i];
    if (x) hits.push(describeHit(q, x.rec, x.clauses, r.score, options));
  });
  if (options.phases) options.phases.describe = (options.phases.describe ?? 0) + now() - tDescribe;
  return hits;
}

/** Read the page's plans and their clause rows and describe each (plans deleted meanwhile are skipped): the scan's way. */
export async function hydrate(db: LibraryDB, q: ParsedQuery, page: Ranked[], options: SearchOptions): Promise<SearchHit[]> {
  if (!page.length) return [];
  const t0 = now();
  const ids = page.map((r) => r.planId);
  const [rows, spans] = await db.transaction('r', [db.plans, db.clauses], async () => {
    // One primary-key range per plan: cheaper than anyOf() on the planId index (a cursor jumping key to key).
    return Promise.all([db.plans.bulkGet(ids), q.terms.length ? readClauseSpans(db, ids) : ids.map((): ClauseSpan[] => [])]);
  });
  return describePage(q, page, rows.map((row, i) => (row ? { rec: hitRecord(row), clauses: spans[i] } : null)), options, t0);
}

/**
 * Describe the page from the plans' searchDocs rows: read in the index's own transaction, they are
 * the versions that matched (a plan deleted or re-saved meanwhile is shown as it was indexed).
 */
async function hydrateFromIndex(db: LibraryDB, q: ParsedQuery, page: Ranked[], options: SearchOptions): Promise<SearchHit[]> {
  if (!page.length) return [];
  const t0 = now();
  const docs = await db.searchDocs.bulkGet(page.map((r) => r.planId));
  return describePage(q, page, docs.map((d) => (d ? { rec: d.hit, clauses: d.clauses } : null)), options, t0);
}

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}

// ---------------------------------------------------------------- recent plans (empty query)

/** Recently saved and recently viewed plans, newest activity (max of savedAt, viewedAt) first. */
async function recentPlans(db: LibraryDB, q: ParsedQuery, options: SearchOptions, t0: number): Promise<SearchResponse> {
  const limit = options.limit ?? 20;
  const offset = options.offset ?? 0;
  // The top n by max(savedAt, viewedAt) are all within the top n of one of the two indexes;
  // every plan when all ids are asked for. Only keys are read, then the page's rows.
  const n = options.allIds ? Infinity : limit + offset;
  const [savedAt, savedIds, viewedAt, viewedIds, total] = await db.transaction('r', db.plans, () => {
    const saved = db.plans.orderBy('savedAt').reverse();
    const viewed = db.plans.orderBy('viewedAt').reverse();
    const cut = <T>(c: T & { limit(n: number): T }) => (n === Infinity ? c : c.limit(n));
    return Promise.all([
      cut(saved).keys(),
      cut(db.plans.orderBy('savedAt').reverse()).primaryKeys(),
      cut(viewed).keys(),
      cut(db.plans.orderBy('viewedAt').reverse()).primaryKeys(),
      db.plans.count(),
    ]);
  });
  const stamps = new Map<string, { id: string; savedAt: number; viewedAt: number | null }>();
  savedIds.forEach((id, i) => stamps.set(id, { id, savedAt: savedAt[i] as number, viewedAt: null }));
  viewedIds.forEach((id, i) => {
    const s = stamps.get(id);
    if (s) s.viewedAt = viewedAt[i] as number;
    else stamps.set(id, { id, savedAt: -Infinity, viewedAt: viewedAt[i] as number });
  });
  // A plan seen only among the viewed: its savedAt is older than anything listed, so viewedAt decides.
  const order = [...stamps.values()].sort(compareRecent);
  const pageIds = order.slice(offset, offset + limit).map((s) => s.id);
  const rows = (await db.plans.bulkGet(pageIds)).filter((r): r is PlanRow => !!r);
  return {
    query: q,
    mode: 'recent',
    source: 'plans',
    total,
    hits: rows.map((r) => describeHit(q, hitRecord(r), [], 0, options)),
    ids: options.allIds ? order.map((s) => s.id) : undefined,
    ms: now() - t0,
  };
}

/** Recent order: latest of savedAt and viewedAt first, then plan id. */
export function compareRecent(a: Pick<PlanRow, 'id' | 'savedAt' | 'viewedAt'>, b: Pick<PlanRow, 'id' | 'savedAt' | 'viewedAt'>): number {
  const ta = Math.max(a.savedAt, a.viewedAt ?? -Infinity);
  const tb = Math.max(b.savedAt, b.viewedAt ?? -Infinity);
  return tb - ta || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

// ---------------------------------------------------------------- entry point

/**
 * Search the library. `input` is what the reader typed (or an already parsed query). Empty: recent
 * plans. Otherwise every plan matching all terms (in title, metadata or text, any script) and the
 * filters, best first; the index answers, or the scan while no usable index exists.
 */
export async function search(db: LibraryDB, input: string | ParsedQuery, options: SearchOptions = {}): Promise<SearchResponse> {
  const t0 = now();
  const q = typeof input === 'string' ? parseQuery(input, options.filters) : input;
  const phases = options.phases;
  if (phases) phases.parse = (phases.parse ?? 0) + now() - t0;
  if (isEmptyQuery(q)) return recentPlans(db, q, options, t0);
  const limit = options.limit ?? 20;
  const offset = options.offset ?? 0;
  let t1 = 0;
  const answer = await withIndex(
    db,
    async (snap) => {
      if (phases) phases.open = (phases.open ?? 0) + now() - t0;
      const page = await rankWithIndex(snap, q, options.allIds ? null : offset + limit, phases);
      t1 = now();
      // The page's rows in the same read transaction as the index.
      return { page, hits: await hydrateFromIndex(db, q, page.ranked.slice(offset, offset + limit), options) };
    },
    [db.searchDocs],
  );
  if (answer === null) return scanSearch(db, q, options);
  const { page, hits } = answer;
  const t2 = now();
  return {
    query: q,
    mode: 'search',
    source: 'index',
    total: page.total,
    hits,
    ids: options.allIds ? page.ranked.map((r) => r.planId) : undefined,
    ms: t2 - t0,
    matchMs: t1 - t0,
    hitsMs: t2 - t1,
  };
}
