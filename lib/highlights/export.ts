// Highlights out of and back into the library: Markdown (grouped by plan and clause) and W3C Web Annotation
// JSON (https://www.w3.org/TR/annotation-model/), whose import merges rather than duplicates.
import type { HighlightRow, LibraryDB } from '../library/db';
import { newId } from '../library/store';
import type { Clause } from '../types';
import { anchor } from './anchor';
import { cleanTags, isHighlightColor, DEFAULT_COLOR, MAX_NOTE, MAX_QUOTE, type HighlightColor } from './model';
import { deviceId as libraryDeviceId, editedRow } from './store';

/** What an export says about a plan: its title and address, and how to name its clauses. */
export interface PlanInfo {
  id: string;
  key: string | null;
  title: string | null;
  url: string | null;
  /** Clause id → its labels from the root (二、 (三)) and heading, for Markdown section titles. */
  clauses: Map<string, { path: string[]; heading: string; start: number }>;
}

/** PlanInfo of a plan's clause tree. */
export function planInfo(plan: { id: string; key: string | null; doc: { url: string | null; metadata: { title: string | null }; clauses: Clause[] } }): PlanInfo {
  const clauses = new Map<string, { path: string[]; heading: string; start: number }>();
  const stack = [...plan.doc.clauses];
  while (stack.length) {
    const c = stack.pop()!;
    clauses.set(c.id, { path: c.path, heading: c.heading, start: c.start });
    stack.push(...c.children);
  }
  return { id: plan.id, key: plan.key, title: plan.doc.metadata.title, url: plan.doc.url, clauses };
}

// ---------------------------------------------------------------------------------------------- Markdown

