// Profiling aid: run page.ts's probe on a profile kept by `bench-search.ts --profile-dir` (no write, no build); `--cold [runs]`: first queries after browser starts.
import fs from 'node:fs';
import path from 'node:path';
import { bundlePage, call, keptProfilePort, launch, openPage, serveOnPort } from '../bench-search';

const [dir, n, ...queries] = process.argv.slice(2);
const files = await bundlePage();
const pages: Record<string, { body: string; type: string }> = {
  '/index.html': { body: '<!doctype html><meta charset="utf-8"><title>loading</title><script type="module" src="/bench.js"></script>', type: 'text/html; charset=utf-8' },
  '/seeds.json': { body: '[]', type: 'application/json; charset=utf-8' },
};
for (const [file, code] of Object.entries(files)) pages[`/${file}`] = { body: code, type: 'text/javascript; charset=utf-8' };
const server = await serveOnPort(pages, keptProfilePort(path.join(path.resolve(dir), `chromium-${n}`)));
const ctx = await launch(path.join(path.resolve(dir), `chromium-${n}`));
if (!fs.existsSync(path.join(path.resolve(dir), `chromium-${n}`, 'built.json'))) throw new Error('no kept profile');
const page = await openPage(ctx, server);
if (queries[0] === '--cold') {
  // `--cold [runs]`: a browser start per run (nothing cached); the first query's phases, and their medians.
  await ctx.close();
  const runs: Array<Record<string, number>> = [];
  for (let r = 0; r < Number(queries[1] ?? 5); r++) {
    const c = await launch(path.join(path.resolve(dir), `chromium-${n}`));
    const p = await openPage(c, server);
    const res = await call<{ openMs: number; firstQueryMs: number; firstPhases: Record<string, number> }>(p, 'cold', `bench-${n}`, '大数据');
    runs.push({ ...res.firstPhases, openDb: res.openMs, first: res.firstQueryMs, answer: res.openMs + res.firstQueryMs });
    await c.close();
  }
  const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r)))];
  console.log('median', JSON.stringify(Object.fromEntries(keys.map((k) => [k, Math.round(med(runs.map((r) => r[k] ?? 0)) * 10) / 10]))));
  await server.close();
  process.exit(0);
}
for (let r = 0; r < 3; r++) for (const q of queries) console.log(q, JSON.stringify(await call(page, 'probe', `bench-${n}`, q), (k, v) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v)));
await ctx.close();
await server.close();
