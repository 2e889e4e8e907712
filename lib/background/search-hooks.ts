// Keeps the popup's search index in step with library writes (attached to LibraryService), and compacts it in the background.
import type { WriteHooks } from './library-service';
import { compactSearchIndex, indexPlanForSearch, removePlanFromSearch, type StreamMergeOptions } from '../search/index';

/**
 * The hooks, merging big segments after a write when enough of them piled up (compactSearchIndex:
 * not awaited, a save does not wait for it; one run at a time). `compaction`: the background passes
 * a progress callback that keeps its service worker alive through a long merge.
 */
export function searchHooksWith(compaction: StreamMergeOptions = {}): WriteHooks {
  const compact = (db: Parameters<typeof compactSearchIndex>[0]) => {
    // A failed or abandoned merge leaves the index as it was; the next write tries again.
    void compactSearchIndex(db, compaction).catch(() => undefined);
  };
  return {
    async afterSave(db, planId) {
      if ((await indexPlanForSearch(db, planId)) === 'indexed') compact(db);
    },
    async afterDelete(db, planId) {
      if ((await removePlanFromSearch(db, planId)) === 'removed') compact(db);
    },
    async afterView(db, planId) {
      // Same version: only the hit row's viewedAt follows.
      await indexPlanForSearch(db, planId);
    },
  };
}

export const searchHooks: WriteHooks = searchHooksWith();
