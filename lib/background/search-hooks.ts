// Keeps the popup's search index in step with library writes (attached to LibraryService).
import type { WriteHooks } from './library-service';
import { indexPlanForSearch, removePlanFromSearch } from '../search/index';

export const searchHooks: WriteHooks = {
  async afterSave(db, planId) {
    await indexPlanForSearch(db, planId);
  },
  async afterDelete(db, planId) {
    await removePlanFromSearch(db, planId);
  },
  async afterView(db, planId) {
    // Same version: only the hit row's viewedAt follows.
    await indexPlanForSearch(db, planId);
  },
};
