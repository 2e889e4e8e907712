// Typed messages between content scripts, extension pages and the background, with shape checks:
// the background owns the library and acts only on messages that parse here.
import type { Detection, ExtractedDoc } from '../types';
import type { SearchFilters } from '../search/query';
import type { Selector } from '../highlights/selectors';
import { checkExtractedDoc } from './validate-doc';
import { isHighlightColor, MAX_NOTE, MAX_QUOTE, MAX_TAG, MAX_TAGS, type HighlightChanges, type HighlightColor } from '../highlights/model';

/** A new highlight as the overlay or reader asks for it. planId null: save `doc` first (a highlight belongs to a plan). */
export interface CreateHighlightRequest {
  type: 'createHighlight';
  planId: string | null;
  doc: ExtractedDoc | null;
  /** Address of the page it was made on (null in the reader: the plan's own address is used). */
  url: string | null;
  selector: Selector;
  clauseId: string | null;
  color: HighlightColor;
  note: string;
  tags: string[];
}

/** Filters of the popup's highlight list (all optional). */
export interface HighlightQuery {
  text?: string;
  color?: HighlightColor;
  tag?: string;
  planId?: string;
}

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
  | { type: 'openPlan'; planId: string; clauseId: string | null }
  | { type: 'planHighlights'; planId: string }
  | CreateHighlightRequest
  | { type: 'updateHighlight'; id: string; changes: HighlightChanges }
  | { type: 'deleteHighlight'; id: string }
  | { type: 'listHighlights'; query: HighlightQuery; limit: number }
  | { type: 'exportHighlights'; format: 'markdown' | 'w3c' }
  | { type: 'importHighlights'; data: unknown }
  /** Highlight sync's state for the popup (lib/sync/types.ts SyncReport); extension pages only. */
  | { type: 'syncStatus' };

/**
 * Messages the background sends to a tab's overlay. `highlights-changed` also goes to extension pages
 * (runtime.sendMessage): whoever shows that plan fetches its highlights again.
 */
export type TabMessage =
  | { type: 'toggle' }
  | { type: 'save' }
  | { type: 'status' }
  | { type: 'highlight-selection' }
  | { type: 'highlights-changed'; planId: string };

export type RequestType = Request['type'];

/** Which requests a content script (a web page's tab) may send; the rest are for extension pages only. */
export const CONTENT_SCRIPT_REQUESTS: ReadonlySet<RequestType> = new Set([
  'detected',
  'lookup',
  'save',
  'openOverlay',
  'openPlan',
  // The page's own highlights: listed, made and edited where they are read.
  'planHighlights',
  'createHighlight',
  'updateHighlight',
  'deleteHighlight',
]);

const KINDS = new Set(['policy', 'interpretation', 'other']);
const MAX_STRING = 2_000_000;

const isString = (v: unknown, max = 10_000): v is string => typeof v === 'string' && v.length <= max;
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function isDetection(v: unknown): v is Detection {
  return isObject(v) && KINDS.has(v.kind as string) && isString(v.site, 20) && Array.isArray(v.signals);
}

/** Deep check of an ExtractedDoc coming from a page (lib/messages/validate-doc.ts): every field, bounded. */
export function isExtractedDoc(v: unknown): v is ExtractedDoc {
  return checkExtractedDoc(v) === null;
}

const isCount = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;

/** A selector as stored: the quote and its context, offsets in order. */
export function isSelector(v: unknown): v is Selector {
  return (
    isObject(v) &&
    isString(v.quote, MAX_QUOTE) &&
    v.quote.length > 0 &&
    isString(v.prefix, 500) &&
    isString(v.suffix, 500) &&
    isCount(v.start, MAX_STRING) &&
    isCount(v.end, MAX_STRING) &&
    v.start <= v.end
  );
}

const isTags = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length <= MAX_TAGS * 2 && v.every((t) => isString(t, MAX_TAG * 4));

/** The editable fields, each checked; unknown fields dropped. Null when a given field is malformed. */
function parseChanges(v: unknown): HighlightChanges | null {
  if (!isObject(v)) return null;
  const out: HighlightChanges = {};
  if (v.color !== undefined) {
    if (!isHighlightColor(v.color)) return null;
    out.color = v.color;
  }
  if (v.note !== undefined) {
    if (!isString(v.note, MAX_NOTE)) return null;
    out.note = v.note;
  }
  if (v.tags !== undefined) {
    if (!isTags(v.tags)) return null;
    out.tags = v.tags;
  }
  return out;
}

/**
 * A message checked: the request, or (for a request type we know) what is wrong with it. Null for anything
 * that is not a request at all (not an object, or a type no handler has): no one is answering that.
 */
