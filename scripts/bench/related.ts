// Benchmark section: related-clause lookup for one page against a synthetic library (fake-indexeddb in Node).
import { indexedDB, IDBKeyRange } from 'fake-indexeddb';
import fs from 'node:fs';
import path from 'node:path';
import { openLibrary } from '../../lib/library/db';
import { rebuildIndex, relatedClauses } from '../../lib/xref/related';
import { extractFromText } from '../../lib/extract/pipeline';
import { saveAll, syntheticDocs } from '../../tests/support/synthetic-library';

export interface RelatedFigures {
  plans: number;
  indexBuildMs: number;
  lookupMsMedian: number;
  lookupRuns: number;
  clausesWithRelated: number;
  /** Whether seed 000's 公共數據開放單位超過90% still finds seed 003 among a thousand plans. */
  finds003: boolean;
}

export async function benchRelated(root: string, plans = 1000, runs = 5): Promise<RelatedFigures> {
  const db = await openLibrary(`bench-related-${Date.now()}`, { indexedDB, IDBKeyRange });
  const seeds = fs.readdirSync(path.join(root, 'seeds')).filter((f) => f.endsWith('.txt')).sort();
  const read = (i: number) => fs.readFileSync(path.join(root, 'seeds', seeds[i]), 'utf8');
  // Synthetic plans from seeds 001, 002, 004; then the real 003 press release.
  await saveAll(db, syntheticDocs(plans, { from: [1, 2, 4] }));
  await saveAll(db, [extractFromText(read(3), null)]);
  const t0 = performance.now();
  await rebuildIndex(db);
  const indexBuildMs = performance.now() - t0;
  const page = extractFromText(read(0), null);
  const times: number[] = [];
  let result = new Map<string, Array<{ text: string; title: string | null }>>();
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    result = await relatedClauses(db, page);
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  const finds003 = [...result.values()].some((list) => list.some((r) => r.text.includes('公共数据开放单位超过90%')));
  db.close();
  return {
    plans: plans + 1,
    indexBuildMs: Math.round(indexBuildMs),
    lookupMsMedian: Math.round(times[Math.floor(times.length / 2)]),
    lookupRuns: runs,
    clausesWithRelated: result.size,
    finds003,
  };
}
