// Pure functions turning an ExtractedDoc and cross-reference results into what the panel components show.
import type { Citation, Clause, Detection, DocNumber, ExtractedDoc, PolicyMetadata, Responsibility } from '../lib/types';
import type { Locale, MessageKey } from '../lib/i18n/messages';

/** What the library knows about one citation of the document. */
export interface CitationView {
  /** Position of the citation in doc.citations. */
  index: number;
  /** The saved plan the citation refers to, null when the library does not hold it. */
  resolvedPlanId: string | null;
  resolvedTitle: string | null;
  /** The citation names the document itself (or the plan it issues). */
  self: boolean;
  /** Saved plans that cite the same (unresolved) document too. */
  alsoCitedBy: Array<{ planId: string; title: string }>;
}

/** A clause of another saved plan that matches a clause of this document. */
export interface RelatedView {
  planId: string;
  planTitle: string;
  clauseId: string;
  /** Labels from the root to the clause, e.g. ['二、', '(三)', '1.']. */
  path: string[];
  /** The matching text of that clause. */
  text: string;
  /** Similarity, 0..1. */
  score: number;
}

export interface PanelProps {
  doc: ExtractedDoc;
  /** One view per resolved citation; empty while the library lookup runs. */
  citations: CitationView[];
  /** Related clauses by clause id of this document. */
  related: Record<string, RelatedView[]>;
  locale: Locale;
  /** null: not in the library yet. */
  savedPlanId: string | null;
  saving: boolean;
  /** The clause being read, marked in the outline. */
  currentClauseId: string | null;
  collapsed: boolean;
  /** 'reader' (the extension's own page) hides the Save button. */
  mode: 'page' | 'reader';
  /** Transient message (saved, error…), already translated by the caller. */
  status?: string | null;
  onToggle(): void;
  onSave(): void;
  /** Click in the outline: the caller scrolls the page to the clause. */
  onSelectClause(clauseId: string): void;
  onOpenPlan(planId: string, clauseId?: string): void;
  /** Scroll to the citation (position in doc.citations) in the page. */
  onSelectCitation(index: number): void;
}

// ---------------------------------------------------------------------------------------------- text

/** At most `max` characters (code points, so no half surrogate pair), with … when cut. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const chars = Array.from(s.slice(0, max * 2 + 2));
  return chars.length <= max ? chars.join('') : chars.slice(0, max).join('') + '…';
}

/** Whitespace runs (newlines included) folded to one space, trimmed: for one-line previews. */
export function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** The date as ISO YYYY-MM-DD when it is a valid date in that form or 2016年1月9日 form; otherwise as given. */
export function formatDate(value: string | null): string | null {
  if (value == null) return null;
  const s = value.trim();
  if (!s) return null;
  const m = /^(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})\s*日?$/.exec(s);
  if (!m) return s;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return s;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** A 0..1 score as a whole percentage, clamped ('87%'). */
export function percent(score: number): string {
  const v = Number.isFinite(score) ? Math.min(1, Math.max(0, score)) : 0;
  return `${Math.round(v * 100)}%`;
}

// ------------------------------------------------------------------------------------------ header

/** Message keys describing the page: kind, then genre and site when known. */
export function docKindKeys(detection: Detection): MessageKey[] {
  const keys: MessageKey[] = [`kind.${detection.kind}` as MessageKey];
  if (detection.genre) keys.push(`genre.${detection.genre}` as MessageKey);
  if (detection.site !== 'none') keys.push(`site.${detection.site}` as MessageKey);
  return keys;
}

// ---------------------------------------------------------------------------------------- metadata

/** One line of the metadata card. */
export interface MetadataRow {
  /** Field name, also the `data-field` attribute. */
  field: Exclude<keyof PolicyMetadata, 'dates' | 'title'> | keyof PolicyMetadata['dates'];
  label: MessageKey;
  /** Values as shown, in document order; never empty. */
  values: string[];
  /** How the values are joined: inline (、), a path (/), or one per line. */
  layout: 'inline' | 'path' | 'list';
  /** Shown on hover: the 文号 as written when it differs from the normalized one. */
  raw: string | null;
}

function present(values: Array<string | null | undefined>): string[] {
  return values.map((v) => (v == null ? '' : oneLine(String(v)))).filter((v) => v.length > 0);
}

