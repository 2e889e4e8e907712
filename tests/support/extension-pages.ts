// Helpers for browser tests: seed pages on their hosts, asking the background from an extension page, and reading the highlights painted on a page.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from './browser';
import type { PageServer } from './server';
import { pageForSeed, type SeedPage } from '../../scripts/site-templates';
import { PAGES_DIR, SEEDS_DIR } from './paths';

export function seedPage(prefix: string): SeedPage {
  const file = fs.readdirSync(SEEDS_DIR).find((f) => f.startsWith(prefix));
  if (!file) throw new Error(`no seed ${prefix}`);
  return pageForSeed(file, fs.readFileSync(path.join(SEEDS_DIR, file), 'utf8'));
}

/** Serves a seed page and returns its local URL on its site's host name. */
export function serveSeed(server: PageServer, prefix: string): string {
  const p = seedPage(prefix);
  server.set(p.path, { body: p.html });
  return server.url(new URL(p.url).host, p.path);
}

/** Serves a page fixture (tests/pages/<name>) on the host of its expected URL. */
export function serveFixture(server: PageServer, name: string): string {
  const dir = path.join(PAGES_DIR, name);
  const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8')) as { url: string };
  const u = new URL(expected.url);
  server.set(u.pathname, { body: fs.readFileSync(path.join(dir, 'source.html')) });
  return server.url(u.host, u.pathname);
}

/** An extension page (reader.html) from which tests send requests to the background like the UI does. */
export async function extensionPage(browser: ExtensionBrowser): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/reader.html`);
  return page;
}

export async function askBackground<T>(page: Page, message: unknown): Promise<T> {
  return page.evaluate(
    (m) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage(m),
    message,
  ) as Promise<T>;
}

/** Opens a policy page and waits for the overlay panel and its library lookup. */
export async function openWithPanel(browser: ExtensionBrowser, url: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(url);
  await page.locator('[data-testid=pl-panel]').waitFor({ timeout: 15_000 });
  // The lookup has answered once no citation is pending.
  await page.waitForFunction(
    () => {
      const host = document.querySelector('div[data-policy-lens=overlay]');
      const items = host?.shadowRoot?.querySelectorAll('[data-testid=pl-citation]') ?? [];
      return Array.from(items).every((e) => e.getAttribute('data-state') !== 'pending');
    },
    null,
    { timeout: 15_000 },
  );
  return page;
}

/** The ranges painted in one highlight colour (CSS Custom Highlight API) and their text, '|'-joined. */
export function painted(page: Page, color = 'yellow'): Promise<{ ranges: number; text: string }> {
  return page.evaluate((name) => {
    const h = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get(name);
    const ranges = h ? Array.from(h) : [];
    return { ranges: ranges.length, text: ranges.map((r) => r.toString()).join('|') };
  }, `policy-lens-hl-${color}`);
}

/** Wait until the overlay says it has painted `count` highlights. */
export async function waitPainted(page: Page, count: number, timeout = 15_000): Promise<void> {
  await page.waitForFunction(
    (n) => (document.querySelector('div[data-policy-lens=overlay]') as HTMLElement | null)?.dataset.highlights === String(n),
    count,
    { timeout },
  );
}

/** Text without any white space (page text and extracted text differ in line breaks only). */
export const squash = (s: string) => s.replace(/\s+/g, '');
