// A library built by saves, not by a rebuild: every plan indexed one at a time as a save does (in Chromium), then
// the same query figures as `npm run bench`, before and after the background's merge of big segments.
// Slow (10,000 plans take ~40 min here), so not part of `npm run bench`:
//   npx tsx scripts/bench-browser/by-saves.ts PLANS DIR          build the library in DIR, then measure
//   npx tsx scripts/bench-browser/by-saves.ts PLANS DIR reuse    measure the library kept in DIR
//   npx tsx scripts/bench-browser/by-saves.ts PLANS DIR reuse compact   merge its big segments (timed), then measure
import fs from 'node:fs';
import path from 'node:path';
import { extractFromText } from '../../lib/extract/pipeline';
import type { QueryRunFigures } from './core';
import { bundlePage, call, launch, openPage, serveOnPort } from '../bench-search';

const [plans = '10000', dir = '/tmp/policy-lens-by-saves', mode, step] = process.argv.slice(2);
const n = Number(plans);
const SEEDS = path.resolve(import.meta.dirname, '../../seeds');
const seeds = fs.readdirSync(SEEDS).filter((f) => f.endsWith('.txt')).sort().map((f) => extractFromText(fs.readFileSync(path.join(SEEDS, f), 'utf8'), null));
const pages: Record<string, { body: string; type: string }> = {
  '/index.html': { body: '<!doctype html><meta charset="utf-8"><title>loading</title><script type="module" src="/bench.js"></script>', type: 'text/html; charset=utf-8' },
  '/seeds.json': { body: JSON.stringify(seeds), type: 'application/json; charset=utf-8' },
};
for (const [file, code] of Object.entries(await bundlePage())) pages[`/${file}`] = { body: code, type: 'text/javascript; charset=utf-8' };
// A fixed port: the database belongs to the page's origin, and a kept library is found again only from it.
const server = await serveOnPort(pages, 48999);
const profile = path.join(dir, `chromium-${n}`);
const name = `bench-${n}`;
try {
  if (mode !== 'reuse') {
    fs.rmSync(profile, { recursive: true, force: true });
    fs.mkdirSync(profile, { recursive: true });
    const ctx = await launch(profile);
    const t0 = Date.now();
    console.log('built by saves', JSON.stringify(await call(await openPage(ctx, server), 'writeBySaves', name, n)), `${Math.round((Date.now() - t0) / 1000)} s`);
    await ctx.close();
  }
  const ctx = await launch(profile);
  const page = await openPage(ctx, server);
  console.log('index', JSON.stringify(await call(page, 'stats', name)));
  if (step === 'compact') console.log('merged in the background', JSON.stringify(await call(page, 'compact', name)));
  const q = await call<QueryRunFigures>(page, 'queries', name, 5);
  console.log(`queries: p50 ${q.p50} ms, p95 ${q.p95} ms, cached p95 ${q.cachedP95} ms, differing from the scan ${q.mismatches}; phases ${JSON.stringify(q.phases.mean)}`);
  await ctx.close();
  const answers: number[] = [];
  for (let i = 0; i < 5; i++) {
    const c = await launch(profile);
    const r = await call<{ openMs: number; firstQueryMs: number }>(await openPage(c, server), 'cold', name, '大数据');
    answers.push(Math.round(r.openMs + r.firstQueryMs));
    await c.close();
  }
  console.log(`first answer after a browser start (5 starts): ${answers.join(', ')} ms`);
} finally {
  await server.close();
}
