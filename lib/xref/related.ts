// Related clauses: an index of saved plans' clauses by winnowed 3-grams, and the lookup for a page's clauses.
import type { ClauseRow, LibraryDB } from '../library/db';
import { planKey } from '../library/identity';
import { clauseRows } from '../library/store';
import type { ExtractedDoc } from '../types';
import { savedOnly, titleEntries, type TitleVia } from './resolve';
import {
  decodePassages,
  encodePassages,
  excerpt,
  fingerprints,
  gramIndex,
  MIN_KEY,
  passageSpans,
  similarity,
  textPassages,
  type KeyedPassage,
  type TextPassage,
} from './terms';

/*
 * What is indexed: every clause of a plan (heading line + its own text, children excluded); a plan
 * without a clause tree (press releases, interpretations) has each block indexed as a pseudo-clause
 * with id `b<block index>`. Each indexed unit gets a number (`no`), assigned in sequence, one plan's
 * units contiguous. Rows of `xrefTerms`:
 * - `g:<3-gram>`  postings: the sorted `no`s of units with that fingerprint (Uint32Array) and df, their
 *   count. A term in more than max(5% of units, STOP_FLOOR) units is a stop term: its postings are
 *   dropped and only df is kept from then on (until rebuildIndex).
 * - `t:<titleKey>` the plans bearing that title, or issuing it (印发《X》的通知), for citations.
 * - `p:<planId>`   the plan's record: title keys, its range of unit numbers.
 * - `#stats`       unit and plan counts, the next unit number, the index format.
 * IDF is ln(1 + N/df), N and df updated on every index write (no pass over the library). It is
 * approximate in two ways: df counts units whose winnowed fingerprints include the 3-gram (a unit
 * holding it unpicked is not counted), and a stop term stays a stop term after deletions bring it
 * back under the line, until rebuildIndex. Lookup skips terms in more than 5% of units anyway.
 * Why winnowing rather than each clause's rarest terms: see terms.ts (it does not depend on the
 * library's statistics at the time a plan was indexed, and it guarantees shared phrases are found).
 */

/** Index format; a different stored value means the index must be rebuilt. */
export const XREF_INDEX_VERSION = 1;
export const STATS_TERM = '#stats';
/** Past this many units a fingerprint may become a stop term (5% of units, whichever is larger). */
export const STOP_FLOOR = 5000;
/** At lookup, fingerprints in more than max(5% of units, this) are skipped. */
const SKIP_FLOOR = 50;
const SKIP_FRACTION = 0.05;
/** Postings read per page passage, rarest fingerprints first (bounds lookup time in a big library). */
const POSTINGS_BUDGET = 20000;
/** Candidate units verified per page passage. */
const VERIFY_PER_PASSAGE = 8;
/** Results below this score are unrelated. */
export const MIN_RELATED_SCORE = 0.5;
/**
 * Plans indexed per transaction by rebuildIndex and afterImport: each batch rewrites the term rows
 * it touches once, so bigger batches write less in all.
 */
export const INDEX_BATCH = 100;

/** One indexed clause (or block of a plan without clauses), with what matching reads. */
export interface XrefClauseRow {
  /** Unit number used in postings. */
  no: number;
  planId: string;
  /** ClauseRow.clauseId, or `b<block index>` for a block of a plan without clauses. */
  clauseId: string;
  /** Clause labels from the root, e.g. ['一、', '(三)']; [] for a block. */
  path: string[];
  heading: string;
  /** Plan title, so results need no plan read. */
  title: string | null;
  /** The text indexed: heading line and the clause's own text, as written. */
  text: string;
  /** encodePassages(textPassages(text)): passage keys, lined up with passageSpans(text). */
  key: string;
}

/** `g:<3-gram>`: which units have this fingerprint. */
export interface XrefGramRow {
  term: string;
  kind: 'gram';
  /** Units with this fingerprint (document frequency). */
  df: number;
  /** Their numbers, ascending; null once the term became a stop term. */
  postings: Uint32Array | null;
}

