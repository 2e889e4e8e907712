// Typed messages between content scripts, extension pages and the background, with shape checks:
// the background owns the library and acts only on messages that parse here.
import type { Detection, ExtractedDoc } from '../types';
import type { SearchFilters } from '../search/query';

/** Requests the background answers. Each `type` has one response shape (see Responses). */
export type Request =
  | { type: 'detected'; detection: Detection }
  | { type: 'lookup'; doc: ExtractedDoc }
  | { type: 'save'; doc: ExtractedDoc }
  | { type: 'getPlan'; planId: string }
  | { type: 'listPlans'; orderBy: 'savedAt' | 'viewedAt'; limit: number }
  | { type: 'deletePlan'; planId: string }
  | { type: 'importItems'; items: Array<{ name: string; doc: unknown } | { name: string; library: unknown }> }
  | { type: 'exportLibrary' }
  | { type: 'search'; query: string; filters: SearchFilters; limit: number; offset: number }
  | { type: 'activeTab'; action: 'save' | 'toggle' | 'status' | 'analyze' }
  | { type: 'openOverlay' }
  | { type: 'openPlan'; planId: string; clauseId: string | null };

/** Messages the background sends to a tab's overlay. */
export type TabMessage = { type: 'toggle' } | { type: 'save' } | { type: 'status' };

export type RequestType = Request['type'];

/** Which requests a content script (a web page's tab) may send; the rest are for extension pages only. */
export const CONTENT_SCRIPT_REQUESTS: ReadonlySet<RequestType> = new Set([
  'detected',
  'lookup',
  'save',
  'openOverlay',
  'openPlan',
]);

const KINDS = new Set(['policy', 'interpretation', 'other']);
const MAX_STRING = 2_000_000;

const isString = (v: unknown, max = 10_000): v is string => typeof v === 'string' && v.length <= max;
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function isDetection(v: unknown): v is Detection {
  return isObject(v) && KINDS.has(v.kind as string) && isString(v.site, 20) && Array.isArray(v.signals);
}

/** Shape check of an ExtractedDoc coming from a page: enough that the library code cannot be fed garbage. */
export function isExtractedDoc(v: unknown): v is ExtractedDoc {
  if (!isObject(v)) return false;
  if (!isDetection(v.detection)) return false;
  if (!isString(v.text, MAX_STRING)) return false;
  if (!Array.isArray(v.blocks) || !Array.isArray(v.clauses) || !Array.isArray(v.citations) || !Array.isArray(v.flags)) {
    return false;
  }
  const m = v.metadata;
  if (!isObject(m) || !isObject(m.dates) || !Array.isArray(m.issuers) || !Array.isArray(m.topics)) return false;
  if (m.title !== null && !isString(m.title, 1000)) return false;
  if (v.url !== null && !isString(v.url, 4000)) return false;
  return v.citations.every((c) => isObject(c) && typeof c.start === 'number' && typeof c.end === 'number');
}

/** Parses an incoming message; null for anything that is not a well-formed request. */
export function parseRequest(raw: unknown): Request | null {
  if (!isObject(raw) || typeof raw.type !== 'string') return null;
  switch (raw.type) {
    case 'detected':
      return isDetection(raw.detection) ? { type: 'detected', detection: raw.detection } : null;
    case 'lookup':
    case 'save':
      return isExtractedDoc(raw.doc) ? { type: raw.type, doc: raw.doc } : null;
    case 'getPlan':
    case 'deletePlan':
      return isString(raw.planId, 100) ? { type: raw.type, planId: raw.planId } : null;
    case 'listPlans': {
      const orderBy = raw.orderBy === 'viewedAt' ? 'viewedAt' : 'savedAt';
      const limit = typeof raw.limit === 'number' && raw.limit > 0 ? Math.min(raw.limit, 500) : 20;
      return { type: 'listPlans', orderBy, limit };
    }
    case 'openOverlay':
      return { type: 'openOverlay' };
    case 'exportLibrary':
      return { type: 'exportLibrary' };
    case 'search': {
      if (!isString(raw.query, 500)) return null;
      const f = isObject(raw.filters) ? raw.filters : {};
      const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x) => isString(x, 200)).slice(0, 20) : undefined);
      const year = (v: unknown) => (typeof v === 'number' && v > 1900 && v < 2200 ? v : null);
      const filters: SearchFilters = {
        issuers: strings(f.issuers),
        sites: strings(f.sites),
        kinds: strings(f.kinds),
        yearFrom: year(f.yearFrom),
        yearTo: year(f.yearTo),
      };
      const limit = typeof raw.limit === 'number' && raw.limit > 0 ? Math.min(raw.limit, 100) : 20;
      const offset = typeof raw.offset === 'number' && raw.offset >= 0 ? Math.floor(raw.offset) : 0;
      return { type: 'search', query: raw.query, filters, limit, offset };
    }
    case 'activeTab':
      return raw.action === 'save' || raw.action === 'toggle' || raw.action === 'status' || raw.action === 'analyze'
        ? { type: 'activeTab', action: raw.action }
        : null;
    case 'importItems': {
      // Items are validated in depth by lib/library/transfer.ts (naming the file); here only their envelope.
      if (!Array.isArray(raw.items) || raw.items.length > 10_000) return null;
      const ok = raw.items.every(
        (i) => isObject(i) && isString(i.name, 1000) && (('doc' in i && isObject(i.doc)) || ('library' in i && isObject(i.library))),
      );
      return ok ? { type: 'importItems', items: raw.items as Array<{ name: string; doc: unknown }> } : null;
    }
    case 'openPlan':
      return isString(raw.planId, 100) && (raw.clauseId == null || isString(raw.clauseId, 100))
        ? { type: 'openPlan', planId: raw.planId, clauseId: (raw.clauseId as string | undefined) ?? null }
        : null;
    default:
      return null;
  }
}

/** Whether a sender may make this request: content scripts only the page-facing ones. */
export function senderMayAsk(request: Request, sender: { fromExtensionPage: boolean; fromTab: boolean }): boolean {
  if (sender.fromExtensionPage) return true;
  return sender.fromTab && CONTENT_SCRIPT_REQUESTS.has(request.type);
}
