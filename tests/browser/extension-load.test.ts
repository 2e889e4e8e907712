// The built extension loads in Chromium and its content script runs on a government host.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, type ExtensionBrowser } from '../support/browser';
import { startPageServer, type PageServer } from '../support/server';

let browser: ExtensionBrowser;
let server: PageServer;

beforeAll(async () => {
  server = await startPageServer({
    '/notice.html': { body: '<!doctype html><meta charset="utf-8"><title>通知</title><p>北京市人民政府关于印发《测试》的通知</p>' },
  });
  browser = await launchWithExtension();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('extension in Chromium', () => {
  it('registers its service worker', () => {
    expect(browser.extensionId).toMatch(/^[a-p]{32}$/);
  });
  it('runs the content script on a gov.cn host', async () => {
    const page = await browser.context.newPage();
    await page.goto(server.url('www.beijing.gov.cn', '/notice.html'));
    await page.waitForFunction(() => document.documentElement.dataset.policyLens === 'loaded', null, { timeout: 10_000 });
    expect(await page.evaluate(() => document.documentElement.dataset.policyLens)).toBe('loaded');
  });
});