/** The rows of the metadata card, in the order a reader expects; fields the page lacks are omitted. */
export function metadataRows(meta: PolicyMetadata): MetadataRow[] {
  const rows: MetadataRow[] = [];
  const add = (field: MetadataRow['field'], label: MessageKey, values: string[], layout: MetadataRow['layout'] = 'inline', raw: string | null = null) => {
    if (values.length) rows.push({ field, label, values, layout, raw });
  };
  add('issuers', 'meta.issuers', present(meta.issuers ?? []));
  add('jointIssuers', 'meta.jointIssuers', present(meta.jointIssuers ?? []));
  const num = meta.docNumber;
  if (num) {
    const shown = present([num.normalized || num.raw]);
    add('docNumber', 'meta.docNumber', shown, 'inline', num.raw && num.raw !== shown[0] ? num.raw : null);
  }
  const dates = meta.dates ?? { written: null, published: null, effective: null, repealed: null };
  add('written', 'meta.written', present([formatDate(dates.written)]));
  add('published', 'meta.published', present([formatDate(dates.published)]));
  add('effective', 'meta.effective', present([formatDate(dates.effective)]));
  add('repealed', 'meta.repealed', present([formatDate(dates.repealed)]));
  add('validity', 'meta.validity', present([meta.validity]));
  add('topics', 'meta.topics', present(meta.topics ?? []), 'path');
  add('keywords', 'meta.keywords', present(meta.keywords ?? []));
  add('indexNumber', 'meta.indexNumber', present([meta.indexNumber]));
  add('source', 'meta.source', present([meta.source]));
  add('recipients', 'meta.recipients', present(meta.recipients ?? []));
  add('signature', 'meta.signature', present(meta.signature ?? []));
  add('attachments', 'meta.attachments', present(meta.attachments ?? []), 'list');
  return rows;
}

// ----------------------------------------------------------------------------------------- outline

/** Deepest nesting the outline walks; a deeper (malformed) tree is cut there rather than recursed. */
const MAX_DEPTH = 16;

/** One clause of the outline, flattened in document order. */
export interface OutlineRow {
  id: string;
  label: string;
  /** Heading, or the first ~24 characters of the text when the clause has no heading. */
  summary: string;
  /** Heading or text unclipped (one line), for the hover title. */
  full: string;
  /** 1 for top-level clauses. */
  depth: number;
  responsibility: Responsibility | null;
  /** Lead departments of the responsibility note (empty when none). */
  lead: string[];
  related: RelatedView[];
  /** There is something to disclose: departments or related clauses. */
  hasDetails: boolean;
}

/** Every clause of the tree in document (pre-)order. */
export function allClauses(clauses: Clause[]): Array<{ clause: Clause; depth: number }> {
  const out: Array<{ clause: Clause; depth: number }> = [];
  const stack: Array<{ clause: Clause; depth: number }> = [];
  for (let i = clauses.length - 1; i >= 0; i--) stack.push({ clause: clauses[i], depth: 1 });
  while (stack.length) {
    const item = stack.pop()!;
    out.push(item);
    const kids = item.depth < MAX_DEPTH ? item.clause.children ?? [] : [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ clause: kids[i], depth: item.depth + 1 });
  }
  return out;
}

/** Number of clauses in the tree (children included). */
export function countClauses(clauses: Clause[]): number {
  return allClauses(clauses).length;
}

/** The outline text of a clause: heading (clipped at 40), else the start of its text (24). */
export function clauseSummary(clause: Clause, textChars = 24): { summary: string; full: string } {
  const heading = oneLine(clause.heading ?? '');
  if (heading) return { summary: clip(heading, 40), full: clip(heading, 400) };
  const text = oneLine(clip(clause.text ?? '', 2000));
  return { summary: clip(text, textChars), full: clip(text, 400) };
}

/** Related clauses sorted best first (stable for equal scores). */
export function sortRelated(list: RelatedView[] | undefined): RelatedView[] {
  return (list ?? []).map((r, i) => ({ r, i })).sort((a, b) => b.r.score - a.r.score || a.i - b.i).map(({ r }) => r);
}

