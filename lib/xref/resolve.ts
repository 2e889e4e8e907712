// Citation resolution: which saved plan a citation points to (by 文号, title, alias, 印发《X》 in both directions), and backlinks.
import { issuedTitle } from '../citations/citations';
import type { CitationRow, LibraryDB } from '../library/db';
import { planKey } from '../library/identity';
import { citingPlans } from '../library/store';
import { titleKey } from '../text/key';
import type { Citation, ExtractedDoc } from '../types';
import type { XrefTermRow } from './related';

/** How a plan is listed under a title key: it bears the title, or it is the notice issuing it. */
export type TitleVia = 'title' | 'issued';

/**
 * How a citation reached its plan:
 * - number: same 文号; title: same title (any script); alias: the full title an alias stands for;
 * - issues: the citation names a notice 印发《X》 and the saved plan is X;
 * - issued-by: the citation names X and the saved plan is the notice issuing X.
 */
export type ResolveVia = 'number' | 'title' | 'alias' | 'issues' | 'issued-by';

/** Better ways first: a 文号 is the strongest identity a document has. */
const RANK: Record<ResolveVia, number> = { number: 0, title: 1, alias: 1, issues: 2, 'issued-by': 3 };

export interface CitationTarget {
  planId: string;
  title: string | null;
  via: ResolveVia;
}

export interface ResolvedCitation {
  citation: Citation;
  /** Position in doc.citations. */
  index: number;
  /** The title cited: for an alias the full title it stands for; null for a bare 文号. */
  title: string | null;
  /** DocNumber.normalized of the 文号 cited, or null. */
  docNumber: string | null;
  /** The document cites itself (its own 文号, title, or the title it issues). Not looked up. */
  self: boolean;
  /** The saved plan cited, or null when none is saved (or for a self-citation). */
  target: CitationTarget | null;
  /** Other saved plans that match less strongly or equally (e.g. the same title from two issuers). */
  alternatives: CitationTarget[];
  /** For an unresolved citation: other saved plans citing the same document. Empty otherwise. */
  alsoCitedBy: Array<{ planId: string; title: string | null }>;
}

export interface Backlink {
  /** The citing plan. */
  planId: string;
  title: string | null;
  /** Its first citation of this plan. */
  citation: Citation;
}

/** The title keys a plan is listed under for citations: its title and the title it issues. */
export function titleEntries(title: string | null): Array<{ key: string; via: TitleVia }> {
  if (!title) return [];
  const out: Array<{ key: string; via: TitleVia }> = [];
  const own = titleKey(title);
  if (own) out.push({ key: own, via: 'title' });
  const issued = issuedTitle(title);
  const ik = issued ? titleKey(issued) : '';
  if (ik && ik !== own) out.push({ key: ik, via: 'issued' });
  return out;
}

function keyOrNull(s: string | null | undefined): string | null {
  return s ? titleKey(s) || null : null;
}

/** Titles of plans by id: from the index's plan records, the plan rows for any not indexed. */
async function planTitles(db: LibraryDB, ids: string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  if (!ids.length) return out;
  const records = await db.xrefTerms.bulkGet(ids.map((id) => `p:${id}`));
  const missing: string[] = [];
  ids.forEach((id, i) => {
    const r = records[i];
    if (r && r.kind === 'plan') out.set(id, r.title);
    else missing.push(id);
  });
  for (const id of missing) out.set(id, (await db.plans.get(id))?.title ?? null);
  return out;
}

/** The ids among `ids` that are saved plans (primary keys only: no plan is read). */
export async function savedOnly(db: LibraryDB, ids: string[]): Promise<string[]> {
  if (!ids.length) return ids;
  const saved = new Set((await db.plans.where('id').anyOf(ids).primaryKeys()) as string[]);
  return ids.filter((id) => saved.has(id));
}

/** Plans listed under a title key as the notice issuing that title (from the index). */
function issuingPlans(row: XrefTermRow | undefined): string[] {
  return row && row.kind === 'title' ? row.plans.filter((p) => p.via === 'issued').map((p) => p.planId) : [];
}

/**
 * For each citation of the document, the saved plan it points to. `selfPlanId`: the document's own
 * plan, if saved (the saved copy with the same identity is recognised anyway). Work per call: a few
 * indexed queries per distinct cited key.
 */