export type CheckedRequest = { request: Request; error?: undefined } | { request?: undefined; type: RequestType; error: string };

/** Every request type, once (a Record: the compiler says when a new type is missing here). */
const KNOWN: Record<RequestType, true> = {
  detected: true, lookup: true, save: true, getPlan: true, listPlans: true, deletePlan: true, importItems: true,
  exportLibrary: true, search: true, activeTab: true, openOverlay: true, openPlan: true, planHighlights: true,
  createHighlight: true, updateHighlight: true, deleteHighlight: true, listHighlights: true, exportHighlights: true,
  importHighlights: true, syncStatus: true,
};
const KNOWN_TYPES: ReadonlySet<string> = new Set(Object.keys(KNOWN));

/**
 * Like parseRequest, with a reason when a known request is malformed, so the background can answer
 * `{ error }` (naming the bad field of a document) instead of staying silent.
 */
export function checkRequest(raw: unknown): CheckedRequest | null {
  if (!isObject(raw) || typeof raw.type !== 'string' || !KNOWN_TYPES.has(raw.type)) return null;
  const type = raw.type as RequestType;
  const docFault = type === 'lookup' || type === 'save' || (type === 'createHighlight' && raw.doc != null) ? checkExtractedDoc(raw.doc) : null;
  if (docFault) return { type, error: `${type} refused: ${docFault}` };
  const request = parseRequest(raw);
  return request ? { request } : { type, error: `${type} refused: malformed request` };
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
    case 'planHighlights':
      return isString(raw.planId, 100) && raw.planId ? { type: 'planHighlights', planId: raw.planId } : null;
    case 'createHighlight': {
      const planId = raw.planId == null ? null : isString(raw.planId, 100) && raw.planId ? raw.planId : undefined;
      const doc = raw.doc == null ? null : isExtractedDoc(raw.doc) ? raw.doc : undefined;
      // Without a plan there must be the document to save first.
      if (planId === undefined || doc === undefined || (planId === null && doc === null)) return null;
      if (!isSelector(raw.selector)) return null;
      if (raw.clauseId != null && !isString(raw.clauseId, 100)) return null;
      if (raw.url != null && !isString(raw.url, 4000)) return null;
      const color = raw.color == null ? 'yellow' : raw.color;
      if (!isHighlightColor(color)) return null;
      const note = raw.note == null ? '' : raw.note;
      if (!isString(note, MAX_NOTE)) return null;
      const tags = raw.tags == null ? [] : raw.tags;
      if (!isTags(tags)) return null;
      const s = raw.selector;
      return {
        type: 'createHighlight',
        planId,
        doc,
        url: (raw.url as string | null | undefined) ?? null,
        selector: { quote: s.quote, prefix: s.prefix, suffix: s.suffix, start: s.start, end: s.end },
        clauseId: (raw.clauseId as string | null | undefined) ?? null,
        color,
        note,
        tags,
      };
    }
    case 'updateHighlight': {
      const changes = parseChanges(raw.changes);
      return isString(raw.id, 200) && raw.id && changes ? { type: 'updateHighlight', id: raw.id, changes } : null;
    }
    case 'deleteHighlight':
      return isString(raw.id, 200) && raw.id ? { type: 'deleteHighlight', id: raw.id } : null;
    case 'listHighlights': {
      const q = isObject(raw.query) ? raw.query : {};
      const query: HighlightQuery = {};
      if (isString(q.text, 500) && q.text.trim()) query.text = q.text;
      if (isHighlightColor(q.color)) query.color = q.color;
      if (isString(q.tag, MAX_TAG * 4) && q.tag) query.tag = q.tag;
      if (isString(q.planId, 100) && q.planId) query.planId = q.planId;
      const limit = typeof raw.limit === 'number' && raw.limit > 0 ? Math.min(Math.floor(raw.limit), 5000) : 500;
      return { type: 'listHighlights', query, limit };
    }
    case 'exportHighlights':
      return raw.format === 'markdown' || raw.format === 'w3c' ? { type: 'exportHighlights', format: raw.format } : null;
    case 'importHighlights':
      // Checked in depth by lib/highlights/export.ts, which names every problem.
      return raw.data !== undefined ? { type: 'importHighlights', data: raw.data } : null;
    case 'syncStatus':
      // No fields: anything else on the message is ignored.
      return { type: 'syncStatus' };
    default:
      return null;
  }
}

/** Whether a sender may make this request: content scripts only the page-facing ones. */
export function senderMayAsk(request: Pick<Request, 'type'>, sender: { fromExtensionPage: boolean; fromTab: boolean }): boolean {
  if (sender.fromExtensionPage) return true;
  return sender.fromTab && CONTENT_SCRIPT_REQUESTS.has(request.type);
}
