// A small WebDriver BiDi client for Firefox browser tests: launches Firefox with a fresh profile, sends
// commands and returns their results, installs the built extension temporarily, and cleans up.
// (playwright-core's Firefox BiDi channel sends commands Firefox ESR does not know, so we talk BiDi directly.)
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';

/** The Firefox binary to test with, or null when none is installed (tests skip then). */
export function findFirefox(): string | null {
  const candidates = [process.env.FIREFOX_PATH, '/usr/bin/firefox-esr', '/usr/bin/firefox'];
  return candidates.find((p): p is string => !!p && fs.existsSync(p)) ?? null;
}

export type PrefValue = string | number | boolean;

/** A BiDi error reply (or a script exception), with the command that caused it. */
export class BidiError extends Error {
  constructor(
    readonly method: string,
    readonly error: string,
    message: string,
  ) {
    super(`${method}: ${error}: ${message}`);
  }
}

interface Pending {
  method: string;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

export interface FirefoxBidi {
  profileDir: string;
  /** Sends one command and resolves with its result; a BiDi error reply rejects with a BidiError. */
  send<T = unknown>(method: string, params?: Record<string, unknown>): Promise<T>;
  /** Subscribes to BiDi events (e.g. "log.entryAdded"); each arrives at the listener with its params. */
  subscribe(events: string[], listener: (method: string, params: Record<string, unknown>) => void): Promise<void>;
  /** Installs an unpacked extension directory as a temporary add-on (no signing); returns its id. */
  installExtension(dir: string): Promise<string>;
  /** A new tab (browsing context) with the given viewport. */
  newTab(viewport?: { width: number; height: number }): Promise<string>;
  /** Navigates a tab and waits for its load event. */
  navigate(context: string, url: string): Promise<void>;
  /**
   * Runs a function body in the page (its own realm, not a content script's) and returns what it returns,
   * awaited and passed through JSON. A thrown exception rejects.
   */
  evaluate<T>(context: string, body: string): Promise<T>;
  /** Polls `body` until it returns a truthy value (returned), or rejects after `timeoutMs` naming `what`. */
  waitFor<T>(context: string, body: string, what: string, timeoutMs?: number): Promise<T>;
  /** A real mouse click (pointer input, as a user's) at viewport coordinates. */
  click(context: string, x: number, y: number): Promise<void>;
  /** A PNG screenshot of the tab's viewport. */
  screenshot(context: string): Promise<Buffer>;
  closeTab(context: string): Promise<void>;
  /** Ends the session, stops Firefox (killed if it does not exit) and removes the profile. */
  close(): Promise<void>;
}

export interface LaunchOptions {
  executable: string;
  /** Profile preferences written to user.js before start. */
  prefs?: Record<string, PrefValue>;
  /** How long to wait for Firefox to print its BiDi address. */
  startTimeoutMs?: number;
  /**
   * BiDi navigates only to http(s)/file/blob URLs unless the remote agent has system access; tests need it
   * to open the extension's own moz-extension:// pages (a WebDriver restriction, not one of the extension).
   */
  allowSystemAccess?: boolean;
}

/** Preferences that keep a test profile quiet: no first-run pages, telemetry, updates or background traffic. */
export const QUIET_PREFS: Record<string, PrefValue> = {
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.homepage_override.mstone': 'ignore',
  'browser.aboutwelcome.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'toolkit.telemetry.reportingPolicy.firstRun': false,
  'toolkit.telemetry.enabled': false,
  'app.normandy.enabled': false,
  'app.update.auto': false,
  'extensions.update.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.proxy.type': 0,
  // http:// test pages stay http:// (no HTTPS upgrade attempt against the plain-HTTP page server).
  'dom.security.https_first': false,
  'dom.security.https_first_schemeless': false,
  'dom.security.https_only_mode': false,
};

function userJs(prefs: Record<string, PrefValue>): string {
  return Object.entries(prefs)
    .map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`)
    .join('\n');
}

/** Reads the "WebDriver BiDi listening on ws://..." line Firefox prints on stderr. */
function waitForBidiAddress(proc: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => finish(new Error(`Firefox printed no BiDi address within ${timeoutMs} ms:\n${seen.slice(-2000)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const m = /WebDriver BiDi listening on (ws:\/\/[^\s]+)/.exec(seen);
      if (m) finish(null, m[1]);
    };
    const onExit = (code: number | null) => finish(new Error(`Firefox exited (${code}) before BiDi started:\n${seen.slice(-2000)}`));
    function finish(err: Error | null, url?: string) {
      clearTimeout(timer);
      proc.stderr?.off('data', onData);
      proc.off('exit', onExit);
      // Keep draining stderr so a chatty Firefox never blocks on a full pipe.
      proc.stderr?.resume();
      if (err) reject(err);
      else resolve(url!);
    }
    proc.stderr?.on('data', onData);
    proc.on('exit', onExit);
  });
}

