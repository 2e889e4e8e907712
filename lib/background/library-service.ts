// What the background does with the library for its callers: look up a page, save it, open a plan,
// seed on install; keeps the cross-reference index in step with every write.
import type { ExtractedDoc, SiteId } from '../types';
import type { LibraryDB } from '../library/db';
import { planKey } from '../library/identity';
import { deletePlan, getPlan, getPlanByKey, listPlans, markViewed, savePlan, type PlanSummary } from '../library/store';
import { seedLibrary, type SeedResult } from '../library/seed';
import { resolveCitations, backlinks, type ResolvedCitation } from '../xref/resolve';
import { relatedClauses, type RelatedClause } from '../xref/related';
import { afterDelete, afterImport, afterSave, ensureIndex } from '../xref/index-maintenance';
import { exportLibrary, importItems, type ImportItem, type LibraryExport } from '../library/transfer';
import { extractFromText } from '../extract/pipeline';

/** Cross-references for one document, in the shape the panel shows (components/view-model.ts). */
export interface LookupResult {
  savedPlanId: string | null;
  citations: Array<{
    index: number;
    resolvedPlanId: string | null;
    resolvedTitle: string | null;
    self: boolean;
    alsoCitedBy: Array<{ planId: string; title: string }>;
  }>;
  related: Record<
    string,
    Array<{ planId: string; planTitle: string; clauseId: string; path: string[]; text: string; score: number }>
  >;
  backlinks: Array<{ planId: string; title: string }>;
}

export interface OpenedPlan extends LookupResult {
  planId: string;
  doc: ExtractedDoc;
}

/** Hooks other indexes (search) attach to library writes. */
export interface WriteHooks {
  afterSave?(db: LibraryDB, planId: string): Promise<void>;
  afterDelete?(db: LibraryDB, planId: string): Promise<void>;
}

function citationViews(resolved: ResolvedCitation[]): LookupResult['citations'] {
  return resolved.map((r) => ({
    index: r.index,
    resolvedPlanId: r.target?.planId ?? null,
    resolvedTitle: r.target?.title ?? null,
    self: r.self,
    alsoCitedBy: r.alsoCitedBy.map((p) => ({ planId: p.planId, title: p.title ?? '' })),
  }));
}

function relatedViews(map: Map<string, RelatedClause[]>): LookupResult['related'] {
  const out: LookupResult['related'] = {};
  for (const [clauseId, list] of map) {
    if (!list.length) continue;
    out[clauseId] = list.map((r) => ({
      planId: r.planId,
      planTitle: r.title ?? '',
      clauseId: r.clauseId,
      path: r.path,
      text: r.text,
      score: r.score,
    }));
  }
  return out;
}

export class LibraryService {
  constructor(
    readonly db: LibraryDB,
    private readonly hooks: WriteHooks = {},
  ) {}

  /** Cross-references of a document (a page being read, or a saved plan). */
  async lookup(doc: ExtractedDoc, knownPlanId?: string): Promise<LookupResult> {
    const savedPlanId = knownPlanId ?? (await getPlanByKey(this.db, planKey(doc)))?.id ?? null;
    const [resolved, related, links] = await Promise.all([
      resolveCitations(this.db, doc, savedPlanId ?? undefined),
      relatedClauses(this.db, doc, { excludePlanId: savedPlanId ?? undefined }),
      savedPlanId ? backlinks(this.db, savedPlanId) : Promise.resolve([]),
    ]);
    return {
      savedPlanId,
      citations: citationViews(resolved),
      related: relatedViews(related),
      backlinks: links.map((b) => ({ planId: b.planId, title: b.title ?? '' })),
    };
  }

  /** Save (or update) a document; the indexes follow in the same call. */
  async save(doc: ExtractedDoc, source: 'page' | 'import' = 'page'): Promise<{ planId: string; created: boolean }> {
    const { id, created } = await savePlan(this.db, doc, source);
    await afterSave(this.db, id);
    await this.hooks.afterSave?.(this.db, id);
    return { planId: id, created };
  }

  /** Import extracted documents and library exports all-or-nothing; the indexes follow. */
  async import(items: ImportItem[]): Promise<{ plans: number; highlights: number }> {
    const { plans, highlights, planIds } = await importItems(this.db, items);
    await afterImport(this.db, planIds);
    if (this.hooks.afterSave) for (const id of planIds) await this.hooks.afterSave(this.db, id);
    return { plans, highlights };
  }

  export(): Promise<LibraryExport> {
    return exportLibrary(this.db);
  }

  async open(planId: string): Promise<OpenedPlan | null> {
    const plan = await getPlan(this.db, planId);
    if (!plan) return null;
    await markViewed(this.db, planId);
    return { planId, doc: plan.doc, ...(await this.lookup(plan.doc, planId)) };
  }

  list(orderBy: 'savedAt' | 'viewedAt', limit: number): Promise<PlanSummary[]> {
    return listPlans(this.db, { orderBy, limit });
  }

  async remove(planId: string): Promise<boolean> {
    const removed = await deletePlan(this.db, planId);
    if (removed) {
      await afterDelete(this.db, planId);
      await this.hooks.afterDelete?.(this.db, planId);
    }
    return removed;
  }

  /**
   * Fill the library from the bundled seed texts, through the same pipeline as pages. Idempotent:
   * reinstalling, updating or restarting never duplicates a plan (lib/library/seed.ts).
   */
  async seed(seeds: Array<{ name: string; text: string; site?: SiteId }>, version: string): Promise<SeedResult> {
    // Seed files are text copies without a URL: the site they came from is recorded beside them (seeds/sources.json).
    const docs = seeds.map((s) => {
      const doc = extractFromText(s.text, null);
      if (s.site) doc.detection = { ...doc.detection, site: s.site, signals: [...doc.detection.signals, `seed-site:${s.site}`] };
      return { name: s.name, doc };
    });
    const result = await seedLibrary(this.db, docs, { version });
    await ensureIndex(this.db);
    if (this.hooks.afterSave && (result.added || result.refreshed)) {
      const plans = await listPlans(this.db, { orderBy: 'savedAt' });
      for (const p of plans) if (p.source === 'seed') await this.hooks.afterSave(this.db, p.id);
    }
    return result;
  }
}