/** `t:<titleKey>`: plans titled so, or issuing a document so titled. */
export interface XrefTitleRow {
  term: string;
  kind: 'title';
  plans: Array<{ planId: string; via: TitleVia }>;
}

/** `p:<planId>`: what the index holds for a plan. */
export interface XrefPlanRow {
  term: string;
  kind: 'plan';
  planId: string;
  title: string | null;
  docNumberKey: string | null;
  titleKey: string | null;
  /** titleKey of the document this plan issues (印发《X》的通知 → X), null when none. */
  issuedKey: string | null;
  /** Unit numbers first .. first + units - 1 belong to this plan. */
  first: number;
  units: number;
  /** The `t:` terms this plan is listed under. */
  titleTerms: string[];
}

export interface XrefStatsRow {
  term: string;
  kind: 'stats';
  version: number;
  /** Indexed units (N for IDF) and plans. */
  units: number;
  plans: number;
  nextNo: number;
}

export type XrefTermRow = XrefGramRow | XrefTitleRow | XrefPlanRow | XrefStatsRow;

/** A clause of another saved plan that says the same or nearly the same thing. */
export interface RelatedClause {
  planId: string;
  clauseId: string;
  path: string[];
  heading: string;
  /** Title of that plan. */
  title: string | null;
  /** 0..1 (see terms.ts similarity); only results at or above MIN_RELATED_SCORE are returned. */
  score: number;
  /** The matching passage of that clause, as written there, trimmed. */
  text: string;
  /** The passage of this page's clause that matched it. */
  pageText: string;
}

export interface RelatedOptions {
  /** A plan to leave out (the page's own saved copy; found by identity anyway). */
  excludePlanId?: string;
  /** Most results per clause, best first (default 5). */
  limitPerClause?: number;
  /** Lowest score returned (default MIN_RELATED_SCORE). */
  minScore?: number;
}

export const gramTerm = (g: string) => `g:${g}`;
export const titleTerm = (key: string) => `t:${key}`;
export const planTerm = (planId: string) => `p:${planId}`;

function freshStats(): XrefStatsRow {
  return { term: STATS_TERM, kind: 'stats', version: XREF_INDEX_VERSION, units: 0, plans: 0, nextNo: 1 };
}

/** The index's counters, or null when there is no index (or one of another format). */
export async function indexStats(db: LibraryDB): Promise<XrefStatsRow | null> {
  const row = await db.xrefTerms.get(STATS_TERM);
  return row && row.kind === 'stats' && row.version === XREF_INDEX_VERSION ? row : null;
}

/** A unit to index or to look up: one clause (or block) and its passages. */
interface Unit {
  clauseId: string;
  path: string[];
  heading: string;
  text: string;
}

/**
 * What a clause says: its heading line and its own text, without its responsibility note
 * ((市金融局牵头,…负责) says who, not what, and would make every clause of a city look alike).
 */
function clauseUnit(c: Pick<ClauseRow, 'clauseId' | 'path' | 'heading' | 'text' | 'responsibility'>): Unit {
  let text = c.text ?? '';
  const note = c.responsibility?.raw;
  if (note) {
    const at = text.lastIndexOf(note);
    if (at >= 0) text = text.slice(0, at) + text.slice(at + note.length);
  }
  return { clauseId: c.clauseId, path: c.path, heading: c.heading, text: [c.heading, text].filter((s) => s && s.trim()).join('\n') };
}

/** The units of a document: its clauses, or its blocks when it has no clause tree. */
function unitsOf(doc: Pick<ExtractedDoc, 'clauses' | 'blocks'>): Unit[] {
  if (doc.clauses.length) return clauseRows('', doc.clauses).map(clauseUnit);
  return doc.blocks.map((b, i) => ({ clauseId: `b${i}`, path: [], heading: '', text: b.text }));
}

const matchable = (p: KeyedPassage) => p.key.length >= MIN_KEY;

/** Fingerprints of a unit's stored key, distinct. */
function unitFingerprints(key: string): string[] {
  const set = new Set<string>();
  for (const p of decodePassages(key)) if (matchable(p)) for (const f of fingerprints(p.key)) set.add(f);
  return [...set];
}

