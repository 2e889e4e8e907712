// Profiling aid: run page.ts's probe on a profile kept by `bench-search.ts --profile-dir` (no write, no build).
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
for (let r = 0; r < 3; r++) for (const q of queries) console.log(q, JSON.stringify(await call(page, 'probe', `bench-${n}`, q), (k, v) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v)));
await ctx.close();
await server.close();
