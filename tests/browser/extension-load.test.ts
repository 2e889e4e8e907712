// The built extension loads in Chromium: its service worker starts and its manifest is what we ship.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, type ExtensionBrowser } from '../support/browser';

let browser: ExtensionBrowser;

beforeAll(async () => {
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
});

describe('extension in Chromium', () => {
  it('registers its service worker', () => {
    expect(browser.extensionId).toMatch(/^[a-p]{32}$/);
  });

  it('asks for government hosts only, other sites on request', async () => {
    // Runs in the service worker, where `chrome` is the extension API.
    const manifest = (await browser.worker.evaluate(() =>
      (globalThis as unknown as { chrome: { runtime: { getManifest(): unknown } } }).chrome.runtime.getManifest(),
    )) as { manifest_version: number; host_permissions: string[]; optional_host_permissions: string[]; content_scripts?: Array<{ matches: string[] }> };
    expect(manifest.manifest_version).toBe(3);
    expect(manifest.host_permissions).toEqual(['*://*.gov.cn/*']);
    expect(manifest.optional_host_permissions).toEqual(['*://*/*']);
    expect(manifest.content_scripts?.[0].matches).toEqual(['*://*.gov.cn/*']);
  });
});