export async function launchFirefox(opts: LaunchOptions): Promise<FirefoxBidi> {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-lens-firefox-'));
  fs.writeFileSync(path.join(profileDir, 'user.js'), userJs({ ...QUIET_PREFS, ...opts.prefs }));
  const args = ['--headless', '--no-remote', '--remote-debugging-port=0', '--profile', profileDir];
  if (opts.allowSystemAccess) args.push('--remote-allow-system-access');
  const proc = spawn(opts.executable, args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, MOZ_CRASHREPORTER_DISABLE: '1', MOZ_HEADLESS: '1' },
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const cleanup = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), delay(5_000).then(() => false)]);
      if (!stopped) {
        proc.kill('SIGKILL');
        await exited;
      }
    }
    fs.rmSync(profileDir, { recursive: true, force: true });
  };

  let ws: WebSocket;
  try {
    const base = await waitForBidiAddress(proc, opts.startTimeoutMs ?? 30_000);
    ws = new WebSocket(`${base.replace(/\/$/, '')}/session`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
  } catch (e) {
    await cleanup();
    throw e;
  }

  let nextId = 1;
  const pending = new Map<number, Pending>();
  const listeners: Array<(method: string, params: Record<string, unknown>) => void> = [];
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data)) as {
      id?: number;
      type: string;
      method?: string;
      params?: Record<string, unknown>;
      result?: unknown;
      error?: string;
      message?: string;
    };
    if (msg.type === 'event') {
      for (const l of listeners) l(msg.method ?? '', msg.params ?? {});
      return;
    }
    if (msg.id == null) return;
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.type === 'success') p.resolve(msg.result);
    else p.reject(new BidiError(p.method, msg.error ?? 'error', msg.message ?? ''));
  });
  // A dropped connection shows up as 'close' below; an unhandled 'error' event would crash the test runner.
  ws.on('error', () => undefined);
  ws.on('close', () => {
    for (const p of pending.values()) p.reject(new BidiError(p.method, 'closed', 'connection closed'));
    pending.clear();
  });

  const send = <T>(method: string, params: Record<string, unknown> = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { method, resolve: resolve as (r: unknown) => void, reject });
      ws.send(JSON.stringify({ id, method, params }), (err) => {
        if (!err) return;
        pending.delete(id);
        reject(err);
      });
    });

  const evaluate = async <T>(context: string, body: string): Promise<T> => {
    // JSON keeps the client free of BiDi's RemoteValue decoding; undefined comes back as null.
    const expression = `(async () => JSON.stringify(await (async () => { ${body} })() ?? null))()`;
    const r = await send<{ type: string; result?: { value?: string }; exceptionDetails?: { text?: string } }>('script.evaluate', {
      expression,
      target: { context },
      awaitPromise: true,
      resultOwnership: 'none',
    });
    if (r.type === 'exception') throw new BidiError('script.evaluate', 'exception', r.exceptionDetails?.text ?? 'script threw');
    return JSON.parse(r.result?.value ?? 'null') as T;
  };

  try {
    await send('session.new', { capabilities: {} });
  } catch (e) {
    ws.close();
    await cleanup();
    throw e;
  }

  return {
    profileDir,
    send,
    async subscribe(events, listener) {
      listeners.push(listener);
      await send('session.subscribe', { events });
    },
    async installExtension(dir) {
      const r = await send<{ extension: string }>('webExtension.install', { extensionData: { type: 'path', path: path.resolve(dir) } });
      return r.extension;
    },
    async newTab(viewport = { width: 1280, height: 900 }) {
      const { context } = await send<{ context: string }>('browsingContext.create', { type: 'tab' });
      await send('browsingContext.setViewport', { context, viewport });
      return context;
    },
    async navigate(context, url) {
      await send('browsingContext.navigate', { context, url, wait: 'complete' });
    },
    evaluate,
    async waitFor<T>(context: string, body: string, what: string, timeoutMs = 15_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      let last: unknown = null;
      for (;;) {
        try {
          last = await evaluate<T>(context, body);
          if (last) return last as T;
        } catch (e) {
          last = e; // the page may be navigating: try again until the deadline
        }
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${String(last)})`);
        await delay(100);
      }
    },
    async click(context, x, y) {
      const at = { type: 'pointerMove', x: Math.round(x), y: Math.round(y) };
      await send('input.performActions', {
        context,
        actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [at, { type: 'pointerDown', button: 0 }, { type: 'pointerUp', button: 0 }] }],
      });
      await send('input.releaseActions', { context });
    },
    async screenshot(context) {
      const { data } = await send<{ data: string }>('browsingContext.captureScreenshot', { context });
      return Buffer.from(data, 'base64');
    },
    async closeTab(context) {
      await send('browsingContext.close', { context });
    },
    async close() {
      try {
        await Promise.race([send('browser.close'), delay(5_000)]);
      } catch {
        // The connection drops as Firefox quits.
      }
      ws.close();
      await cleanup();
    },
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