/** The clause tree flattened with depth, each clause with its responsibility and related clauses. */
export function flattenOutline(clauses: Clause[], related: Record<string, RelatedView[]>): OutlineRow[] {
  return allClauses(clauses).map(({ clause, depth }) => {
    const { summary, full } = clauseSummary(clause);
    const rel = Object.prototype.hasOwnProperty.call(related ?? {}, clause.id) ? sortRelated(related[clause.id]) : [];
    const resp = clause.responsibility ?? null;
    const lead = resp ? present(resp.lead) : [];
    const hasDepts = !!resp && lead.length + present(resp.responsible).length + present(resp.cooperating).length > 0;
    return {
      id: clause.id,
      label: oneLine(clause.label ?? ''),
      summary,
      full,
      depth,
      responsibility: resp,
      lead,
      related: rel,
      hasDetails: hasDepts || rel.length > 0,
    };
  });
}

// --------------------------------------------------------------------------------------- citations

/** Citations of one cited document, grouped: the same 文号, title or alias cited several times. */
export interface CitationGroup {
  /** Positions in doc.citations, in document order; the first is where a click goes. */
  indices: number[];
  /** Title without 《》 (the full one when the document is also cited by an alias). */
  title: string | null;
  /** When only an alias was cited: the full title it stands for. */
  aliasOf: string | null;
  docNumber: DocNumber | null;
  /** pending: the library lookup has not answered for it yet. */
  state: 'pending' | 'resolved' | 'unresolved' | 'self';
  resolvedPlanId: string | null;
  resolvedTitle: string | null;
  alsoCitedBy: Array<{ planId: string; title: string }>;
}

// Within one document the script is consistent, so quotes and spaces are all that needs folding.
const TITLE_NOISE = /[\s“”"'‘’「」『』《》〈〉]/g;

function citationKeys(c: Citation, view: CitationView | undefined): string[] {
  const keys: string[] = [];
  if (view?.resolvedPlanId) keys.push(`plan:${view.resolvedPlanId}`);
  if (c.docNumber?.normalized) keys.push(`no:${c.docNumber.normalized}`);
  const title = c.aliasOf ?? c.title;
  if (title) keys.push(`title:${title.replace(TITLE_NOISE, '')}`);
  if (!keys.length) keys.push(`text:${c.text.replace(TITLE_NOISE, '')}`);
  return keys;
}

/**
 * The citations of the document grouped by cited document, in order of first citation, each with what
 * the library knows. `views` may be empty (lookup running: every group is pending) or partial.
 */
export function citationGroups(doc: ExtractedDoc, views: CitationView[]): CitationGroup[] {
  const byIndex = new Map<number, CitationView>();
  for (const v of views ?? []) if (v && Number.isInteger(v.index)) byIndex.set(v.index, v);
  const groups: Array<{ members: Array<{ c: Citation; view: CitationView | undefined; index: number }> }> = [];
  const byKey = new Map<string, number>();
  (doc.citations ?? []).forEach((c, index) => {
    const view = byIndex.get(index);
    const keys = citationKeys(c, view);
    let g = keys.map((k) => byKey.get(k)).find((x) => x !== undefined);
    if (g === undefined) {
      g = groups.length;
      groups.push({ members: [] });
    }
    groups[g].members.push({ c, view, index });
    for (const k of keys) if (!byKey.has(k)) byKey.set(k, g);
  });
  return groups.map(({ members }) => {
    const full = members.find((m) => m.c.kind !== 'alias' && m.c.title);
    const first = members[0];
    const known = members.filter((m) => m.view);
    const resolved = known.find((m) => m.view!.resolvedPlanId);
    const self = known.some((m) => m.view!.self);
    const also = new Map<string, { planId: string; title: string }>();
    for (const m of known) for (const p of m.view!.alsoCitedBy ?? []) if (p && !also.has(p.planId)) also.set(p.planId, p);
    const state: CitationGroup['state'] = self ? 'self' : resolved ? 'resolved' : known.length ? 'unresolved' : 'pending';
    return {
      indices: members.map((m) => m.index),
      title: full ? full.c.title : first.c.title,
      aliasOf: full ? null : first.c.aliasOf,
      docNumber: members.find((m) => m.c.docNumber)?.c.docNumber ?? null,
      state,
      resolvedPlanId: resolved?.view!.resolvedPlanId ?? null,
      resolvedTitle: resolved?.view!.resolvedTitle ?? null,
      alsoCitedBy: state === 'unresolved' ? [...also.values()] : [],
    };
  });
}
