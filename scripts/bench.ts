// The one benchmark: `npm run bench` prints a table; `npm run bench -- --json` prints the same figures as JSON.
// Figures are medians over repeated runs in this process; compare ratios, not absolute times, across machines.
import fs from 'node:fs';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { Readability } from '@mozilla/readability';
import { extractFromDocument } from '../lib/extract/pipeline';
import { collectSignals } from '../lib/detect/signals';
import { detectPage } from '../lib/detect/detect';
import { pageForSeed } from './site-templates';
import { execSync } from 'node:child_process';
import { benchRelated } from './bench/related';
import { benchOverlay } from './bench/overlay';
import { benchHighlights } from './bench/highlights';

const ROOT = path.resolve(import.meta.dirname, '..');
const json = process.argv.includes('--json');

function parse(html: string): Document {
  return parseHTML(html).document as unknown as Document;
}

/** Median wall time in ms of `fn` over `runs` runs, after `warm` unmeasured runs. */
function median(fn: () => void, runs = 15, warm = 3): number {
  for (let i = 0; i < warm; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Median time of `work(doc)` where each run gets a freshly parsed document (parsing is not timed). */
function medianOnFresh(html: string, work: (doc: Document) => void, runs = 15): number {
  const docs = Array.from({ length: runs + 3 }, () => parse(html));
  let i = 0;
  return median(() => work(docs[i++]), runs, 3);
}

const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

interface SeedFigure {
  seed: string;
  site: string;
  htmlBytes: number;
  pipelineMs: number;
  readabilityMs: number;
  ratio: number;
}

function benchPipeline(): SeedFigure[] {
  const dir = path.join(ROOT, 'seeds');
  const out: SeedFigure[] = [];
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort()) {
    const page = pageForSeed(name, fs.readFileSync(path.join(dir, name), 'utf8'));
    const url = `http://${hostFor(page.site)}${page.path}`;
    const pipelineMs = medianOnFresh(page.html, (doc) => void extractFromDocument(doc, url));
    const readabilityMs = medianOnFresh(page.html, (doc) => void new Readability(doc).parse());
    out.push({
      seed: name,
      site: page.site,
      htmlBytes: Buffer.byteLength(page.html),
      pipelineMs: round(pipelineMs),
      readabilityMs: round(readabilityMs),
      ratio: round(pipelineMs / readabilityMs),
    });
  }
  return out;
}

function hostFor(site: string): string {
  return (
    { beijing: 'www.beijing.gov.cn', govcn: 'www.gov.cn', shanghai: 'www.shanghai.gov.cn', shenyang: 'www.shenyang.gov.cn' }[
      site
    ] ?? 'www.example.gov.cn'
  );
}

function benchDetector(): { page: string; detectMs: number; kind: string } {
  const pagesDir = path.join(ROOT, 'tests/pages');
  // The list page is the common non-policy case: many links, titles that look like notices.
  const candidates = fs.readdirSync(pagesDir).filter((d) => fs.existsSync(path.join(pagesDir, d, 'expected.json')));
  const pick =
    candidates.find((d) => /list/.test(d)) ??
    candidates.find((d) => JSON.parse(fs.readFileSync(path.join(pagesDir, d, 'expected.json'), 'utf8')).kind === 'other')!;
  const html = fs.readFileSync(path.join(pagesDir, pick, 'source.html'), 'utf8');
  const expected = JSON.parse(fs.readFileSync(path.join(pagesDir, pick, 'expected.json'), 'utf8'));
  let kind = '';
  const detectMs = medianOnFresh(html, (doc) => {
    kind = detectPage(collectSignals(doc, expected.url ?? null)).kind;
  }, 31);
  return { page: pick, detectMs: round(detectMs, 3), kind };
}

const log = (m: string) => process.stderr.write(`bench: ${m}\n`);
log('pipeline and detector…');
const pipeline = benchPipeline();
const detector = benchDetector();
log('building the extension…');
execSync('npx wxt build', { cwd: ROOT, stdio: 'ignore' });
log('page load to panel in Chromium…');
const overlay = await benchOverlay(ROOT);
log('related clauses at 1,000 plans…');
const related = await benchRelated(ROOT, 1000);
log('highlight re-anchoring…');
const highlights = benchHighlights(ROOT);

const figures = {
  machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
  pipeline,
  detector,
  overlay,
  related,
  highlights,
};

if (json) {
  process.stdout.write(JSON.stringify(figures, null, 2) + '\n');
} else {
  console.log('Pipeline per seed page (linkedom DOM; parse not timed), median of 15 runs');
  console.table(figures.pipeline);
  console.log('Detector on a non-policy page');
  console.table([figures.detector]);
  console.log('Overlay in Chromium (built extension), largest seed page');
  console.table([figures.overlay]);
  console.log('Related-clause lookup for seed 000 against a synthetic library (Node, fake-indexeddb)');
  console.table([figures.related]);
  console.log('Highlights: re-anchoring 100 on the largest seed page after it changed; perturbation suite from the seeds');
  console.table([figures.highlights]);
}
