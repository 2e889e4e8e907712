// Keeps the cross-reference index in step with the library: the background calls these after store.ts writes.
import type { LibraryDB } from '../library/db';
import { INDEX_BATCH, indexPlan, indexPlans, indexStats, rebuildIndex, unindexPlan } from './related';

/*
 * The index (xrefTerms, xrefClauses) is derived data: every function here can be re-run safely, and
 * needsRebuild() tells when it has drifted (no index yet, another format, plans written without a
 * hook — seedLibrary, say), in which case the background calls rebuildIndex.
 */

/** After savePlan (created or updated): index the plan afresh. */
export async function afterSave(db: LibraryDB, planId: string): Promise<void> {
  await indexPlan(db, planId);
}

/** After deletePlan: drop the plan's entries (the plan row is already gone; the index has what it needs). */
export async function afterDelete(db: LibraryDB, planId: string): Promise<void> {
  await unindexPlan(db, planId);
}

/** After importLibrary / importFiles / seedLibrary: index the written plans, a batch per transaction. */
export async function afterImport(db: LibraryDB, planIds: string[], onProgress?: (done: number, total: number) => void): Promise<void> {
  for (let i = 0; i < planIds.length; i += INDEX_BATCH) {
    await indexPlans(db, planIds.slice(i, i + INDEX_BATCH));
    onProgress?.(Math.min(planIds.length, i + INDEX_BATCH), planIds.length);
  }
}

/** True when the index is missing, of another format, or does not cover exactly the saved plans. */
export async function needsRebuild(db: LibraryDB): Promise<boolean> {
  const stats = await indexStats(db);
  if (!stats) return true;
  return stats.plans !== (await db.plans.count());
}

/** Rebuild when needed (on start-up); returns whether it rebuilt. */
export async function ensureIndex(db: LibraryDB, onProgress?: (done: number, total: number) => void): Promise<boolean> {
  if (!(await needsRebuild(db))) return false;
  await rebuildIndex(db, onProgress);
  return true;
}