export async function resolveCitations(db: LibraryDB, doc: ExtractedDoc, selfPlanId?: string): Promise<ResolvedCitation[]> {
  const selfIds = new Set<string>();
  if (selfPlanId) selfIds.add(selfPlanId);
  for (const id of await db.plans.where('key').equals(planKey(doc)).primaryKeys()) selfIds.add(id as string);

  const ownTitle = doc.metadata.title;
  const ownNumber = doc.metadata.docNumber?.normalized || null;
  const ownTitles = new Set(titleEntries(ownTitle).map((e) => e.key));

  // Memoised lookups: a document cites the same thing many times (《行动计划》 nine times).
  const byNumber = new Map<string, Promise<string[]>>();
  const byTitle = new Map<string, Promise<string[]>>();
  const issuing = new Map<string, Promise<string[]>>();
  const memo = (m: Map<string, Promise<string[]>>, k: string, f: () => Promise<string[]>) => {
    let p = m.get(k);
    if (!p) m.set(k, (p = f()));
    return p;
  };
  const plansNumbered = (k: string) =>
    memo(byNumber, k, async () => (await db.plans.where('docNumberKey').equals(k).primaryKeys()) as string[]);
  const plansTitled = (k: string) => memo(byTitle, k, async () => (await db.plans.where('titleKey').equals(k).primaryKeys()) as string[]);
  // The title rows are derived data: keep only plans still saved (a delete the index has not seen yet).
  const plansIssuing = (k: string) => memo(issuing, k, async () => savedOnly(db, issuingPlans(await db.xrefTerms.get(`t:${k}`))));

  const results: ResolvedCitation[] = [];
  for (let index = 0; index < doc.citations.length; index++) {
    const citation = doc.citations[index];
    const numberKey = citation.docNumber?.normalized || null;
    const named = citation.kind === 'alias' && citation.aliasOf ? citation.aliasOf : citation.title;
    const nameKey = keyOrNull(named);
    const issuedKey = keyOrNull(citation.issues ?? (citation.title ? issuedTitle(citation.title) : null));
    const base = { citation, index, title: named ?? null, docNumber: numberKey, alternatives: [], alsoCitedBy: [] };

    const citesItself =
      (numberKey !== null && numberKey === ownNumber) ||
      (nameKey !== null && ownTitles.has(nameKey)) ||
      (issuedKey !== null && ownTitles.has(issuedKey));
    if (citesItself) {
      results.push({ ...base, self: true, target: null });
      continue;
    }

    const found = new Map<string, ResolveVia>();
    const note = (ids: string[], via: ResolveVia) => {
      for (const id of ids) {
        const prev = found.get(id);
        if (!prev || RANK[via] < RANK[prev]) found.set(id, via);
      }
    };
    if (numberKey) note(await plansNumbered(numberKey), 'number');
    if (nameKey) {
      note(await plansTitled(nameKey), citation.kind === 'alias' ? 'alias' : 'title');
      note(await plansIssuing(nameKey), 'issued-by');
    }
    if (issuedKey && issuedKey !== nameKey) {
      note(await plansTitled(issuedKey), 'issues');
      note(await plansIssuing(issuedKey), 'issued-by');
    }
    const hitsSelf = [...found.keys()].some((id) => selfIds.has(id));
    for (const id of selfIds) found.delete(id);
    const ranked = [...found].sort((a, b) => RANK[a[1]] - RANK[b[1]] || a[0].localeCompare(b[0]));
    if (!ranked.length && hitsSelf) {
      results.push({ ...base, self: true, target: null });
      continue;
    }

    const titles = await planTitles(db, ranked.map(([id]) => id));
    const targets: CitationTarget[] = ranked.map(([planId, via]) => ({ planId, title: titles.get(planId) ?? null, via }));
    if (targets.length) {
      results.push({ ...base, self: false, target: targets[0], alternatives: targets.slice(1) });
      continue;
    }

    // Unresolved: who else in the library cites the same document (by its number or any of its titles).
    const citing = new Set<string>();
    const queries: Array<{ docNumberKey?: string | null; titleKey?: string | null }> = [
      { docNumberKey: numberKey },
      { titleKey: nameKey },
      { titleKey: issuedKey },
    ];
    for (const query of queries) {
      if (!query.docNumberKey && !query.titleKey) continue;
      for (const id of await citingPlans(db, query)) if (!selfIds.has(id)) citing.add(id);
    }
    const ids = [...citing].sort();
    const citingTitles = await planTitles(db, ids);
    results.push({ ...base, self: false, target: null, alsoCitedBy: ids.map((planId) => ({ planId, title: citingTitles.get(planId) ?? null })) });
  }
  return results;
}

/**
 * Which saved plans cite this one: by its 文号, its title, or the title it issues (any script).
 * One entry per citing plan, with its first such citation; ordered by title.
 */
export async function backlinks(db: LibraryDB, planId: string): Promise<Backlink[]> {
  const record = await db.xrefTerms.get(`p:${planId}`);
  let number: string | null;
  let keys: string[];
  if (record && record.kind === 'plan') {
    number = record.docNumberKey;
    keys = [record.titleKey, record.issuedKey].filter((k): k is string => !!k);
  } else {
    const plan = await db.plans.get(planId);
    if (!plan) return [];
    number = plan.docNumberKey;
    keys = titleEntries(plan.title).map((e) => e.key);
  }
  const rows: CitationRow[] = [];
  if (number) rows.push(...(await db.citations.where('docNumberKey').equals(number).toArray()));
  for (const k of new Set(keys)) rows.push(...(await db.citations.where('titleKeys').equals(k).toArray()));
  const first = new Map<string, CitationRow>();
  for (const r of rows) {
    if (r.planId === planId) continue;
    const prev = first.get(r.planId);
    if (!prev || r.index < prev.index) first.set(r.planId, r);
  }
  const titles = await planTitles(db, [...first.keys()]);
  return [...first.values()]
    .map((r) => {
      const { planId: citing, index: _i, titleKey: _t, titleKeys: _k, docNumberKey: _d, ...citation } = r;
      return { planId: citing, title: titles.get(citing) ?? null, citation };
    })
    .sort((a, b) => (a.title ?? '').localeCompare(b.title ?? '') || a.planId.localeCompare(b.planId));
}
