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
import type { HighlightRow } from '../library/db';
import type { CreateHighlightRequest, HighlightQuery } from '../messages/protocol';
import {
  clauseIdAt,
  createHighlight,
  deleteHighlight,
  deviceId,
  listHighlights,
  updateHighlight,
  type HighlightChanges,
} from '../highlights/store';
import { importAnnotations, planInfo, toMarkdown, toW3C, type ImportResult, type PlanInfo } from '../highlights/export';

/** Highlights with the titles of their plans (the popup lists and filters by plan). */
export interface HighlightListing {
  highlights: HighlightRow[];
  plans: Record<string, { title: string | null; url: string | null }>;
}

/** An export file's content and suggested name. */
export interface HighlightExport {
  filename: string;
  mime: string;
  text: string;
}

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
  /** The plan was opened (its viewedAt moved; content unchanged). */
  afterView?(db: LibraryDB, planId: string): Promise<void>;
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
    await this.hooks.afterView?.(this.db, planId);
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

  // ------------------------------------------------------------------------------------ highlights

  /** The live highlights of one plan, oldest first (the order they are painted in). */
  async planHighlights(planId: string): Promise<HighlightRow[]> {
    return (await listHighlights(this.db, { planId })).reverse();
  }

  /**
   * A new highlight. Without a plan id the document is saved first (a highlight belongs to a plan);
   * `savedPlan` then says so, so the page can show itself as saved.
   */
  async createHighlight(req: Omit<CreateHighlightRequest, 'type'>): Promise<{ highlight: HighlightRow; planId: string; savedPlan: boolean }> {
    let planId = req.planId;
    let savedPlan = false;
    if (!planId) {
      if (!req.doc) throw new Error('createHighlight: neither a plan nor a document to save');
      planId = (await this.save(req.doc, 'page')).planId;
      savedPlan = true;
    }
    const plan = await getPlan(this.db, planId);
    if (!plan) throw new Error(`createHighlight: no plan ${planId}`);
    // Filed under the clause of the text it was made on (the page's text, or the plan's in the reader).
    const clauses = req.doc?.clauses ?? plan.doc.clauses;
    const highlight = await createHighlight(this.db, {
      planId,
      planKey: plan.key,
      url: req.url ?? req.doc?.url ?? plan.url,
      selector: req.selector,
      clauseId: req.clauseId ?? clauseIdAt(clauses, req.selector.start),
      color: req.color,
      note: req.note,
      tags: req.tags,
    });
    return { highlight, planId, savedPlan };
  }

  updateHighlight(id: string, changes: HighlightChanges): Promise<HighlightRow | null> {
    return updateHighlight(this.db, id, changes);
  }

  /** Deletes (a tombstone stays for sync); the deleted row, or null when there was none. */
  deleteHighlight(id: string): Promise<HighlightRow | null> {
    return deleteHighlight(this.db, id);
  }

  /** Highlights across the library (newest first) with their plans' titles. */
  async listHighlights(query: HighlightQuery = {}, limit = 500): Promise<HighlightListing> {
    const highlights = await listHighlights(this.db, { ...query, limit });
    const plans: HighlightListing['plans'] = {};
    const ids = [...new Set(highlights.map((h) => h.planId))];
    const rows = await this.db.plans.bulkGet(ids);
    rows.forEach((p, i) => {
      if (p) plans[ids[i]] = { title: p.title, url: p.url };
    });
    return { highlights, plans };
  }

  /** Every live highlight as Markdown (by plan and clause) or W3C Web Annotation JSON. */
  async exportHighlights(format: 'markdown' | 'w3c', now = Date.now()): Promise<HighlightExport> {
    const rows = await listHighlights(this.db, {});
    const infos = new Map<string, PlanInfo>();
    for (const id of new Set(rows.map((h) => h.planId))) {
      const plan = await getPlan(this.db, id);
      if (plan) infos.set(id, planInfo(plan));
    }
    const day = new Date(now).toISOString().slice(0, 10);
    if (format === 'markdown') {
      return { filename: `policy-lens-highlights-${day}.md`, mime: 'text/markdown;charset=utf-8', text: toMarkdown(rows, infos, { now }) };
    }
    return {
      filename: `policy-lens-highlights-${day}.jsonld`,
      mime: 'application/ld+json;charset=utf-8',
      text: JSON.stringify(toW3C(rows, infos), null, 2),
    };
  }

  /** Imports W3C annotation JSON, merging with what is there (no duplicates). */
  importHighlights(data: unknown): Promise<ImportResult> {
    return importAnnotations(this.db, data);
  }

  deviceId(): Promise<string> {
    return deviceId(this.db);
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