/** Pending postings changes of one batch, applied in one read-modify-write of the term rows. */
class PostingEdits {
  readonly add = new Map<string, number[]>();
  readonly remove = new Map<string, Set<number>>();

  added(term: string, no: number) {
    const list = this.add.get(term);
    if (list) list.push(no);
    else this.add.set(term, [no]);
  }

  removed(term: string, no: number) {
    const set = this.remove.get(term);
    if (set) set.add(no);
    else this.remove.set(term, new Set([no]));
  }

  async apply(db: LibraryDB, units: number): Promise<void> {
    const terms = [...new Set([...this.add.keys(), ...this.remove.keys()])];
    if (!terms.length) return;
    const rows = await db.xrefTerms.bulkGet(terms);
    const stopAt = Math.max(STOP_FLOOR, Math.floor(units * SKIP_FRACTION));
    const put: XrefGramRow[] = [];
    const del: string[] = [];
    terms.forEach((term, i) => {
      const old = rows[i];
      const row: XrefGramRow = old && old.kind === 'gram' ? old : { term, kind: 'gram', df: 0, postings: new Uint32Array(0) };
      const gone = this.remove.get(term);
      const added = this.add.get(term) ?? [];
      let df = row.df;
      let postings = row.postings;
      if (gone && gone.size) {
        if (postings) {
          const kept = postings.filter((no) => !gone.has(no));
          df -= postings.length - kept.length;
          postings = kept;
        } else df = Math.max(0, df - gone.size); // a stop term: its units were counted, not listed
      }
      df += added.length;
      if (postings) {
        if (df > stopAt) postings = null;
        else if (added.length) {
          const next = new Uint32Array(postings.length + added.length);
          next.set(postings);
          next.set(added, postings.length); // new numbers are larger than every stored one: stays sorted
          postings = next;
        }
      }
      if (df <= 0) del.push(term);
      else put.push({ term, kind: 'gram', df, postings });
    });
    if (put.length) await db.xrefTerms.bulkPut(put);
    if (del.length) await db.xrefTerms.bulkDelete(del);
  }
}

/** Title-row changes of one batch. */
class TitleEdits {
  readonly add = new Map<string, Array<{ planId: string; via: TitleVia }>>();
  readonly remove = new Map<string, Set<string>>();

  async apply(db: LibraryDB): Promise<void> {
    const terms = [...new Set([...this.add.keys(), ...this.remove.keys()])];
    if (!terms.length) return;
    const rows = await db.xrefTerms.bulkGet(terms);
    const put: XrefTitleRow[] = [];
    const del: string[] = [];
    terms.forEach((term, i) => {
      const old = rows[i];
      const gone = this.remove.get(term);
      let plans = old && old.kind === 'title' ? old.plans.filter((p) => !gone?.has(p.planId)) : [];
      plans = plans.concat(this.add.get(term) ?? []);
      if (plans.length) put.push({ term, kind: 'title', plans });
      else del.push(term);
    });
    if (put.length) await db.xrefTerms.bulkPut(put);
    if (del.length) await db.xrefTerms.bulkDelete(del);
  }
}

/** Remove one plan's units and title entries; call inside a rw transaction over the xref tables. */
async function dropPlan(db: LibraryDB, planId: string, stats: XrefStatsRow, postings: PostingEdits, titles: TitleEdits): Promise<void> {
  const record = await db.xrefTerms.get(planTerm(planId));
  const units = await db.xrefClauses.where('planId').equals(planId).toArray();
  for (const u of units) for (const f of unitFingerprints(u.key)) postings.removed(gramTerm(f), u.no);
  if (units.length) await db.xrefClauses.where('planId').equals(planId).delete();
  stats.units = Math.max(0, stats.units - units.length);
  if (record && record.kind === 'plan') {
    for (const t of record.titleTerms) {
      const set = titles.remove.get(t) ?? new Set<string>();
      set.add(planId);
      titles.remove.set(t, set);
    }
    await db.xrefTerms.delete(planTerm(planId));
    stats.plans = Math.max(0, stats.plans - 1);
  }
}

