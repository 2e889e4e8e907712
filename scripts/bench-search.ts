// Search benchmark: index build time and size, query latency next to the plain scan, cold first query, exactness and memory — in Chromium (real IndexedDB) and Node (fake-indexeddb).
// Standalone: `npx tsx scripts/bench-search.ts --plans 1000[,10000] [--node-plans 1000] [--runs 5] [--no-browser] [--json] [--profile-dir DIR]`.
// scripts/bench.ts calls benchSearch(). Nothing is cached between runs unless --profile-dir keeps each built Chromium profile for the next run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { openLibrary } from '../lib/library/db';
import { extractFromText } from '../lib/extract/pipeline';
import { dropSearchCache, searchCacheBytes } from '../lib/search/index';
import { search } from '../lib/search/search';
import type { ExtractedDoc } from '../lib/types';
import { startPageServer, type PageServer } from '../tests/support/server';
import { CHROMIUM, QUIET_CHROMIUM_ARGS } from '../tests/support/browser';
import { buildIndex, percentile, POPUP_LIMIT, runQueries, runUpdates, writeSynthetic, type BuildFigures, type QueryRunFigures, type UpdateFigures, type WriteFigures } from './bench-browser/core';

const ROOT = path.resolve(import.meta.dirname, '..');
/** Browser starts timed for the first answer after a start (the median is reported, and the slowest). */
const COLD_STARTS = 5;
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const mb = (bytes: number | null | undefined) => (bytes === null || bytes === undefined ? null : round(bytes / 1024 / 1024, 1));

export interface BenchSearchOptions {
  /** Corpus sizes run in Chromium (default 1,000 and 10,000). */
  plans?: number[];
  /** Corpus sizes run in Node with fake-indexeddb (default 1,000; it is slow and holds everything in memory). */
  nodePlans?: number[];
  /** Run Chromium at all (default: when the executable exists). */
  browser?: boolean;
  /** Timed rounds of the query set (default 5). */
  runs?: number;
  /**
   * Keep each Chromium profile (corpus + built index) under this folder and reuse it on the next run
   * (skips writing and building; the write/build/update figures are those of the run that built it).
   */
  profileDir?: string;
  log?: (line: string) => void;
}

export interface ColdFigures {
  /** Browser starts measured; the other fields are those of the start with the median first answer. */
  starts: number;
  /** The first answer of every start, in order, and the slowest of them. */
  firstAnswersMs: number[];
  firstAnswerMaxMs: number;
  /** From navigation to the page script running (bundle load). */
  pageStartMs: number;
  openMs: number;
  firstQueryMs: number;
  /** openMs + firstQueryMs: what the popup waits for after a browser start. */
  firstAnswerMs: number;
  secondQueryMs: number;
  /** JS heap grown by the first query (GC forced) and the bytes the index cache holds. */
  heapDeltaMB: number | null;
  cacheMB: number | null;
}

export interface SizeFigures {
  env: 'chromium' | 'node';
  plans: number;
  /** Characters of plan text. */
  chars: number;
  writePlansMs: number;
  buildMs: number;
  segments: number;
  /** Index bytes as written (postings + document tables). */
  indexMB: number;
  /** Growth of Chromium's IndexedDB folder from the plans alone to plans + index (on disk, compressed). */
  diskPlansMB: number | null;
  diskIndexMB: number | null;
  queries: QueryRunFigures;
  updates: UpdateFigures;
  cold: ColdFigures | null;
  /** JS heap grown by a round of queries from an empty cache (GC forced), and the cache's own count. */
  memory: { heapDeltaMB: number | null; cacheMB: number | null };
}

export interface SearchBenchFigures {
  chromium: SizeFigures[];
  node: SizeFigures[];
  /** Why Chromium figures are missing, if they are. */
  chromiumSkipped: string | null;
}

/** The five seeds through the real pipeline: the material every synthetic plan is cut from. */
function seedDocs(): ExtractedDoc[] {
  const dir = path.join(ROOT, 'seeds');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => extractFromText(fs.readFileSync(path.join(dir, f), 'utf8'), null));
}

// ---------------------------------------------------------------- Node

