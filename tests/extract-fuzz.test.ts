// Fuzzes the extraction pipeline (lib/extract/pipeline.ts, from-file.ts; detection, blocks, cleaning,
// metadata, clauses, citations inside): thousands of mutants of the seeds in their site templates, the
// page fixtures and the gov.cn pages — cut, tag soup, huge tables, 5 MB pages, 10,000-deep nesting,
// control characters, NUL, lone surrogates, GBK/Big5 bytes in UTF-8, regex bait, markup as text.
// Every mutant must give a well-formed result (or, through the file entry point, a clear InputError),
// and none may be slow out of proportion to its size compared with the unmutated pages in the same run.
// Seeded: FUZZ_SEED=<n> replays a run, FUZZ_LIGHT=<n> sets the number of light mutants per page.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { extractFromDocument, extractFromText } from '../lib/extract/pipeline';
import { extractFromBytes, InputError } from '../lib/extract/from-file';
import { pageForSeed } from '../scripts/site-templates';
import type { Clause, ExtractedDoc } from '../lib/types';
import {
  HEAVY_KINDS,
  HUGE_PAGE_BYTES,
  LIGHT_KINDS,
  MUTATION_KINDS,
  Rng,
  mutantBytes,
  mutatePage,
  type Mutant,
  type MutationKind,
  type PageForm,
} from './support/mutate';
import { GOVCN_DIR, HAS_GOVCN, PAGES_DIR, SEEDS_DIR } from './support/paths';

const SEED = Number(process.env.FUZZ_SEED ?? 20240606) >>> 0;
const LIGHT_PER_SOURCE = Number(process.env.FUZZ_LIGHT ?? 42);
/** Sources each heavy kind is applied to (rotating through the corpus). */
const HEAVY_PER_KIND = 3;
/** A heavy mutant may cost this many times what its size predicts from the unmutated pages' cost per character. */
const HEAVY_FACTOR = 25;
/** The slowest light mutant may cost this many times the slowest unmutated page (light mutants are at most a few times larger). */
const LIGHT_FACTOR = 40;

interface Source {
  name: string;
  page: string;
  form: PageForm;
  url: string | null;
}

function sources(): Source[] {
  const out: Source[] = [];
  for (const f of fs.readdirSync(SEEDS_DIR).filter((n) => n.endsWith('.txt')).sort()) {
    const text = fs.readFileSync(path.join(SEEDS_DIR, f), 'utf8');
    out.push({ name: `seed-${f.slice(0, 3)}.txt`, page: text, form: 'text', url: null });
    const p = pageForSeed(f, text);
    out.push({ name: `seed-${f.slice(0, 3)}.html`, page: p.html, form: 'html', url: p.url });
  }
  for (const d of fs.readdirSync(PAGES_DIR).sort()) {
    const expected = JSON.parse(fs.readFileSync(path.join(PAGES_DIR, d, 'expected.json'), 'utf8')) as { url: string };
    out.push({ name: d, page: fs.readFileSync(path.join(PAGES_DIR, d, 'source.html'), 'utf8'), form: 'html', url: expected.url });
  }
  if (HAS_GOVCN) {
    const expected = JSON.parse(fs.readFileSync(path.join(GOVCN_DIR, 'expected.json'), 'utf8')) as Record<string, { url: string }>;
    for (const [f, e] of Object.entries(expected)) {
      out.push({ name: f, page: fs.readFileSync(path.join(GOVCN_DIR, f), 'utf8'), form: 'html', url: e.url });
    }
  }
  return out;
}

const parse = (html: string) => parseHTML(html).document as unknown as Document;

/** The pipeline on the page as a string: the live-DOM path (parsed page) or the text path. */
function runString(m: Pick<Mutant, 'page' | 'form'>, url: string | null): ExtractedDoc {
  return m.form === 'html' ? extractFromDocument(parse(m.page), url) : extractFromText(m.page, url);
}

