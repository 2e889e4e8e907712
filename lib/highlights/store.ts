// Highlights in the library (Dexie): create, edit (version bump), delete as a tombstone, list with filters.
//
// Every write bumps `version` and stamps `updatedAt` and the editing device, the way sync expects a local
// edit (lib/sync/merge.ts localEdit); a delete keeps the row with `deleted: true` so sync can pass it on.
// Unknown fields on a row (sync bookkeeping) are carried through untouched.
import type { HighlightRow, LibraryDB } from '../library/db';
import { newId } from '../library/store';
import { charKey } from '../text/key';
import type { Selector } from './selectors';
import {
  DEFAULT_COLOR,
  MAX_NOTE,
  MAX_QUOTE,
  cleanTags,
  isHighlightColor,
  keyText,
  matchesFilter,
  type HighlightChanges,
  type HighlightFilter,
} from './model';

export * from './model';

/** What the caller says about a new highlight; bookkeeping fields are filled in here. */
export interface NewHighlight {
  planId: string;
  planKey: string | null;
  url: string | null;
  selector: Selector;
  clauseId: string | null;
  color?: string;
  note?: string;
  tags?: string[];
}

const DEVICE_KEY = 'deviceId';

/** This library's device id (made once, kept in meta): sync tells devices' edits apart by it. */
export async function deviceId(db: LibraryDB): Promise<string> {
  const row = await db.meta.get(DEVICE_KEY);
  if (typeof row?.value === 'string' && row.value) return row.value;
  // Letters, digits and dashes only: the sync pack's device id pattern.
  const id = `d-${newId().replace(/[^A-Za-z0-9-]/g, '')}`.slice(0, 64);
  // Two first calls racing: the first write wins, both return what is stored.
  await db.transaction('rw', db.meta, async () => {
    const again = await db.meta.get(DEVICE_KEY);
    if (!(typeof again?.value === 'string' && again.value)) await db.meta.put({ key: DEVICE_KEY, value: id });
  });
  return String((await db.meta.get(DEVICE_KEY))!.value);
}

export async function createHighlight(
  db: LibraryDB,
  input: NewHighlight,
  opts: { now?: number; deviceId?: string } = {},
): Promise<HighlightRow> {
  const now = opts.now ?? Date.now();
  const s = input.selector;
  if (!s.quote || s.quote.length > MAX_QUOTE) throw new Error('a highlight needs a quote (at most 20,000 characters)');
  const row: HighlightRow = {
    id: newId(),
    planId: input.planId,
    planKey: input.planKey,
    url: input.url,
    quote: s.quote,
    prefix: s.prefix,
    suffix: s.suffix,
    start: s.start,
    end: s.end,
    clauseId: input.clauseId,
    color: isHighlightColor(input.color) ? input.color : DEFAULT_COLOR,
    note: (input.note ?? '').slice(0, MAX_NOTE),
    tags: cleanTags(input.tags),
    createdAt: now,
    updatedAt: now,
    deviceId: opts.deviceId ?? (await deviceId(db)),
    version: 1,
    deleted: false,
    orphaned: false,
  };
  await db.highlights.add(row);
  return row;
}

export async function getHighlight(db: LibraryDB, id: string): Promise<HighlightRow | null> {
  const row = await db.highlights.get(id);
  return row && !row.deleted ? row : null;
}

/** The row as a local edit leaves it: changes applied, version + 1, updatedAt never going backwards. */
export function editedRow(row: HighlightRow, changes: Partial<HighlightRow>, device: string, now: number): HighlightRow {
  return { ...row, ...changes, version: row.version + 1, updatedAt: Math.max(now, row.updatedAt), deviceId: device };
}

/** Applies the reader's changes; null when there is no such (live) highlight. Unchanged values write nothing. */
export async function updateHighlight(
  db: LibraryDB,
  id: string,
  changes: HighlightChanges,
  opts: { now?: number; deviceId?: string } = {},
): Promise<HighlightRow | null> {
  return editLive(db, id, opts, (row) => {
    const next: Partial<HighlightRow> = {};
    if (changes.color !== undefined && isHighlightColor(changes.color) && changes.color !== row.color) next.color = changes.color;
    if (changes.note !== undefined && changes.note.slice(0, MAX_NOTE) !== row.note) next.note = changes.note.slice(0, MAX_NOTE);
    if (changes.tags !== undefined) {
      const tags = cleanTags(changes.tags);
      if (tags.join('\u0000') !== row.tags.join('\u0000')) next.tags = tags;
    }
    return Object.keys(next).length ? next : null;
  });
}

/** Deletes as a tombstone (the row stays with deleted: true and a new version). False if absent or already deleted. */
export async function deleteHighlight(
  db: LibraryDB,
  id: string,
  opts: { now?: number; deviceId?: string } = {},
): Promise<HighlightRow | null> {
  return editLive(db, id, opts, () => ({ deleted: true }));
}

/**
 * Reads a live highlight and applies `change` to it in one transaction (so two tabs' edits never overwrite
 * each other); null when it is absent or deleted. A null change writes nothing and returns the row as it is.
 */
async function editLive(
  db: LibraryDB,
  id: string,
  opts: { now?: number; deviceId?: string },
  change: (row: HighlightRow) => Partial<HighlightRow> | null,
): Promise<HighlightRow | null> {
  const device = opts.deviceId ?? (await deviceId(db));
  return db.transaction('rw', db.highlights, async () => {
    const row = await db.highlights.get(id);
    if (!row || row.deleted) return null;
    const next = change(row);
    if (!next) return row;
    const edited = editedRow(row, next, device, opts.now ?? Date.now());
    await db.highlights.put(edited);
    return edited;
  });
}

/** Matching key for text search in the library: also script-folded (繁/简), unlike the UI's keyText. */
export function searchKey(s: string): string {
  return keyText(charKey(s));
}

/** Live highlights matching the filter, newest first. Tombstones never appear. */
export async function listHighlights(db: LibraryDB, f: HighlightFilter = {}): Promise<HighlightRow[]> {
  // The narrowest index first; the rest of the filter runs on the rows.
  const coll = f.planId
    ? db.highlights.where('planId').equals(f.planId)
    : f.url
      ? db.highlights.where('url').equals(f.url)
      : f.tag
        ? db.highlights.where('tags').equals(f.tag)
        : db.highlights.toCollection();
  const rows = await coll.filter((h) => matchesFilter(h, f, searchKey)).toArray();
  rows.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
  return f.limit && f.limit > 0 ? rows.slice(0, f.limit) : rows;
}

/** Every tag in use on live highlights, most used first. */
export async function listTags(db: LibraryDB): Promise<Array<{ tag: string; count: number }>> {
  const counts = new Map<string, number>();
  await db.highlights.each((h) => {
    if (!h.deleted) for (const t of h.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  });
  return [...counts].map(([tag, count]) => ({ tag, count })).sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
}
