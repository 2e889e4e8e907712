// The one benchmark: `npm run bench` prints one table (a row per figure) then the detail; `npm run bench -- --json` prints the same figures as JSON.
// Figures are medians over repeated runs in this process; compare ratios, not absolute times, across machines.
// Options: --search-plans 1000,10000 (Chromium corpus sizes), --node-search (also the search bench in Node).
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
import { benchSearch, printSearchFigures, reportMismatches } from './bench-search';
import { figureRows, formatTable, type PipelineFigure } from './bench/table';

const ROOT = path.resolve(import.meta.dirname, '..');
const json = process.argv.includes('--json');
const argAfter = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const searchPlans = (argAfter('--search-plans') ?? '1000,10000').split(',').map(Number).filter((n) => n > 0);
const started = performance.now();

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

function benchPipeline(): PipelineFigure[] {
  const dir = path.join(ROOT, 'seeds');
  const out: PipelineFigure[] = [];
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
/** Sections that failed: the table says so and the bench exits non-zero, but the other figures still print. */
const failures: Array<{ section: string; error: string }> = [];
async function section<T>(name: string, label: string, run: () => T | Promise<T>): Promise<T | null> {
  log(label);
  try {
    return await run();
  } catch (e) {
    const error = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    log(`${name} FAILED: ${error}`);
    failures.push({ section: name, error });
    return null;
  }
}
const pipeline = await section('pipeline', 'pipeline…', benchPipeline);
const detector = await section('detector', 'detector…', benchDetector);
const built = await section('build', 'building the extension…', () => void execSync('npx wxt build', { cwd: ROOT, stdio: 'pipe' }));
const overlay = built === null ? null : await section('overlay', 'page load to panel in Chromium…', () => benchOverlay(ROOT));
const related = await section('related', 'related clauses at 1,000 plans…', () => benchRelated(ROOT, 1000));
const highlights = await section('highlights', 'highlight re-anchoring…', () => benchHighlights(ROOT));
const search = await section('search', `search at ${searchPlans.join(', ')} plans in Chromium (10,000 takes ~3 minutes)…`, () =>
  benchSearch({
    plans: searchPlans,
    nodePlans: process.argv.includes('--node-search') ? [1000] : [],
    log: (m) => log(`  ${m}`),
  }),
);

const detail = { pipeline, detector, overlay, related, search, highlights };
const rows = figureRows(detail, failures);
const machine = { node: process.version, cpus: (await import('node:os')).cpus().length, loadavg: (await import('node:os')).loadavg().map((x) => Math.round(x * 10) / 10) };
const totalSeconds = Math.round((performance.now() - started) / 1000);

if (json) {
  process.stdout.write(JSON.stringify({ machine, totalSeconds, figures: rows, failures, detail }, null, 2) + '\n');
} else {
  console.log(`Policy Lens benchmark — Node ${machine.node}, ${machine.cpus} CPUs, load ${machine.loadavg.join(' ')}; ${totalSeconds} s in all`);
  console.log(formatTable(rows));
  console.log('\nDetail');
  const detailOf = (title: string, x: unknown) => {
    if (x === null) return;
    console.log(title);
    console.table(Array.isArray(x) ? x : [x]);
  };
  detailOf('Pipeline per seed page (linkedom DOM; parse not timed), median of 15 runs', pipeline);
  detailOf('Detector on a non-policy page', detector);
  detailOf('Overlay in Chromium (built extension), largest seed page', overlay);
  detailOf('Related-clause lookup for seed 000 against a synthetic library (Node, fake-indexeddb)', related);
  detailOf('Highlights: re-anchoring 100 on the largest seed page after it changed; perturbation suite from the seeds', highlights);
  if (search) printSearchFigures(search);
}
const mismatch = search ? reportMismatches(search) : false;
if (failures.length) log(`${failures.length} section(s) failed: ${failures.map((f) => f.section).join(', ')}`);
if (mismatch || failures.length) process.exitCode = 1;
