// One browser suite's setup: the page server and Chromium with the built extension, started before its tests and closed after.
import { afterAll, beforeAll } from 'vitest';
import { launchWithExtension, type ExtensionBrowser } from './browser';
import { startPageServer, type PageServer } from './server';

/** Register the suite's hooks; `ready` receives the browser and server once both are up. */
export function withExtensionAndServer(ready: (browser: ExtensionBrowser, server: PageServer) => void): void {
  let browser: ExtensionBrowser | undefined;
  let server: PageServer | undefined;
  beforeAll(async () => {
    server = await startPageServer();
    browser = await launchWithExtension();
    ready(browser, server);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
}
