// Saving, reading, listing and deleting plans; a plan's clause and citation rows are kept in step with it.
import { titleKey as makeTitleKey } from '../text/key';
import type { Citation, Clause, ExtractedDoc } from '../types';
import type { CitationRow, ClauseRow, LibraryDB, PlanRow, PlanSource, StoredDoc } from './db';
import { planKey } from './identity';

/** A plan with its document reassembled (clause tree and citations back in place). */
export interface Plan extends Omit<PlanRow, 'doc'> {
  doc: ExtractedDoc;
}

/** A plan row without its document: what lists show. */
export type PlanSummary = Omit<PlanRow, 'doc'>;

export interface ClockOptions {
  /** Epoch ms to stamp (tests); default Date.now(). */
  now?: number;
}

/** Bookkeeping fields of a plan that do not come from its document. */
export interface PlanStamp {
  id: string;
  source: PlanSource;
  savedAt: number;
  updatedAt: number;
  viewedAt: number | null;
}

/** Every table a plan write touches (highlights: re-attached when a deleted document comes back). */
export function planTables(db: LibraryDB) {
  return [db.plans, db.clauses, db.citations, db.highlights];
}

/** A fresh plan id. */
export function newId(): string {
  const c = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (c?.randomUUID) return c.randomUUID();
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}

/** The plan row for a document: identity and light columns derived from it, stamps given. */
export function planRow(doc: ExtractedDoc, stamp: PlanStamp, key: string = planKey(doc)): PlanRow {
  const { clauses: _clauses, citations: _citations, ...stored } = doc;
  const m = doc.metadata;
  const title = m.title ?? null;
  return {
    ...stamp,
    key,
    docNumberKey: m.docNumber?.normalized || null,
    titleKey: title ? makeTitleKey(title) || null : null,
    title,
    issuers: m.issuers,
    site: doc.detection.site,
    kind: doc.detection.kind,
    genre: doc.detection.genre,
    url: doc.url,
    published: m.dates.published,
    written: m.dates.written,
    doc: stored as StoredDoc,
  };
}

/** The clause tree flattened to rows in pre-order (iterative: no recursion limit on odd trees). */
export function clauseRows(planId: string, clauses: Clause[]): ClauseRow[] {
  const rows: ClauseRow[] = [];
  const seen = new Map<string, number>();
  const stack: Array<{ clause: Clause; parentId: string | null }> = [];
  for (let i = clauses.length - 1; i >= 0; i--) stack.push({ clause: clauses[i], parentId: null });
  while (stack.length) {
    const { clause, parentId } = stack.pop()!;
    const { id, children, ...rest } = clause;
    // A repeated id would overwrite a row of the [planId+clauseId] key: keep both, the later one renamed.
    const n = (seen.get(id) ?? 0) + 1;
    seen.set(id, n);
    const clauseId = n === 1 ? id : `${id}~${n}`;
    rows.push({ ...rest, planId, clauseId, parentId, order: rows.length });
    const kids = children ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ clause: kids[i], parentId: clauseId });
  }
  return rows;
}

/** Keys of every title a citation names, so a query by any of them finds it. */
function citedTitleKeys(c: Citation): string[] {
  const keys = new Set<string>();
  for (const t of [c.title, c.issues, c.aliasOf, ...(c.nested ?? [])]) {
    const k = t ? makeTitleKey(t) : '';
    if (k) keys.add(k);
  }
  return [...keys];
}

export function citationRows(planId: string, citations: Citation[]): CitationRow[] {
  return citations.map((c, index) => ({
    ...c,
    planId,
    index,
    titleKey: c.title ? makeTitleKey(c.title) || null : null,
    titleKeys: citedTitleKeys(c),
    docNumberKey: c.docNumber?.normalized || null,
  }));
}

/** Rebuild the ExtractedDoc a plan was saved from. */
export function assembleDoc(row: PlanRow, clauses: ClauseRow[], citations: CitationRow[]): ExtractedDoc {
  const byId = new Map<string, Clause>();
  const roots: Clause[] = [];
  for (const r of [...clauses].sort((a, b) => a.order - b.order)) {
    const { planId: _p, clauseId, parentId, order: _o, ...rest } = r;
    const clause: Clause = { ...rest, id: clauseId, children: [] };
    byId.set(clauseId, clause);
    const parent = parentId === null ? undefined : byId.get(parentId);
    (parent ? parent.children : roots).push(clause);
  }
  const cites: Citation[] = [...citations]
    .sort((a, b) => a.index - b.index)
    .map(({ planId: _p, index: _i, titleKey: _t, titleKeys: _k, docNumberKey: _d, ...c }) => c);
  return { ...row.doc, clauses: roots, citations: cites };
}

function toPlan(row: PlanRow, clauses: ClauseRow[], citations: CitationRow[]): Plan {
  return { ...row, doc: assembleDoc(row, clauses, citations) };
}

/**
 * Write a plan row and replace its clause and citation rows. Call inside a rw transaction over
 * planTables(db) so the plan is never seen with half its rows.
 */