async function nodeRun(seeds: ExtractedDoc[], n: number, runs: number, log: (s: string) => void): Promise<SizeFigures> {
  const factory = new IDBFactory();
  let db = await openLibrary(`bench-${n}`, { indexedDB: factory, IDBKeyRange });
  log(`node ${n}: writing plans`);
  const w: WriteFigures = await writeSynthetic(db, seeds, n);
  log(`node ${n}: building the index`);
  const b: BuildFigures = await buildIndex(db);
  log(`node ${n}: queries and scan`);
  const q = await runQueries(db, runs);
  const u = await runUpdates(db, seeds, n);
  const g = globalThis as { gc?: () => void };
  dropSearchCache(db);
  g.gc?.();
  const h0 = process.memoryUsage().heapUsed;
  for (const query of ['大数据', '云计算', '互联网 金融', '信息', '国发[2015]50号', '智慧城市']) await search(db, query, { limit: POPUP_LIMIT });
  g.gc?.();
  const memory = { heapDeltaMB: g.gc ? mb(process.memoryUsage().heapUsed - h0) : null, cacheMB: mb(searchCacheBytes(db)) };
  // "Cold" in Node: a new connection and no cache (fake-indexeddb keeps its data in this process).
  db.close();
  dropSearchCache(db);
  const t0 = performance.now();
  db = await openLibrary(`bench-${n}`, { indexedDB: factory, IDBKeyRange });
  const t1 = performance.now();
  await search(db, '大数据', { limit: POPUP_LIMIT });
  const t2 = performance.now();
  await search(db, '智慧城市', { limit: POPUP_LIMIT });
  const t3 = performance.now();
  db.close();
  return {
    env: 'node',
    plans: n,
    chars: w.chars,
    writePlansMs: w.ms,
    buildMs: b.ms,
    segments: b.segments,
    indexMB: mb(b.bytes)!,
    diskPlansMB: null,
    diskIndexMB: null,
    queries: q,
    updates: u,
    cold: {
      starts: 1,
      firstAnswersMs: [round(t2 - t0)],
      firstAnswerMaxMs: round(t2 - t0),
      pageStartMs: 0,
      openMs: round(t1 - t0),
      firstQueryMs: round(t2 - t1),
      firstAnswerMs: round(t2 - t0),
      secondQueryMs: round(t3 - t2),
      heapDeltaMB: null,
      cacheMB: null,
    },
    memory,
  };
}

// ---------------------------------------------------------------- Chromium

/** The benchmark page bundled with Vite (lib/search, Dexie, opencc as the extension ships them). */
export async function bundlePage(): Promise<Record<string, string>> {
  const { build } = await import('vite');
  const out = await build({
    configFile: false,
    root: ROOT,
    logLevel: 'silent',
    publicDir: false,
    define: { 'process.env.NODE_ENV': '"production"' },
    build: {
      write: false,
      outDir: path.join(os.tmpdir(), 'policy-lens-bench-unused'),
      emptyOutDir: false,
      minify: true,
      target: 'es2022',
      lib: { entry: path.join(ROOT, 'scripts/bench-browser/page.ts'), formats: ['es'], fileName: () => 'bench.js' },
    },
  });
  const results = Array.isArray(out) ? out : [out];
  const files: Record<string, string> = {};
  for (const r of results) {
    for (const o of (r as { output: Array<{ type: string; fileName: string; code?: string; source?: string | Uint8Array }> }).output) {
      files[o.fileName] = o.type === 'chunk' ? o.code! : typeof o.source === 'string' ? o.source : Buffer.from(o.source!).toString('utf8');
    }
  }
  if (!files['bench.js']) throw new Error(`bench bundle: no bench.js among ${Object.keys(files).join(', ')}`);
  return files;
}

export async function launch(dir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      ...QUIET_CHROMIUM_ARGS,
      '--enable-precise-memory-info',
      '--js-flags=--expose-gc',
    ],
  });
}

export async function openPage(ctx: BrowserContext, server: PageServer): Promise<Page> {
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  await page.goto(server.url('127.0.0.1', '/index.html'));
  await page.waitForFunction(() => document.title === 'search bench ready', undefined, { timeout: 30_000 });
  return page;
}

