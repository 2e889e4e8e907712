// Puts the bundled seed documents into the library once, and refreshes them after an update.
import type { ExtractedDoc } from '../types';
import type { LibraryDB } from './db';
import { hashString, planKey } from './identity';
import { newId, planRow, planTables, reattachHighlights, writePlanRows, type ClockOptions } from './store';

export interface SeedInput {
  /** Stable name of the seed (its file name), how later runs recognise it. */
  name: string;
  doc: ExtractedDoc;
}

/** What the `meta` row 'seeded' remembers about every seed ever put in this library. */
export interface SeedRecord {
  /** Epoch ms of the first seeding and of the last run that changed something. */
  at: number;
  updatedAt: number;
  /** Caller's tag for the seed set (e.g. the extension version), to skip re-extracting seeds. */
  version: string | null;
  seeds: Record<string, { key: string; hash: string }>;
}

export interface SeedResult {
  added: number;
  /** Seed plans whose document changed and that the reader had not replaced. */
  refreshed: number;
  unchanged: number;
  /** Seeds the reader deleted, or replaced by saving or importing the document themselves. */
  skipped: number;
}

export const SEED_META_KEY = 'seeded';

/** The seeding record, or null before the first seeding. */
export async function seedRecord(db: LibraryDB): Promise<SeedRecord | null> {
  const row = await db.meta.get(SEED_META_KEY);
  return (row?.value as SeedRecord | undefined) ?? null;
}

/**
 * Seed the library. Safe to call on every install, update and start: one transaction (so two
 * concurrent calls cannot both add), the plan identity (so a seed is never added twice) and the
 * meta record (so an unchanged seed is not touched, and one the reader deleted is not brought back).
 * A seed whose document changed since it was seeded replaces its plan only while the plan still has
 * source 'seed' (the reader has not re-saved or imported it); id, savedAt, viewedAt and so the
 * highlights on it are kept.
 */
export async function seedLibrary(
  db: LibraryDB,
  seeds: SeedInput[],
  options: ClockOptions & { version?: string } = {},
): Promise<SeedResult> {
  const now = options.now ?? Date.now();
  const result: SeedResult = { added: 0, refreshed: 0, unchanged: 0, skipped: 0 };
  await db.transaction('rw', [...planTables(db), db.meta], async () => {
    const prevRecord = await seedRecord(db);
    const record: SeedRecord = {
      at: prevRecord?.at ?? now,
      updatedAt: prevRecord?.updatedAt ?? now,
      version: options.version ?? prevRecord?.version ?? null,
      seeds: { ...prevRecord?.seeds },
    };
    let changed = !prevRecord || record.version !== prevRecord.version;
    for (const { name, doc } of seeds) {
      const key = planKey(doc);
      const hash = hashString(JSON.stringify(doc));
      const prev = record.seeds[name];
      if (prev && prev.key === key && prev.hash === hash) {
        result.unchanged++;
        continue;
      }
      changed = true;
      record.seeds[name] = { key, hash };
      let existing = await db.plans.where('key').equals(key).first();
      // An update may change a seed's identity (say, its 文号 now extracted): find it by the old key.
      if (!existing && prev && prev.key !== key) existing = await db.plans.where('key').equals(prev.key).first();
      if (!existing) {
        if (prev) {
          result.skipped++; // seeded before and since deleted by the reader
          continue;
        }
        const id = newId();
        await writePlanRows(db, planRow(doc, { id, source: 'seed', savedAt: now, updatedAt: now, viewedAt: null }, key), doc.clauses, doc.citations);
        await reattachHighlights(db, key, id);
        result.added++;
      } else if (existing.source === 'seed') {
        const stamp = { id: existing.id, source: 'seed' as const, savedAt: existing.savedAt, updatedAt: now, viewedAt: existing.viewedAt };
        await writePlanRows(db, planRow(doc, stamp, key), doc.clauses, doc.citations);
        result.refreshed++;
      } else {
        result.skipped++;
      }
    }
    if (changed) await db.meta.put({ key: SEED_META_KEY, value: { ...record, updatedAt: now } });
  });
  return result;
}