/** Index one saved plan (read from the plans and clauses tables); call inside the transaction. */
async function addPlan(db: LibraryDB, planId: string, stats: XrefStatsRow, postings: PostingEdits, titles: TitleEdits): Promise<boolean> {
  const plan = await db.plans.get(planId);
  if (!plan) return false;
  let units: Unit[];
  const clauses = await db.clauses.where('planId').equals(planId).toArray();
  if (clauses.length) {
    units = clauses.sort((a, b) => a.order - b.order).map(clauseUnit);
  } else units = unitsOf({ clauses: [], blocks: plan.doc.blocks ?? [] });
  const first = stats.nextNo;
  const rows: XrefClauseRow[] = [];
  for (const u of units) {
    const passages = textPassages(u.text);
    if (!passages.some(matchable)) continue;
    const no = stats.nextNo++;
    const key = encodePassages(passages);
    rows.push({ no, planId, clauseId: u.clauseId, path: u.path, heading: u.heading, title: plan.title, text: u.text, key });
    for (const f of unitFingerprints(key)) postings.added(gramTerm(f), no);
  }
  if (rows.length) await db.xrefClauses.bulkPut(rows);
  stats.units += rows.length;
  stats.plans += 1;
  const entries = titleEntries(plan.title);
  for (const e of entries) {
    const t = titleTerm(e.key);
    const list = titles.add.get(t) ?? [];
    list.push({ planId, via: e.via });
    titles.add.set(t, list);
  }
  const record: XrefPlanRow = {
    term: planTerm(planId),
    kind: 'plan',
    planId,
    title: plan.title,
    docNumberKey: plan.docNumberKey,
    titleKey: plan.titleKey,
    issuedKey: entries.find((e) => e.via === 'issued')?.key ?? null,
    first,
    units: rows.length,
    titleTerms: entries.map((e) => titleTerm(e.key)),
  };
  await db.xrefTerms.put(record);
  return true;
}

/** Tables an index write touches. */
function xrefScope(db: LibraryDB) {
  return [db.plans, db.clauses, db.xrefTerms, db.xrefClauses];
}

/**
 * (Re)index saved plans in one transaction: each plan's old entries are replaced; a plan that is no
 * longer saved is removed from the index. Returns how many plans are now indexed among `planIds`.
 */
export async function indexPlans(db: LibraryDB, planIds: string[]): Promise<number> {
  if (!planIds.length) return 0;
  return db.transaction('rw', xrefScope(db), async () => {
    const stats = (await indexStats(db)) ?? freshStats();
    const postings = new PostingEdits();
    const titles = new TitleEdits();
    let indexed = 0;
    const ids = [...new Set(planIds)];
    for (const id of ids) await dropPlan(db, id, stats, postings, titles);
    for (const id of ids) if (await addPlan(db, id, stats, postings, titles)) indexed++;
    await postings.apply(db, stats.units);
    await titles.apply(db);
    await db.xrefTerms.put(stats);
    return indexed;
  });
}

/** Index (or re-index) one saved plan. */
export async function indexPlan(db: LibraryDB, planId: string): Promise<boolean> {
  return (await indexPlans(db, [planId])) > 0;
}

/** Remove plans from the index (they may already be deleted from the library). */
export async function unindexPlans(db: LibraryDB, planIds: string[]): Promise<void> {
  if (!planIds.length) return;
  await db.transaction('rw', [db.xrefTerms, db.xrefClauses], async () => {
    const stats = await indexStats(db);
    if (!stats) return;
    const postings = new PostingEdits();
    const titles = new TitleEdits();
    for (const id of new Set(planIds)) await dropPlan(db, id, stats, postings, titles);
    await postings.apply(db, stats.units);
    await titles.apply(db);
    await db.xrefTerms.put(stats);
  });
}

export async function unindexPlan(db: LibraryDB, planId: string): Promise<void> {
  await unindexPlans(db, [planId]);
}

