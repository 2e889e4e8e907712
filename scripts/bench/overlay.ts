// Benchmark section in Chromium with the built extension: page load to panel shown, and what a page loads.
import fs from 'node:fs';
import path from 'node:path';
import { launchWithExtension } from '../../tests/support/browser';
import { startPageServer } from '../../tests/support/server';
import { pageForSeed } from '../site-templates';

export interface OverlayFigures {
  page: string;
  htmlBytes: number;
  /** Navigation start → panel rendered, median over runs. */
  loadToPanelMsMedian: number;
  /** The overlay's own work (pipeline + first render), median. */
  overlayWorkMsMedian: number;
  runs: number;
  /** Bytes of script a non-policy page loads (the detector) and a policy page loads (detector + overlay). */
  contentScriptBytesNonPolicy: number;
  contentScriptBytesPolicy: number;
}

export async function benchOverlay(root: string, runs = 7): Promise<OverlayFigures> {
  const out = path.join(root, '.output/chrome-mv3');
  const detector = fs.statSync(path.join(out, 'content-scripts/content.js')).size;
  const overlay = fs.statSync(path.join(out, 'content-scripts/overlay.js')).size;
  // The largest seed page.
  const seeds = fs.readdirSync(path.join(root, 'seeds')).filter((f) => f.endsWith('.txt'));
  const pages = seeds.map((f) => pageForSeed(f, fs.readFileSync(path.join(root, 'seeds', f), 'utf8')));
  const largest = pages.reduce((a, b) => (Buffer.byteLength(b.html) > Buffer.byteLength(a.html) ? b : a));
  const server = await startPageServer({ [largest.path]: { body: largest.html } });
  const browser = await launchWithExtension();
  const loads: number[] = [];
  const work: number[] = [];
  try {
    // One warm-up load: the first one also seeds the library in the background.
    for (let i = 0; i < runs + 1; i++) {
      const page = await browser.context.newPage();
      await page.goto(server.url(new URL(largest.url).host, largest.path));
      const host = page.locator('div[data-policy-lens="overlay"]');
      await host.waitFor({ state: 'attached', timeout: 20_000 });
      await page.waitForFunction(() => document.querySelector('div[data-policy-lens="overlay"]')?.getAttribute('data-panel-at-ms'));
      if (i > 0) {
        loads.push(Number(await host.getAttribute('data-panel-at-ms')));
        work.push(Number(await host.getAttribute('data-ready-ms')));
      }
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return {
    page: path.basename(largest.path),
    htmlBytes: Buffer.byteLength(largest.html),
    loadToPanelMsMedian: median(loads),
    overlayWorkMsMedian: median(work),
    runs,
    contentScriptBytesNonPolicy: detector,
    contentScriptBytesPolicy: detector + overlay,
  };
}
