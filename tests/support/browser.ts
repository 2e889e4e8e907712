// Launches Debian's Chromium with the built extension loaded (playwright-core), for browser tests and the demo.
import { chromium, type BrowserContext, type Worker } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// import.meta.url, not __dirname: this module also runs as ESM under tsx (demo, benchmark).
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EXTENSION_DIR = path.join(ROOT, '.output/chrome-mv3');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a headless Chromium on this machine that does nothing of its own (no GPU, updates, sync or first-run pages). */
export const QUIET_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

export interface ExtensionBrowser {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  userDataDir: string;
  close(): Promise<void>;
}

/**
 * Government host names resolve to the local page server, so the content script sees
 * www.beijing.gov.cn etc. exactly as on the real site.
 */
export async function launchWithExtension(opts: { headless?: boolean; userDataDir?: string } = {}): Promise<ExtensionBrowser> {
  if (!fs.existsSync(path.join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`built extension not found in ${EXTENSION_DIR}: run "npx wxt build" first`);
  }
  const userDataDir = opts.userDataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'policy-lens-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: opts.headless ?? true,
    locale: 'zh-CN',
    viewport: { width: 1280, height: 900 },
    args: [
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      ...QUIET_CHROMIUM_ARGS,
      '--disable-quic',
      '--host-resolver-rules=MAP *.gov.cn 127.0.0.1, MAP example.com 127.0.0.1, EXCLUDE localhost',
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 20_000 }));
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    worker,
    extensionId,
    userDataDir,
    async close() {
      await context.close();
      if (!opts.userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Where browser tests save screenshots (looked at by people, kept out of git). */
export function screenshotPath(name: string): string {
  const dir = path.join(ROOT, 'test-results/screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, `${name}.png`);
}
