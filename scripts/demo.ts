// `npm run demo`: builds the extension, serves the seed documents in their sites' templates on loopback
// and opens Chromium with the extension loaded on a local demo page. Without a display it runs headless,
// saves a screenshot of each page to demo-output/ and exits.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launchWithExtension } from '../tests/support/browser';
import { startPageServer, type Page } from '../tests/support/server';
import { pageForSeed } from './site-templates';

const ROOT = path.resolve(import.meta.dirname, '..');
const HOSTS: Record<string, string> = {
  beijing: 'www.beijing.gov.cn',
  govcn: 'www.gov.cn',
  shanghai: 'www.shanghai.gov.cn',
  shenyang: 'www.shenyang.gov.cn',
  generic: 'www.example.gov.cn',
};
const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

if (!process.argv.includes('--no-build')) execSync('npx wxt build', { cwd: ROOT, stdio: 'inherit' });

const pages: Record<string, Page> = {};
const links: Array<{ host: string; path: string; name: string }> = [];
for (const name of fs.readdirSync(path.join(ROOT, 'seeds')).filter((f) => f.endsWith('.txt')).sort()) {
  const page = pageForSeed(name, fs.readFileSync(path.join(ROOT, 'seeds', name), 'utf8'));
  pages[page.path] = { body: page.html };
  links.push({ host: HOSTS[page.site] ?? HOSTS.generic, path: page.path, name });
}
const server = await startPageServer(pages);
const index =
  '<!doctype html><meta charset="utf-8"><title>政策透镜 demo</title><h1>政策透镜 Policy Lens — demo pages</h1><ul>' +
  links.map((l) => `<li><a href="${escape(server.url(l.host, l.path))}">${escape(l.name)}</a> (${escape(l.host)})</li>`).join('') +
  '</ul>';
server.set('/policy-lens-demo/', { body: index });
const start = server.url('www.gov.cn', '/policy-lens-demo/');

const headless = !process.env.DISPLAY || process.argv.includes('--headless');
const browser = await launchWithExtension({ headless });
const page = browser.context.pages()[0] ?? (await browser.context.newPage());
await page.goto(start);
if (headless) {
  const out = path.join(ROOT, 'demo-output');
  fs.mkdirSync(out, { recursive: true });
  for (const l of links) {
    await page.goto(server.url(l.host, l.path));
    await page.waitForTimeout(1500);
    const file = path.join(out, `${l.name.replace(/\.txt$/, '')}.png`);
    await page.screenshot({ path: file });
    console.log(`screenshot: ${file}`);
  }
  await browser.close();
  await server.close();
} else {
  console.log(`Chromium is open on ${start} with Policy Lens loaded. Close the window (or Ctrl-C) to stop.`);
  browser.context.on('close', () => void server.close().then(() => process.exit(0)));
}
