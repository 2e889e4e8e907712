// The re-anchoring acceptance suite: generated edits of the five real seed documents (as the pipeline
// extracts them), each case knowing where its highlight must land or that it must be orphaned.
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { extractFromText } from '../lib/extract/pipeline';
import { matchKey } from '../lib/highlights/anchor';
import { PERTURB_KINDS, perturbationSuite, runSuite, type PerturbCase } from './support/perturb';
import { SEEDS_DIR } from './support/paths';

const seedTexts = fs
  .readdirSync(SEEDS_DIR)
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .map((f) => extractFromText(fs.readFileSync(path.join(SEEDS_DIR, f), 'utf8'), null).text);

/** Kinds that only move, reflow or re-spell text: the quote's key is the same after the edit. */
const KEY_PRESERVING = new Set(['insert', 'delete', 'reflow', 'whitespace', 'punctuation', 'to-simplified', 'reader-copy', 'duplicate']);

describe('perturbation suite', () => {
  const cases: PerturbCase[] = [...perturbationSuite(seedTexts, 360, 20160101), ...perturbationSuite(seedTexts, 240, 42)];

  it('generates at least 200 cases of every kind from every seed, with offsets tracked through the edits', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    for (const kind of PERTURB_KINDS) expect(cases.filter((c) => c.kind === kind).length, kind).toBeGreaterThanOrEqual(20);
    for (let s = 0; s < seedTexts.length; s++) expect(cases.some((c) => c.seed === s)).toBe(true);
    for (const c of cases) {
      const len = c.highlight.end - c.highlight.start;
      expect(len).toBeGreaterThanOrEqual(5);
      expect(len).toBeLessThanOrEqual(60);
      expect(c.expected === null).toBe(c.kind === 'delete-highlight');
      if (c.expected && KEY_PRESERVING.has(c.kind)) {
        const before = matchKey(c.original.slice(c.highlight.start, c.highlight.end));
        expect(matchKey(c.changed.slice(c.expected.start, c.expected.end)), `${c.kind} ${c.edits}`).toBe(before);
      }
    }
    // Script switches really switch: the changed page differs from the original.
    expect(cases.filter((c) => c.kind.startsWith('to-')).every((c) => c.changed !== c.original)).toBe(true);
  });

  it('re-anchors ≥ 99% correctly and never to the wrong text', () => {
    const r = runSuite(cases);
    const kinds = Object.entries(r.byKind)
      .map(([k, v]) => `${k} ${v.correct}/${v.total}${v.wrong ? ` wrong ${v.wrong}` : ''}${v.orphaned ? ` orphaned ${v.orphaned}` : ''}`)
      .join('; ');
    console.log(
      `re-anchoring: ${r.correct}/${r.total} correct (share ${r.share.toFixed(4)}), wrong ${r.wrong}, orphaned ${r.orphaned}, ` +
        `${r.ms.toFixed(0)} ms; methods ${JSON.stringify(r.byMethod)}\n  ${kinds}`,
    );
    for (const f of r.failures) console.log('  not correct:', JSON.stringify({ ...f, edits: f.edits.slice(0, 4) }));
    expect(r.total).toBeGreaterThanOrEqual(200);
    expect(r.wrong).toBe(0);
    expect(r.share).toBeGreaterThanOrEqual(0.99);
    // Every method is exercised by the suite.
    for (const m of ['exact', 'position', 'fuzzy']) expect(r.byMethod[m] ?? 0, m).toBeGreaterThan(0);
  });

  it('detects wrong anchors when anchoring is not conservative (the suite can fail)', () => {
    const r = runSuite(cases, { minContext: 0, minContextEdited: 0, maxErrorRate: 0.5 });
    expect(r.wrong).toBeGreaterThan(0);
  });
});
