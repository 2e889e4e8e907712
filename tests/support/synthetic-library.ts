// Builds a large synthetic library from the seeds' paragraphs (deterministic PRNG), for xref tests and `npm run bench`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LibraryDB } from '../../lib/library/db';
import { mergeMetadata } from '../../lib/extract/metadata';
import { upsertDoc } from '../../lib/library/store';
import { stripPinyin } from '../../lib/text/pinyin';
import type { Block, Clause, ExtractedDoc } from '../../lib/types';
import { SEEDS_DIR } from './paths';
import { mulberry32 } from './prng';

export interface SyntheticOptions {
  /** PRNG seed (default 1): the same options always give the same documents. */
  seed?: number;
  /** Seed documents (0..4) whose paragraphs are drawn from (default all five). */
  from?: number[];
  /** Paragraphs per plan, each one clause (default 40). */
  paragraphs?: number;
}

export const prng = mulberry32;

/** Lines of the chosen seeds (pinyin annotations removed) worth a clause: real text, 30+ characters. */
function paragraphPool(from: number[]): string[] {
  const files = readdirSync(SEEDS_DIR).filter((f) => /^\d{3}-.*\.txt$/.test(f)).sort();
  const pool: string[] = [];
  for (const n of from) {
    const file = files[n];
    if (!file) throw new Error(`no seed ${n}`);
    for (const line of stripPinyin(readFileSync(path.join(SEEDS_DIR, file), 'utf8')).text.split(/\r?\n/)) {
      if (line.trim().length >= 30) pool.push(line.trim());
    }
  }
  return pool;
}

/**
 * A paragraph varied so no two plans say exactly the same: every digit redrawn, and with some
 * probability one comma-piece dropped or two swapped.
 */
function vary(text: string, rnd: () => number): string {
  let out = text.replace(/[0-9]/g, () => String(Math.floor(rnd() * 10)));
  const pieces = out.split(/(?<=[，,])/);
  if (pieces.length >= 3) {
    const r = rnd();
    if (r < 0.3) pieces.splice(Math.floor(rnd() * (pieces.length - 1)), 1);
    else if (r < 0.6) {
      const i = Math.floor(rnd() * (pieces.length - 2));
      [pieces[i], pieces[i + 1]] = [pieces[i + 1], pieces[i]];
    }
    out = pieces.join('');
  }
  return out;
}

/** N synthetic plans: shuffled, varied seed paragraphs as numbered clauses, each with its own title. */
export function syntheticDocs(n: number, options: SyntheticOptions = {}): ExtractedDoc[] {
  const rnd = prng(options.seed ?? 1);
  const pool = paragraphPool(options.from ?? [0, 1, 2, 3, 4]);
  const per = options.paragraphs ?? 40;
  const docs: ExtractedDoc[] = [];
  for (let d = 0; d < n; d++) {
    const title = `合成样本第${d + 1}号文件(由种子段落随机组合)`;
    const lines = [title];
    const paras: string[] = [];
    for (let k = 0; k < per; k++) paras.push(vary(pool[Math.floor(rnd() * pool.length)], rnd));
    paras.forEach((p, k) => lines.push(`${k + 1}.${p}`));
    const text = lines.join('\n');
    const blocks: Block[] = [];
    let at = 0;
    lines.forEach((line, source) => {
      blocks.push({ text: line, start: at, end: at + line.length, source, tag: 'line' });
      at += line.length + 1;
    });
    const clauses: Clause[] = paras.map((p, k) => {
      const b = blocks[k + 1];
      const label = `${k + 1}.`;
      return {
        id: String(k + 1),
        label,
        kind: 'item',
        ordinal: k + 1,
        level: 1,
        heading: '',
        text: p,
        path: [label],
        start: b.start,
        end: b.end,
        block: k + 1,
        responsibility: null,
        children: [],
      };
    });
    docs.push({
      url: `https://example.invalid/synthetic/${d + 1}`,
      detection: { kind: 'policy', genre: 'notice', site: 'generic', score: 0.9, signals: ['synthetic'] },
      metadata: mergeMetadata({ title, issuers: ['合成样本'] }, {}),
      text,
      blocks,
      clauses,
      citations: [],
      flags: [],
    });
  }
  return docs;
}

/** Save documents in batches of 100 per transaction; returns their plan ids (index them separately). */
export async function saveAll(db: LibraryDB, docs: ExtractedDoc[], now = 1_700_000_000_000): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < docs.length; i += 100) {
    const batch = docs.slice(i, i + 100);
    await db.transaction('rw', [db.plans, db.clauses, db.citations, db.highlights], async () => {
      for (const doc of batch) ids.push((await upsertDoc(db, doc, 'import', now)).id);
    });
  }
  return ids;
}