export async function writePlanRows(db: LibraryDB, row: PlanRow, clauses: Clause[], citations: Citation[]): Promise<void> {
  await db.clauses.where('planId').equals(row.id).delete();
  await db.citations.where('planId').equals(row.id).delete();
  await db.plans.put(row);
  await db.clauses.bulkAdd(clauseRows(row.id, clauses));
  await db.citations.bulkAdd(citationRows(row.id, citations));
}

/** Highlights left behind when this document was deleted come back to its new plan. */
export async function reattachHighlights(db: LibraryDB, key: string, planId: string): Promise<void> {
  await db.highlights
    .where('planKey')
    .equals(key)
    .filter((h) => h.orphaned)
    .modify({ planId, orphaned: false });
}

/**
 * Upsert without opening a transaction (callers that batch several writes open one).
 * An existing plan with the same identity keeps its id, savedAt and viewedAt.
 */
export async function upsertDoc(
  db: LibraryDB,
  doc: ExtractedDoc,
  source: PlanSource,
  now: number,
): Promise<{ id: string; created: boolean }> {
  const key = planKey(doc);
  const existing = await db.plans.where('key').equals(key).first();
  const stamp: PlanStamp = existing
    ? { id: existing.id, source, savedAt: existing.savedAt, updatedAt: now, viewedAt: existing.viewedAt }
    : { id: newId(), source, savedAt: now, updatedAt: now, viewedAt: null };
  await writePlanRows(db, planRow(doc, stamp, key), doc.clauses, doc.citations);
  if (!existing) await reattachHighlights(db, key, stamp.id);
  return { id: stamp.id, created: !existing };
}

/** Save a document: creates a plan, or updates the one with the same identity (planKey). */
export async function savePlan(
  db: LibraryDB,
  doc: ExtractedDoc,
  source: PlanSource,
  options: ClockOptions = {},
): Promise<{ id: string; created: boolean }> {
  const now = options.now ?? Date.now();
  return db.transaction('rw', planTables(db), () => upsertDoc(db, doc, source, now));
}

async function loadPlan(db: LibraryDB, row: PlanRow | undefined): Promise<Plan | undefined> {
  if (!row) return undefined;
  const [clauses, citations] = await Promise.all([
    db.clauses.where('planId').equals(row.id).toArray(),
    db.citations.where('planId').equals(row.id).toArray(),
  ]);
  return toPlan(row, clauses, citations);
}

export async function getPlan(db: LibraryDB, id: string): Promise<Plan | undefined> {
  return db.transaction('r', [db.plans, db.clauses, db.citations], async () => loadPlan(db, await db.plans.get(id)));
}

export async function getPlanByKey(db: LibraryDB, key: string): Promise<Plan | undefined> {
  return db.transaction('r', [db.plans, db.clauses, db.citations], async () =>
    loadPlan(db, await db.plans.where('key').equals(key).first()),
  );
}

export interface ListOptions {
  limit?: number;
  offset?: number;
  /** Newest first. 'viewedAt' lists only plans that have been viewed. */
  orderBy?: 'savedAt' | 'viewedAt';
}

export async function listPlans(db: LibraryDB, options: ListOptions = {}): Promise<PlanSummary[]> {
  let c = db.plans.orderBy(options.orderBy ?? 'savedAt').reverse();
  if (options.offset) c = c.offset(options.offset);
  if (options.limit !== undefined) c = c.limit(options.limit);
  const rows = await c.toArray();
  return rows.map(({ doc: _doc, ...summary }) => summary);
}

/** Record that the reader opened a plan. Not a content change: updatedAt stays. */
export async function markViewed(db: LibraryDB, id: string, options: ClockOptions = {}): Promise<boolean> {
  return (await db.plans.update(id, { viewedAt: options.now ?? Date.now() })) > 0;
}

/**
 * Delete a plan with its clause and citation rows. Its highlights are the reader's own work, so
 * they are kept, flagged `orphaned`; saving the same document again re-attaches them.
 */
export async function deletePlan(db: LibraryDB, id: string): Promise<boolean> {
  return db.transaction('rw', planTables(db), async () => {
    if (!(await db.plans.get(id))) return false;
    await db.clauses.where('planId').equals(id).delete();
    await db.citations.where('planId').equals(id).delete();
    await db.plans.delete(id);
    await db.highlights.where('planId').equals(id).modify({ orphaned: true });
    return true;
  });
}

/**
 * Ids of the plans that cite a document, by its 文号 key (DocNumber.normalized) and/or its title
 * (any script: the title is keyed again here). A plan citing it either way is listed once.
 */
export async function citingPlans(
  db: LibraryDB,
  query: { docNumberKey?: string | null; titleKey?: string | null },
): Promise<string[]> {
  const ids = new Set<string>();
  const add = (keys: Array<[string, number]>) => keys.forEach(([planId]) => ids.add(planId));
  if (query.docNumberKey) add(await db.citations.where('docNumberKey').equals(query.docNumberKey).primaryKeys());
  const tk = query.titleKey ? makeTitleKey(query.titleKey) : '';
  if (tk) add(await db.citations.where('titleKeys').equals(tk).primaryKeys());
  return [...ids].sort();
}

export async function countPlans(db: LibraryDB): Promise<number> {
  return db.plans.count();
}