/** Drop the whole index and build it again from every saved plan, INDEX_BATCH plans per transaction. */
export async function rebuildIndex(db: LibraryDB, onProgress?: (done: number, total: number) => void): Promise<number> {
  await db.transaction('rw', [db.xrefTerms, db.xrefClauses], async () => {
    await db.xrefTerms.clear();
    await db.xrefClauses.clear();
    await db.xrefTerms.put(freshStats());
  });
  const ids = (await db.plans.toCollection().primaryKeys()) as string[];
  let done = 0;
  let indexed = 0;
  for (let i = 0; i < ids.length; i += INDEX_BATCH) {
    const batch = ids.slice(i, i + INDEX_BATCH);
    indexed += await indexPlans(db, batch);
    done += batch.length;
    onProgress?.(done, ids.length);
  }
  return indexed;
}

/** A page passage being looked up. */
interface Probe {
  clauseId: string;
  /** The unit's text and this passage of it. */
  text: string;
  passage: TextPassage;
  terms: string[];
}

/** A verified result before trimming. */
interface Hit {
  row: XrefClauseRow;
  score: number;
  passage: number;
  run: [number, number];
  probe: Probe;
  runA: [number, number];
}

/** Passages of a stored unit, keys and spans lined up (cached per lookup). */
interface PreparedUnit {
  keyed: KeyedPassage[];
  spans: ReturnType<typeof passageSpans> | null;
}

/** The k keys with the largest values (ties: smaller key first), without sorting the whole map. */
function topK(acc: Map<number, number>, k: number): number[] {
  const best: Array<[number, number]> = [];
  for (const e of acc) {
    if (best.length === k) {
      const last = best[k - 1];
      if (e[1] < last[1] || (e[1] === last[1] && e[0] > last[0])) continue;
      best.pop();
    }
    let i = best.length;
    while (i > 0 && (best[i - 1][1] < e[1] || (best[i - 1][1] === e[1] && best[i - 1][0] > e[0]))) i--;
    best.splice(i, 0, e);
  }
  return best.map(([no]) => no);
}

/**
 * For each clause of the page (or block, for a page without clauses: ids `b<block index>`), the
 * clauses of other saved plans that say the same or nearly the same thing, best first. Clauses
 * with nothing related are absent from the map. Reads only the index rows of the page's own
 * fingerprints and the few candidate units: never every plan.
 */
