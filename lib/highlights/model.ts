// What a highlight is for the UI, without the database: colours, tags, filters, the clause it is filed under.
// Light on purpose (no opencc, no Dexie): the popup and the reader page import it.
import type { HighlightRow } from '../library/db';
import { foldWidth } from '../text/width';
import type { Clause } from '../types';

/** The four highlight colours, in the order the toolbar shows them. */
export const HIGHLIGHT_COLORS = ['yellow', 'green', 'blue', 'pink'] as const;
export type HighlightColor = (typeof HIGHLIGHT_COLORS)[number];
export const DEFAULT_COLOR: HighlightColor = 'yellow';

export const isHighlightColor = (v: unknown): v is HighlightColor =>
  typeof v === 'string' && (HIGHLIGHT_COLORS as readonly string[]).includes(v);

/** Bounds on what a reader types (a note is a paragraph or two, tags are short labels). */
export const MAX_NOTE = 10_000;
export const MAX_TAGS = 30;
export const MAX_TAG = 50;
/** A highlight is a passage, not a whole document. */
export const MAX_QUOTE = 20_000;

/** The fields a reader can change. */
export type HighlightChanges = Partial<Pick<HighlightRow, 'color' | 'note' | 'tags'>>;

export interface HighlightFilter {
  planId?: string;
  url?: string;
  tag?: string;
  color?: string;
  /** Text in the quote, note or tags (width-folded, case- and whitespace-insensitive). */
  text?: string;
  /** Leave out highlights whose plan was deleted. Default false (they are listed, never dropped). */
  attachedOnly?: boolean;
  limit?: number;
}

/** Tags trimmed, without # prefixes, empties and repeats, bounded. */
export function cleanTags(tags: readonly unknown[] | undefined): string[] {
  const out: string[] = [];
  for (const t of tags ?? []) {
    if (typeof t !== 'string') continue;
    const tag = t.replace(/^[#＃]+/, '').trim().slice(0, MAX_TAG);
    if (tag && !out.includes(tag)) out.push(tag);
    if (out.length >= MAX_TAGS) break;
  }
  return out;
}

/** Tags from what a reader typed: separated by commas (either width), 、, semicolons or spaces. */
export function parseTags(input: string): string[] {
  return cleanTags(input.split(/[,，、;；\s\u3000]+/));
}

/** The deepest clause that contains the offset (what a highlight is filed under), or null. */
export function clauseIdAt(clauses: readonly Clause[], offset: number): string | null {
  let found: string | null = null;
  let level: readonly Clause[] = clauses;
  for (;;) {
    const c = level.find((x) => x.start <= offset && offset < x.end);
    if (!c) return found;
    found = c.id;
    level = c.children;
  }
}

/** Key for matching typed text in the UI: full/half width folded, lower-case, no whitespace. */
export function keyText(s: string): string {
  return foldWidth(s).toLowerCase().replace(/[\s\u3000]+/g, '');
}

/** Whether a live row passes a filter. `key` folds text for the search (the library also folds script). */
export function matchesFilter(h: HighlightRow, f: HighlightFilter, key: (s: string) => string = keyText): boolean {
  if (h.deleted) return false;
  if (f.attachedOnly && h.orphaned) return false;
  if (f.planId && h.planId !== f.planId) return false;
  if (f.url && h.url !== f.url) return false;
  if (f.color && h.color !== f.color) return false;
  if (f.tag && !h.tags.includes(f.tag)) return false;
  const q = f.text ? key(f.text) : '';
  if (q && !key(`${h.quote}\u0001${h.note}\u0001${h.tags.join('\u0001')}`).includes(q)) return false;
  return true;
}

/** Tags used by these rows, most used first (for the filter chips). */
export function tagsOf(rows: readonly HighlightRow[]): string[] {
  const counts = new Map<string, number>();
  for (const h of rows) for (const t of h.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t]) => t);
}