/** Backslash-escapes what Markdown would read as markup (incl. `<`, so page text never becomes HTML). */
export function escapeMarkdown(s: string): string {
  return s
    .replace(/[\\`*_[\]<>#|~]/g, (c) => `\\${c}`)
    // A line starting like a list item or a setext underline: escape its marker (1. → 1\.).
    .replace(/^(\s*)([-+=]|\d{1,9})([.)]?)(?=\s|$)/gm, (_m, sp: string, mark: string, dot: string) =>
      /\d/.test(mark) ? (dot ? `${sp}${mark}\\${dot}` : `${sp}${mark}`) : `${sp}\\${mark}${dot}`,
    );
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
const quoteBlock = (s: string) =>
  s
    .split(/\r\n|\r|\n/)
    .map((l) => `> ${escapeMarkdown(l)}`.trimEnd())
    .join('\n');

const COLOR_NAMES: Record<HighlightColor, string> = { yellow: '黄', green: '绿', blue: '蓝', pink: '粉' };

export interface MarkdownOptions {
  /** Heading of the file. */
  title?: string;
  /** Epoch ms written as the export date. */
  now?: number;
}

/**
 * Markdown of highlights: one section per plan (by title), one sub-section per clause in document order
 * (labels and heading), each highlight a quote with its note and tags. Highlights whose plan is not in
 * the library come last, under their address, so nothing is left out.
 */
export function toMarkdown(rows: readonly HighlightRow[], plans: ReadonlyMap<string, PlanInfo>, opts: MarkdownOptions = {}): string {
  const live = rows.filter((h) => !h.deleted);
  const out: string[] = [`# ${escapeMarkdown(opts.title ?? '政策透镜 · 划线与批注')}`];
  if (opts.now !== undefined) out.push('', `导出于 ${new Date(opts.now).toISOString().slice(0, 10)} · 共 ${live.length} 条`);
  const byPlan = new Map<string, HighlightRow[]>();
  const loose: HighlightRow[] = [];
  for (const h of live) {
    if (h.orphaned || !plans.has(h.planId)) loose.push(h);
    else byPlan.set(h.planId, [...(byPlan.get(h.planId) ?? []), h]);
  }
  const planOrder = [...byPlan.keys()].sort((a, b) =>
    (plans.get(a)!.title ?? '').localeCompare(plans.get(b)!.title ?? '', 'zh'),
  );
  const item = (h: HighlightRow) => {
    const lines = [quoteBlock(h.quote)];
    const meta: string[] = [];
    if (isHighlightColor(h.color)) meta.push(`颜色：${COLOR_NAMES[h.color]}`);
    if (h.tags.length) meta.push(`标签：${h.tags.map((t) => `\\#${escapeMarkdown(t)}`).join(' ')}`);
    if (h.note.trim()) lines.push('', ...h.note.trim().split(/\r\n|\r|\n/).map((l) => escapeMarkdown(l)));
    if (meta.length) lines.push('', meta.join(' · '));
    return lines.join('\n');
  };
  for (const planId of planOrder) {
    const plan = plans.get(planId)!;
    out.push('', `## ${escapeMarkdown(oneLine(plan.title ?? '（无标题）'))}`);
    if (plan.url) out.push('', `<${plan.url.replace(/[<>\s]/g, encodeURIComponent)}>`);
    const groups = new Map<string, HighlightRow[]>();
    for (const h of byPlan.get(planId)!.sort((a, b) => a.start - b.start)) {
      const k = h.clauseId && plan.clauses.has(h.clauseId) ? h.clauseId : '';
      groups.set(k, [...(groups.get(k) ?? []), h]);
    }
    const order = [...groups.keys()].sort((a, b) => (a ? plan.clauses.get(a)!.start : -1) - (b ? plan.clauses.get(b)!.start : -1));
    for (const k of order) {
      const c = k ? plan.clauses.get(k)! : null;
      const heading = c ? oneLine(`${c.path.join('')} ${c.heading}`) : '正文';
      out.push('', `### ${escapeMarkdown(heading)}`);
      for (const h of groups.get(k)!) out.push('', item(h));
    }
  }
  if (loose.length) {
    out.push('', '## 文库中已没有原文的划线');
    for (const h of loose) {
      out.push('', item(h));
      if (h.url) out.push('', `来源：<${h.url.replace(/[<>\s]/g, encodeURIComponent)}>`);
    }
  }
  return `${out.join('\n')}\n`;
}

// ------------------------------------------------------------------------------------ W3C Web Annotation

export const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';
/** Our own fields on an annotation (plan identity, colour, version): the round trip needs them. */
const EXT = 'policyLens';

export interface TextualBody {
  type: 'TextualBody';
  value: string;
  purpose: 'commenting' | 'tagging';
  format?: 'text/plain';
}

export interface Annotation {
  '@context'?: string | unknown[];
  id: string;
  type: 'Annotation';
  motivation: 'highlighting' | 'commenting';
  created: string;
  modified: string;
  body?: TextualBody[];
  target: {
    source: string;
    selector: Array<
      | { type: 'TextQuoteSelector'; exact: string; prefix: string; suffix: string }
      | { type: 'TextPositionSelector'; start: number; end: number }
    >;
    styleClass?: string;
  };
  [EXT]?: {
    planId: string;
    planKey: string | null;
    title: string | null;
    clauseId: string | null;
    color: string;
    version: number;
  };
}

export interface AnnotationCollection {
  '@context': string;
  type: 'AnnotationCollection';
  label: string;
  total: number;
  first: { type: 'AnnotationPage'; startIndex: 0; items: Annotation[] };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The annotation IRI of a highlight id (a UUID becomes urn:uuid:…). */
export const annotationId = (id: string) => (UUID.test(id) ? `urn:uuid:${id}` : `urn:policy-lens:highlight:${encodeURIComponent(id)}`);

/** The highlight id of an annotation IRI (the inverse of annotationId; other IRIs are kept whole). */
export function highlightIdOf(iri: string): string {
  if (/^urn:uuid:/i.test(iri)) return iri.slice(9);
  const m = /^urn:policy-lens:highlight:(.+)$/.exec(iri);
  if (m) {
    try {
      return decodeURIComponent(m[1]);
    } catch {
      return m[1];
    }
  }
  return iri;
}

/** The source IRI of a highlight: its page's address, else a URN naming its plan (seed texts have no URL). */
const sourceOf = (h: HighlightRow, plan?: PlanInfo) =>
  h.url ?? plan?.url ?? (h.planKey ? `urn:policy-lens:plan:${encodeURIComponent(h.planKey)}` : `urn:policy-lens:plan-id:${encodeURIComponent(h.planId)}`);

export function toAnnotation(h: HighlightRow, plan?: PlanInfo): Annotation {
  const body: TextualBody[] = [];
  if (h.note.trim()) body.push({ type: 'TextualBody', value: h.note, purpose: 'commenting', format: 'text/plain' });
  for (const t of h.tags) body.push({ type: 'TextualBody', value: t, purpose: 'tagging' });
  return {
    '@context': ANNO_CONTEXT,
    id: annotationId(h.id),
    type: 'Annotation',
    motivation: h.note.trim() ? 'commenting' : 'highlighting',
    created: new Date(h.createdAt).toISOString(),
    modified: new Date(h.updatedAt).toISOString(),
    ...(body.length ? { body } : {}),
    target: {
      source: sourceOf(h, plan),
      selector: [
        { type: 'TextQuoteSelector', exact: h.quote, prefix: h.prefix, suffix: h.suffix },
        { type: 'TextPositionSelector', start: h.start, end: h.end },
      ],
      styleClass: `pl-hl-${h.color}`,
    },
    [EXT]: { planId: h.planId, planKey: h.planKey, title: plan?.title ?? null, clauseId: h.clauseId, color: h.color, version: h.version },
  };
}

/** All live highlights as one AnnotationCollection (a single page holding every item). */
export function toW3C(rows: readonly HighlightRow[], plans: ReadonlyMap<string, PlanInfo>, label = '政策透镜划线'): AnnotationCollection {
  const items = rows.filter((h) => !h.deleted).map((h) => toAnnotation(h, plans.get(h.planId)));
  return { '@context': ANNO_CONTEXT, type: 'AnnotationCollection', label, total: items.length, first: { type: 'AnnotationPage', startIndex: 0, items } };
}

// ---------------------------------------------------------------------------------------------- import

/** One annotation read back: what it says, checked; null fields where it says nothing. */
export interface ParsedAnnotation {
  id: string | null;
  source: string | null;
  planId: string | null;
  planKey: string | null;
  quote: string;
  prefix: string;
  suffix: string;
  start: number | null;
  end: number | null;
  clauseId: string | null;
  color: HighlightColor;
  note: string;
  tags: string[];
  created: number | null;
  modified: number | null;
  version: number;
}

export interface ParseResult {
  items: ParsedAnnotation[];
  /** Annotations left out and why (index in the file and reason), at most 20. */
  problems: string[];
  /** How many were left out in all. */
  skipped: number;
}

const MAX_ITEMS = 50_000;
const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown, max = 10_000): string | null => (typeof v === 'string' && v.length <= max ? v : null);
const typeIs = (v: Record<string, unknown>, t: string) => v.type === t || (Array.isArray(v.type) && v.type.includes(t));
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const time = (v: unknown): number | null => {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isFinite(t) ? t : null;
};
const offset = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 50_000_000 ? v : null);

/** The annotations in a file: one Annotation, an array, an AnnotationPage or an AnnotationCollection. */
function annotationsIn(data: unknown): unknown[] {
  if (Array.isArray(data)) return data;
  if (!isObj(data)) return [];
  if (typeIs(data, 'AnnotationCollection')) {
    const first = data.first;
    if (isObj(first)) return asList(first.items);
    return asList(data.items);
  }
  if (typeIs(data, 'AnnotationPage')) return asList(data.items);
  return [data];
}

function parseOne(a: unknown): ParsedAnnotation | string {
  if (!isObj(a) || !typeIs(a, 'Annotation')) return 'not an Annotation';
  const target = asList(a.target).find(isObj) as Record<string, unknown> | undefined;
  if (!target) return 'no target';
  const selectors = asList(target.selector).filter(isObj);
  const q = selectors.find((s) => typeIs(s, 'TextQuoteSelector'));
  const p = selectors.find((s) => typeIs(s, 'TextPositionSelector'));
  const exact = q ? str(q.exact, MAX_QUOTE) : null;
  if (!exact) return 'no TextQuoteSelector with an exact quote';
  const ext = isObj(a[EXT]) ? (a[EXT] as Record<string, unknown>) : {};
  let note = '';
  const tags: string[] = [];
  for (const b of asList(a.body)) {
    if (typeof b === 'string') {
      note ||= b;
      continue;
    }
    if (!isObj(b) || (b.type !== undefined && !typeIs(b, 'TextualBody'))) continue;
    const value = str(b.value, MAX_NOTE);
    if (value === null) continue;
    if (b.purpose === 'tagging') tags.push(value);
    else note = note ? `${note}\n\n${value}` : value;
  }
  const styleColor = typeof target.styleClass === 'string' ? target.styleClass.replace(/^pl-hl-/, '') : null;
  const color = isHighlightColor(ext.color) ? ext.color : isHighlightColor(styleColor) ? styleColor : DEFAULT_COLOR;
  let start = p ? offset(p.start) : null;
  let end = p ? offset(p.end) : null;
  if (start === null || end === null || end < start) start = end = null;
  const id = str(a.id, 500);
  return {
    id: id ? highlightIdOf(id) : null,
    source: str(target.source, 4000) ?? (typeof a.target === 'string' ? str(a.target, 4000) : null),
    planId: str(ext.planId, 100),
    planKey: str(ext.planKey, 1000),
    quote: exact,
    prefix: (q && str(q.prefix, 500)) || '',
    suffix: (q && str(q.suffix, 500)) || '',
    start,
    end,
    clauseId: str(ext.clauseId, 100),
    color,
    note: note.slice(0, MAX_NOTE),
    tags: cleanTags(tags),
    created: time(a.created),
    modified: time(a.modified) ?? time(a.created),
    version: offset(ext.version) || 1,
  };
}

/** Reads W3C annotation JSON (already parsed). Annotations it cannot use are counted and named, not guessed. */
export function parseAnnotations(data: unknown): ParseResult {
  const list = annotationsIn(data);
  const result: ParseResult = { items: [], problems: [], skipped: 0 };
  if (!list.length) {
    result.problems.push('no annotations found (expected a W3C Annotation, AnnotationPage or AnnotationCollection)');
    return result;
  }
  list.slice(0, MAX_ITEMS).forEach((a, i) => {
    const r = parseOne(a);
    if (typeof r === 'string') {
      result.skipped++;
      if (result.problems.length < 20) result.problems.push(`item ${i}: ${r}`);
    } else result.items.push(r);
  });
  if (list.length > MAX_ITEMS) {
    result.skipped += list.length - MAX_ITEMS;
    result.problems.push(`only the first ${MAX_ITEMS} annotations were read`);
  }
  return result;
}

export interface ImportResult {
  /** New highlights written. */
  added: number;
  /** Existing highlights (same id, or same plan + quote + position) that took something from the file. */
  merged: number;
  /** Existing highlights the file had nothing new for. */
  unchanged: number;
  skipped: number;
  problems: string[];
  /** Plans whose highlights changed (to tell the tabs showing them). */
  planIds: string[];
}

/** Merge of a highlight with one from the file: the newer edit's colour and note, tags united, a note never lost to an empty one. */
function mergedFields(local: HighlightRow, a: ParsedAnnotation): Partial<HighlightRow> {
  const fileNewer = (a.modified ?? 0) > local.updatedAt;
  const next: Partial<HighlightRow> = {};
  if (local.deleted) next.deleted = false; // importing is asking for it back
  if (a.color !== local.color && fileNewer) next.color = a.color;
  const note = !local.note.trim() ? a.note : !a.note.trim() ? local.note : fileNewer ? a.note : local.note;
  if (note !== local.note) next.note = note;
  const tags = cleanTags([...local.tags, ...a.tags]);
  if (tags.join('\u0000') !== local.tags.join('\u0000')) next.tags = tags;
  return next;
}

/**
 * Imports W3C annotation JSON: each annotation merges into the highlight with the same id, else into one
 * on the same plan with the same quote and position, else becomes a new highlight. Its plan is found by
 * plan key, plan id, then page address; without one it is kept as orphaned (listed, re-attached when the
 * document is saved again), never dropped.
 */
export async function importAnnotations(
  db: LibraryDB,
  data: unknown,
  opts: { now?: number; deviceId?: string } = {},
): Promise<ImportResult> {
  const parsed = parseAnnotations(data);
  const now = opts.now ?? Date.now();
  const device = opts.deviceId ?? (await libraryDeviceId(db));
  const result: ImportResult = { added: 0, merged: 0, unchanged: 0, skipped: parsed.skipped, problems: parsed.problems, planIds: [] };
  const touched = new Set<string>();
  await db.transaction('rw', [db.highlights, db.plans], async () => {
    const planCache = new Map<string, { id: string; key: string; text: string; url: string | null } | null>();
    const findPlan = async (a: ParsedAnnotation) => {
      const cacheKey = `${a.planKey}\u0000${a.planId}\u0000${a.source}`;
      if (planCache.has(cacheKey)) return planCache.get(cacheKey)!;
      let plan = a.planKey ? await db.plans.where('key').equals(a.planKey).first() : undefined;
      if (!plan && a.planId) plan = await db.plans.get(a.planId);
      if (!plan && a.source && /^https?:/i.test(a.source)) plan = await db.plans.filter((p) => p.url === a.source).first();
      const found = plan ? { id: plan.id, key: plan.key, text: plan.doc.text, url: plan.url } : null;
      planCache.set(cacheKey, found);
      return found;
    };
    for (const a of parsed.items) {
      const plan = await findPlan(a);
      let { start, end } = a;
      if (start === null || end === null || (plan && plan.text.slice(start, end) !== a.quote)) {
        // Only a quote (other tools), or offsets from another copy of the text: place it in this plan's text.
        // Without offsets, the first exact occurrence is only the hint: the context decides between copies.
        const hint = start ?? Math.max(0, plan ? plan.text.indexOf(a.quote) : 0);
        const at = plan ? anchor(plan.text, { quote: a.quote, prefix: a.prefix, suffix: a.suffix, start: hint, end: hint + a.quote.length }) : null;
        if (at) [start, end] = [at.start, at.end];
      }
      const planId = plan?.id ?? a.planId ?? `unknown:${a.source ?? 'no-source'}`;
      let local = a.id ? await db.highlights.get(a.id) : undefined;
      if (!local) {
        local = await db.highlights
          .where('planId')
          .equals(planId)
          .filter((h) => !h.deleted && h.quote === a.quote && h.start === start && h.end === end)
          .first();
      }
      if (local) {
        const changes = mergedFields(local, a);
        if (Object.keys(changes).length) {
          await db.highlights.put(editedRow(local, changes, device, now));
          result.merged++;
          touched.add(local.planId);
        } else result.unchanged++;
        continue;
      }
      const id = a.id && !(await db.highlights.get(a.id)) ? a.id : newId();
      const created = a.created ?? now;
      const row: HighlightRow = {
        id,
        planId,
        planKey: plan?.key ?? a.planKey,
        url: a.source && /^https?:/i.test(a.source) ? a.source : (plan?.url ?? null),
        quote: a.quote,
        prefix: a.prefix,
        suffix: a.suffix,
        // Not placed anywhere yet: no position (the reader lists it with the orphans until its text is found).
        start: start ?? 0,
        end: end ?? 0,
        clauseId: a.clauseId,
        color: a.color,
        note: a.note,
        tags: a.tags,
        createdAt: created,
        updatedAt: Math.max(created, a.modified ?? created),
        deviceId: device,
        version: a.version,
        deleted: false,
        orphaned: !plan,
      };
      await db.highlights.add(row);
      result.added++;
      touched.add(planId);
    }
  });
  result.planIds = [...touched];
  return result;
}