/** The pipeline on the page's bytes (decode, HTML or text): a result or a clear InputError (binary, empty). */
function runBytes(m: Mutant, url: string | null): ExtractedDoc | InputError {
  try {
    return extractFromBytes(m.form === 'html' ? 'page.html' : 'page.txt', mutantBytes(m), parse, url);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
}

// Control characters clean.ts promises to remove from every block (\t and \n stay, \r becomes \n).
const CONTROL = /[\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/;

/** What every result must satisfy, whatever the page: offsets inside the text, blocks tiling it, no controls. */
function checkWellFormed(doc: ExtractedDoc): void {
  const { text } = doc;
  expect(typeof text).toBe('string');
  expect(CONTROL.test(text), 'control character left in text').toBe(false);
  let last = -1;
  for (const b of doc.blocks) {
    expect(b.start).toBeGreaterThan(last);
    expect(text.slice(b.start, b.end)).toBe(b.text);
    last = b.end;
  }
  const walk = (cs: Clause[], lo: number, hi: number) => {
    for (const c of cs) {
      expect(c.start).toBeGreaterThanOrEqual(lo);
      expect(c.end).toBeLessThanOrEqual(hi);
      expect(c.start).toBeLessThanOrEqual(c.end);
      expect(c.block).toBeLessThan(Math.max(1, doc.blocks.length));
      walk(c.children, c.start, c.end);
    }
  };
  walk(doc.clauses, 0, text.length);
  for (const c of doc.citations) expect(text.slice(c.start, c.end)).toBe(c.text);
  for (const f of doc.flags) {
    expect(f.start).toBeGreaterThanOrEqual(0);
    expect(f.end).toBeLessThanOrEqual(text.length);
  }
  expect(['policy', 'interpretation', 'other']).toContain(doc.detection.kind);
  expect(doc.detection.score).toBeGreaterThanOrEqual(0);
  expect(doc.detection.score).toBeLessThanOrEqual(1);
  // The result crosses the extension's message channel: it must serialise.
  expect(() => JSON.stringify(doc)).not.toThrow();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

function time<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

const corpus = sources();
console.log(`extract-fuzz: seed ${SEED} (FUZZ_SEED=${SEED} to replay), ${corpus.length} source pages${HAS_GOVCN ? '' : ' (gov.cn fixtures absent: skipped)'}`);

// Unmutated cost, measured in this run: per page, and per character of each form (html / text).
const base = new Map<string, number>();
const perChar: Record<PageForm, number> = { html: 0, text: 0 };

/** Runs one mutant through the string path and the byte path, checking each result; returns the slower time. */
function runMutant(m: Mutant, url: string | null, counts: Record<string, number>, failures: string[]): number {
  let ms = 0;
  try {
    const s = time(() => runString(m, url));
    checkWellFormed(s.value);
    ms = s.ms;
    // The byte path re-decodes: always for byte-level mutants, else for a share of them (it repeats the string path).
    if (m.bytes || counts.total % 8 === 0) {
      const b = time(() => runBytes(m, url));
      if (b.value instanceof InputError) counts.refused++;
      else checkWellFormed(b.value);
      ms = Math.max(ms, b.ms);
      counts.bytes++;
    }
  } catch (e) {
    failures.push(`${m.id} (${m.page.length} chars): ${(e as Error).stack?.split('\n').slice(0, 4).join(' | ')}`);
  }
  counts.total++;
  for (const k of m.kinds) counts[k] = (counts[k] ?? 0) + 1;
  return ms;
}

describe('extraction pipeline under fuzzing', () => {
  it('unmutated pages: well-formed, and their cost measured as the baseline', () => {
    const sums: Record<PageForm, { ms: number; chars: number }> = { html: { ms: 0, chars: 0 }, text: { ms: 0, chars: 0 } };
    for (const s of corpus) runString(s, s.url); // warm-up (JIT, opencc tables)
    for (const s of corpus) {
      const runs: number[] = [];
      for (let i = 0; i < 3; i++) {
        const r = time(() => runString(s, s.url));
        checkWellFormed(r.value);
        runs.push(r.ms);
      }
      base.set(s.name, median(runs));
      sums[s.form].ms += median(runs);
      sums[s.form].chars += s.page.length;
    }
    for (const f of ['html', 'text'] as const) perChar[f] = sums[f].ms / Math.max(1, sums[f].chars);
    console.log(
      `extract-fuzz baseline: html ${(perChar.html * 1e6).toFixed(0)} ns/char, text ${(perChar.text * 1e6).toFixed(0)} ns/char, ` +
        `slowest page ${Math.max(...base.values()).toFixed(1)} ms`,
    );
    expect(base.size).toBe(corpus.length);
  });

  it(`light mutants (${LIGHT_PER_SOURCE} per page): no throw, well-formed, none far slower than the unmutated pages`, () => {
    const rng = new Rng(SEED);
    const counts: Record<string, number> = { total: 0, bytes: 0, refused: 0 };
    const failures: string[] = [];
    let slowest = { ms: 0, id: '' };
    for (const s of corpus) {
      for (let n = 0; n < LIGHT_PER_SOURCE; n++) {
        const m = mutatePage(s.name, n, s.page, s.form, rng, { kinds: LIGHT_KINDS, maxSteps: 4 });
        const ms = runMutant(m, s.url, counts, failures);
        if (ms > slowest.ms) slowest = { ms, id: m.id };
      }
    }
    const slowestBase = Math.max(...base.values());
    console.log(
      `extract-fuzz light: ${counts.total} mutants (${counts.bytes} also as bytes, ${counts.refused} refused as binary), ` +
        `slowest ${slowest.ms.toFixed(0)} ms (${slowest.id}) = ${(slowest.ms / slowestBase).toFixed(1)}× the slowest unmutated page; by kind ` +
        LIGHT_KINDS.map((k) => `${k} ${counts[k] ?? 0}`).join(', '),
    );
    expect(failures, failures.slice(0, 5).join('\n')).toEqual([]);
    expect(counts.total).toBe(corpus.length * LIGHT_PER_SOURCE);
    for (const k of LIGHT_KINDS) expect(counts[k] ?? 0, k).toBeGreaterThan(0);
    expect(slowest.ms / slowestBase, slowest.id).toBeLessThan(LIGHT_FACTOR);
  }, 300_000);

  const heavy = MUTATION_KINDS.filter((k) => HEAVY_KINDS.has(k));
  for (const [ki, kind] of heavy.entries()) {
    it(`heavy: ${kind} on ${HEAVY_PER_KIND} pages (with light mutations on top): cost in proportion to size`, () => {
      const rng = new Rng(SEED ^ (0x9e3779b9 * (ki + 1)));
      const counts: Record<string, number> = { total: 0, bytes: 0, refused: 0 };
    const failures: string[] = [];
      const report: string[] = [];
      let worst = 0;
      // Seed pages first (text and html forms alike), then others, a different window per kind.
      for (let i = 0; i < HEAVY_PER_KIND; i++) {
        const s = corpus[(ki * HEAVY_PER_KIND + i) % corpus.length];
        const m = mutatePage(s.name, i, s.page, s.form, rng, { force: kind, kinds: LIGHT_KINDS, maxSteps: 2 });
        const ms = runMutant(m, s.url, counts, failures);
        const predicted = perChar[s.form] * m.page.length;
        worst = Math.max(worst, ms / predicted);
        report.push(`${m.id} ${(m.page.length / 1000).toFixed(0)}k chars ${ms.toFixed(0)} ms (${(ms / predicted).toFixed(1)}× size-predicted)`);
      }
      console.log(`extract-fuzz heavy ${kind}: ${report.join('; ')}`);
      expect(failures, failures.slice(0, 5).join('\n')).toEqual([]);
      expect(worst).toBeLessThan(HEAVY_FACTOR);
    }, 120_000);
  }

  it('5 MB policy pages, through the file entry point: a result, in proportion to their size', () => {
    const s = corpus.find((c) => c.name === 'seed-001.html')!;
    // (a) the whole page body repeated (chrome and all); (b) one document whose body runs to 5 MB.
    const repeated = mutatePage(s.name, 0, s.page, s.form, new Rng(SEED), { force: 'huge-page', maxSteps: 1 });
    const file = fs.readdirSync(SEEDS_DIR).find((f) => f.startsWith('001'))!;
    const text = fs.readFileSync(path.join(SEEDS_DIR, file), 'utf8');
    const bodyLines = text.split('\n').slice(8).join('\n');
    const long = pageForSeed(file, text + ('\n' + bodyLines).repeat(Math.ceil(HUGE_PAGE_BYTES / Buffer.byteLength(bodyLines))));
    const longBody: Mutant = { id: 'seed-001.html:5MB-body', form: 'html', kinds: ['huge-page'], page: long.html, bytes: null };
    for (const m of [repeated, longBody]) {
      const bytes = mutantBytes(m);
      expect(bytes.length).toBeGreaterThanOrEqual(HUGE_PAGE_BYTES);
      const r = time(() => runBytes(m, s.url));
      expect(r.value).not.toBeInstanceOf(InputError);
      const doc = r.value as ExtractedDoc;
      checkWellFormed(doc);
      // Still that document: its number and clauses are found.
      expect(doc.metadata.docNumber?.normalized).toBe('京政发〔2016〕4号');
      expect(doc.clauses.length).toBeGreaterThan(0);
      const ratio = r.ms / (perChar.html * m.page.length);
      console.log(
        `extract-fuzz 5 MB ${m.id}: ${(bytes.length / 1048576).toFixed(1)} MB in ${r.ms.toFixed(0)} ms = ${ratio.toFixed(1)}× size-predicted, ` +
          `${doc.blocks.length} blocks, ${doc.clauses.length} top-level clauses, ${doc.citations.length} citations`,
      );
      expect(ratio).toBeLessThan(HEAVY_FACTOR);
    }
  }, 120_000);

  it('mixed encodings: GBK and Big5 lines inside UTF-8 pages decode to text, never throw', () => {
    const rng = new Rng(SEED + 1);
    const counts: Record<string, number> = { total: 0, bytes: 0, refused: 0 };
    const failures: string[] = [];
    const kinds: MutationKind[] = ['gbk-misread', 'big5-bytes'];
    for (const s of corpus) for (const kind of kinds) runMutant(mutatePage(s.name, 0, s.page, s.form, rng, { force: kind, maxSteps: 1 }), s.url, counts, failures);
    console.log(`extract-fuzz mixed encodings: ${counts.bytes} byte-level pages, ${counts.refused} refused`);
    expect(failures, failures.slice(0, 5).join('\n')).toEqual([]);
    expect(counts.bytes).toBe(corpus.length * kinds.length);
    // Foreign bytes alone never make a text page look binary.
    expect(counts.refused).toBe(0);
  }, 120_000);
});