export async function relatedClauses(db: LibraryDB, doc: ExtractedDoc, opts: RelatedOptions = {}): Promise<Map<string, RelatedClause[]>> {
  const limit = Math.max(1, opts.limitPerClause ?? 5);
  const minScore = opts.minScore ?? MIN_RELATED_SCORE;
  const out = new Map<string, RelatedClause[]>();
  const stats = await indexStats(db);
  if (!stats || !stats.units) return out;

  // The page's passages and their fingerprints.
  const probes: Probe[] = [];
  for (const u of unitsOf(doc)) {
    for (const p of textPassages(u.text)) {
      if (!matchable(p)) continue;
      probes.push({ clauseId: u.clauseId, text: u.text, passage: p, terms: fingerprints(p.key).map(gramTerm) });
    }
  }
  if (!probes.length) return out;

  // Plans to leave out: the one named, and the saved copy of this very document.
  const excluded = new Set<string>();
  if (opts.excludePlanId) excluded.add(opts.excludePlanId);
  for (const id of await db.plans.where('key').equals(planKey(doc)).primaryKeys()) excluded.add(id as string);
  const ranges: Array<[number, number]> = [];
  for (const r of await db.xrefTerms.bulkGet([...excluded].map(planTerm))) {
    if (r && r.kind === 'plan' && r.units) ranges.push([r.first, r.first + r.units]);
  }
  const isExcluded = (no: number) => ranges.some(([a, b]) => no >= a && no < b);

  // Postings of every distinct fingerprint of the page, in one read.
  const terms = [...new Set(probes.flatMap((p) => p.terms))];
  const rows = await db.xrefTerms.bulkGet(terms);
  const skipAbove = Math.max(SKIP_FLOOR, stats.units * SKIP_FRACTION);
  const postingsOf = new Map<string, { idf: number; postings: Uint32Array }>();
  terms.forEach((t, i) => {
    const r = rows[i];
    if (r && r.kind === 'gram' && r.postings && r.df <= skipAbove) {
      postingsOf.set(t, { idf: Math.log(1 + stats.units / r.df), postings: r.postings });
    }
  });

  // Candidates per passage: units sharing fingerprints, by summed IDF; the best few get verified.
  const candidates: number[][] = [];
  const wanted = new Set<number>();
  for (const p of probes) {
    const acc = new Map<number, number>();
    // Rarest fingerprints first, and no more postings than the budget: rare terms carry the weight.
    const usable = p.terms
      .map((t) => postingsOf.get(t))
      .filter((e): e is { idf: number; postings: Uint32Array } => !!e)
      .sort((a, b) => a.postings.length - b.postings.length);
    let scanned = 0;
    for (const e of usable) {
      if (scanned >= POSTINGS_BUDGET) break;
      scanned += e.postings.length;
      for (const no of e.postings) if (!isExcluded(no)) acc.set(no, (acc.get(no) ?? 0) + e.idf);
    }
    const top = topK(acc, VERIFY_PER_PASSAGE);
    candidates.push(top);
    for (const no of top) wanted.add(no);
  }
  if (!wanted.size) return out;
  const wantedList = [...wanted];
  const unitRows = await db.xrefClauses.bulkGet(wantedList);
  // Units of plans deleted without the index being told are left out (keys only: no plan is read).
  const saved = new Set(await savedOnly(db, [...new Set(unitRows.map((r) => r?.planId ?? ''))].filter(Boolean)));
  const units = new Map<number, XrefClauseRow>();
  wantedList.forEach((no, i) => {
    const r = unitRows[i];
    if (r && !excluded.has(r.planId) && saved.has(r.planId)) units.set(no, r);
  });

  // Verify on the stored keys; keep the best match per (page clause, other clause).
  const prepared = new Map<number, PreparedUnit>();
  const prepare = (row: XrefClauseRow): PreparedUnit => {
    let p = prepared.get(row.no);
    if (!p) prepared.set(row.no, (p = { keyed: decodePassages(row.key), spans: null }));
    return p;
  };
  const best = new Map<string, Map<string, Hit>>();
  probes.forEach((probe, pi) => {
    const index = gramIndex(probe.passage.key);
    for (const no of candidates[pi]) {
      const row = units.get(no);
      if (!row) continue;
      const unit = prepare(row);
      let h: Hit | null = null;
      for (let k = 0; k < unit.keyed.length; k++) {
        const kp = unit.keyed[k];
        if (!matchable(kp)) continue;
        const m = similarity(probe.passage, kp, index);
        if (m && m.score >= minScore && (!h || m.score > h.score)) h = { row, score: m.score, passage: k, run: m.run, probe, runA: m.runA };
      }
      if (!h) continue;
      const perClause = best.get(probe.clauseId) ?? new Map<string, Hit>();
      best.set(probe.clauseId, perClause);
      const id = `${row.planId}\u0000${row.clauseId}`;
      const prev = perClause.get(id);
      if (!prev || h.score > prev.score) perClause.set(id, h);
    }
  });

  for (const [clauseId, hits] of best) {
    const list = [...hits.values()]
      .sort((a, b) => b.score - a.score || a.row.no - b.row.no)
      .slice(0, limit)
      .map((h): RelatedClause => {
        const unit = prepare(h.row);
        unit.spans ??= passageSpans(h.row.text);
        const span = unit.spans[h.passage];
        const keyed = unit.keyed[h.passage];
        const text = span && unit.spans.length === unit.keyed.length ? excerpt(h.row.text, span, keyed, h.run) : h.row.text.slice(0, 90);
        return {
          planId: h.row.planId,
          clauseId: h.row.clauseId,
          path: h.row.path,
          heading: h.row.heading,
          title: h.row.title,
          score: h.score,
          text,
          pageText: excerpt(h.probe.text, h.probe.passage, h.probe.passage, h.runA),
        };
      });
    out.set(clauseId, list);
  }
  return out;
}