/** Bytes under a folder (IndexedDB's LevelDB files). */
function du(dir: string): number {
  let n = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    n += e.isDirectory() ? du(p) : fs.statSync(p).size;
  }
  return n;
}

/**
 * Port of the page server for a kept profile folder (IndexedDB belongs to the origin, port included):
 * the one in its built.json, else one derived from the folder's path.
 */
export function keptProfilePort(dir: string): number {
  const marker = path.join(dir, 'built.json');
  if (fs.existsSync(marker)) {
    const port = (JSON.parse(fs.readFileSync(marker, 'utf8')) as { port?: number }).port;
    if (port) return port;
  }
  let h = 0;
  for (const ch of path.resolve(dir)) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return 47_000 + (h % 2000);
}

/** Serve fixed pages on a given port of 127.0.0.1. */
export async function serveOnPort(pages: Record<string, { body: string; type: string }>, port: number): Promise<PageServer> {
  const http = await import('node:http');
  const server = http.createServer((req, res) => {
    const p = pages[(req.url ?? '/').split('?')[0]];
    if (!p) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': p.type }).end(p.body);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  return {
    port,
    url: (host: string, p: string) => `http://${host}:${port}${p}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  } as unknown as PageServer;
}

type BenchWindow = { bench: Record<string, (...args: unknown[]) => Promise<unknown>> };

export async function call<T>(page: Page, fn: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(([f, a]) => (window as unknown as BenchWindow).bench[f as string](...(a as unknown[])), [fn, args] as const) as Promise<T>;
}

interface BuiltProfile {
  w: WriteFigures;
  b: BuildFigures;
  u: UpdateFigures;
  diskPlans: number;
  diskAll: number;
  /** The page server's port: the origin the profile's database belongs to. */
  port: number;
}

async function chromiumRun(server: PageServer, n: number, runs: number, log: (s: string) => void, profileDir?: string): Promise<SizeFigures> {
  const dir = profileDir ? path.join(profileDir, `chromium-${n}`) : fs.mkdtempSync(path.join(os.tmpdir(), 'policy-lens-search-bench-'));
  const idbDir = path.join(dir, 'Default', 'IndexedDB');
  const marker = path.join(dir, 'built.json');
  const name = `bench-${n}`;
  try {
    let built: BuiltProfile | null = profileDir && fs.existsSync(marker) ? (JSON.parse(fs.readFileSync(marker, 'utf8')) as BuiltProfile) : null;
    let q: QueryRunFigures;
    let stats: { bytes: number };
    let ctx: BrowserContext;
    let page: Page;
    if (built) {
      log(`chromium ${n}: reusing the profile in ${dir}; queries and scan`);
      ctx = await launch(dir);
      page = await openPage(ctx, server);
      q = await call<QueryRunFigures>(page, 'queries', name, runs);
      stats = await call<{ bytes: number }>(page, 'stats', name);
      await ctx.close();
    } else {
      if (profileDir) fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      ctx = await launch(dir);
      page = await openPage(ctx, server);
      log(`chromium ${n}: writing plans`);
      const w = await call<WriteFigures>(page, 'write', name, n);
      await ctx.close();
      const diskPlans = du(idbDir);
      ctx = await launch(dir);
      page = await openPage(ctx, server);
      log(`chromium ${n}: building the index`);
      const b = await call<BuildFigures>(page, 'build', name);
      log(`chromium ${n}: queries and scan`);
      q = await call<QueryRunFigures>(page, 'queries', name, runs);
      const u = await call<UpdateFigures>(page, 'updates', name, n);
      stats = await call<{ bytes: number }>(page, 'stats', name);
      await ctx.close();
      built = { w, b, u, diskPlans, diskAll: du(idbDir), port: server.port };
      if (profileDir) fs.writeFileSync(marker, JSON.stringify(built));
    }
    const { w, b, u, diskPlans, diskAll } = built;
    // Browser starts: a new process each, nothing in memory; the page opens the library and answers. One
    // start is one sample of a noisy thing (Chromium's own start-up shares the CPU), so several are timed.
    type Cold = { pageStartMs: number; openMs: number; firstQueryMs: number; secondQueryMs: number; cacheBytes: number; heapDelta: number | null; firstPhases: Record<string, number> };
    const colds: Cold[] = [];
    let memory: { heapDelta: number | null; cacheBytes: number } | null = null;
    for (let start = 0; start < COLD_STARTS; start++) {
      log(`chromium ${n}: cold start ${start + 1} of ${COLD_STARTS}`);
      ctx = await launch(dir);
      page = await openPage(ctx, server);
      const c = await call<Cold>(page, 'cold', name, '大数据');
      colds.push(c);
      log(`chromium ${n}: first answer ${round(c.openMs + c.firstQueryMs)} ms, phases (ms) ${JSON.stringify(c.firstPhases, (_, v) => (typeof v === 'number' ? round(v) : v))}`);
      if (start === COLD_STARTS - 1) memory = await call<{ heapDelta: number | null; cacheBytes: number }>(page, 'memory', name);
      await ctx.close();
    }
    const answers = colds.map((c) => c.openMs + c.firstQueryMs);
    const cold = colds.find((c) => c.openMs + c.firstQueryMs === percentile(answers, 50))!;
    return {
      env: 'chromium',
      plans: n,
      chars: w.chars,
      writePlansMs: w.ms,
      buildMs: b.ms,
      segments: b.segments,
      indexMB: mb(stats.bytes)!,
      diskPlansMB: mb(diskPlans),
      diskIndexMB: mb(diskAll - diskPlans),
      queries: q,
      updates: u,
      cold: {
        starts: colds.length,
        firstAnswersMs: answers.map((a) => round(a)),
        firstAnswerMaxMs: round(Math.max(...answers)),
        pageStartMs: round(cold.pageStartMs),
        openMs: round(cold.openMs),
        firstQueryMs: round(cold.firstQueryMs),
        firstAnswerMs: round(cold.openMs + cold.firstQueryMs),
        secondQueryMs: round(cold.secondQueryMs),
        heapDeltaMB: mb(cold.heapDelta),
        cacheMB: mb(cold.cacheBytes),
      },
      memory: { heapDeltaMB: mb(memory!.heapDelta), cacheMB: mb(memory!.cacheBytes) },
    };
  } finally {
    if (!profileDir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- entry

export async function benchSearch(options: BenchSearchOptions = {}): Promise<SearchBenchFigures> {
  const log = options.log ?? (() => {});
  const runs = options.runs ?? 5;
  const seeds = seedDocs();
  const figures: SearchBenchFigures = { chromium: [], node: [], chromiumSkipped: null };
  for (const n of options.nodePlans ?? [1000]) figures.node.push(await nodeRun(seeds, n, runs, log));
  const wantBrowser = options.browser ?? true;
  if (!wantBrowser) figures.chromiumSkipped = 'not asked';
  else if (!fs.existsSync(CHROMIUM)) figures.chromiumSkipped = `${CHROMIUM} not found`;
  else {
    const files = await bundlePage();
    const pages: Record<string, { body: string; type: string }> = {
      '/index.html': { body: '<!doctype html><meta charset="utf-8"><title>loading</title><script type="module" src="/bench.js"></script>', type: 'text/html; charset=utf-8' },
      '/seeds.json': { body: JSON.stringify(seeds), type: 'application/json; charset=utf-8' },
    };
    for (const [file, code] of Object.entries(files)) pages[`/${file}`] = { body: code, type: 'text/javascript; charset=utf-8' };
    for (const n of options.plans ?? [1000, 10000]) {
      // A kept profile is only found again from the same origin: the port it was built with.
      const server = options.profileDir ? await serveOnPort(pages, keptProfilePort(path.join(options.profileDir, `chromium-${n}`))) : await startPageServer(pages);
      try {
        figures.chromium.push(await chromiumRun(server, n, runs, log, options.profileDir));
      } finally {
        await server.close();
      }
    }
  }
  return figures;
}

/** The figures as printable tables. */
export function printSearchFigures(f: SearchBenchFigures, print: (s: string) => void = console.log): void {
  const sizes = [...f.chromium, ...f.node];
  print('Search: index build, size, latency (index vs plain scan of the same data), exactness');
  console.table(
    sizes.map((s) => ({
      env: s.env,
      plans: s.plans,
      'chars (M)': round(s.chars / 1e6, 1),
      'write plans ms': s.writePlansMs,
      'build ms': s.buildMs,
      segments: s.segments,
      'index MB': s.indexMB,
      'disk plans MB': s.diskPlansMB,
      'disk index MB': s.diskIndexMB,
      'p50 ms': s.queries.p50,
      'p95 ms': s.queries.p95,
      'cached p95': s.queries.cachedP95,
      'scan p50 ms': s.queries.scanP50,
      'scan×': s.queries.ratio,
      'scan match-only p50': s.queries.scanMatchP50,
      'cold 1st answer ms': s.cold?.firstAnswerMs ?? null,
      mismatches: s.queries.mismatches,
      'order diffs': s.queries.orderMismatches,
      'heap MB': s.memory.heapDeltaMB,
      'cache MB': s.memory.cacheMB,
    })),
  );
  for (const s of sizes) {
    print(`${s.env} ${s.plans} plans: per query (ms: index median / max, cached; scan = read ${s.queries.scanReadMs} + key ${s.queries.scanKeyMs} + match)`);
    console.table(s.queries.queries.map((q) => ({ query: q.q, what: q.what, hits: q.total, ms: q.ms, max: q.maxMs, cached: q.cachedMs, scan: q.scanMs, 'scan match': q.scanMatchMs, mismatches: q.mismatches, 'same order': q.sameOrder })));
    print(`  phases (ms, mean of uncached runs): ${JSON.stringify(s.queries.phases.mean)}`);
    print(`  phases (ms, mean of the slowest 5%): ${JSON.stringify(s.queries.phases.slowest)}`);
    print(`  updates: re-save ${s.updates.resaveMs} ms, add ${s.updates.addMs} ms, delete ${s.updates.deleteMs} ms; cold: ${JSON.stringify(s.cold)}`);
  }
  if (f.chromiumSkipped) print(`Chromium skipped: ${f.chromiumSkipped}`);
}

/** Every query whose index answer differs from the scan's (missed or false matches), as printable lines. */
export function searchMismatches(f: SearchBenchFigures): string[] {
  const out: string[] = [];
  for (const s of [...f.chromium, ...f.node]) {
    for (const q of s.queries.queries) {
      if (q.mismatches) out.push(`${s.env} ${s.plans} plans: "${q.q}" differs from the scan in ${q.mismatches} plans`);
    }
  }
  return out;
}

/** Print mismatches loudly on stderr; true when there were any. */
export function reportMismatches(f: SearchBenchFigures): boolean {
  const bad = searchMismatches(f);
  const queries = [...f.chromium, ...f.node].reduce((n, s) => n + s.queries.queries.length, 0);
  if (!bad.length) {
    process.stderr.write(`search: index answers equal the scan's for all ${queries} query runs (no missed match, no false one)\n`);
    return false;
  }
  process.stderr.write(`\n!!!!!!!! SEARCH MISMATCH: the index and the plain scan disagree !!!!!!!!\n${bad.map((l) => `!!! ${l}`).join('\n')}\n\n`);
  return true;
}

function parseList(v: string | undefined): number[] | undefined {
  return v === undefined ? undefined : v.split(',').map((x) => Number(x.trim())).filter((x) => x > 0);
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isMain) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const plans = parseList(arg('--plans'));
  const figures = await benchSearch({
    plans,
    nodePlans: parseList(arg('--node-plans')) ?? (plans ? plans.filter((n) => n <= 1000) : undefined),
    browser: !process.argv.includes('--no-browser'),
    runs: arg('--runs') ? Number(arg('--runs')) : undefined,
    profileDir: arg('--profile-dir') ? path.resolve(arg('--profile-dir')!) : undefined,
    log: (s) => process.stderr.write(`${s}\n`),
  });
  if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(figures, null, 2) + '\n');
  else printSearchFigures(figures);
  if (reportMismatches(figures)) process.exitCode = 1;
}
