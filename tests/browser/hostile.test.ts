// Hostile and huge pages in Chromium with the built extension: a 5 MB policy page gets its panel while the
// page stays responsive; markup and script in metadata and clause text are shown as text and never run;
// a page imitating the overlay's element names, globals and CSS does not affect it; malformed requests
// from a content-script context are refused by the background. Each test saves a screenshot.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshotPath, type ExtensionBrowser } from '../support/browser';
import type { PageServer } from '../support/server';
import { withExtensionAndServer } from '../support/extension-suite';
import { askBackground } from '../support/extension-pages';
import { SEEDS_DIR } from '../support/paths';
import { pageForSeed } from '../../scripts/site-templates';
import { HOSTILE_STRINGS, escapeHtml, overlayImposter } from '../support/mutate';
import { HOST_ATTR, hostSelector } from '../../components/shadow-host';
import { extractFromText } from '../../lib/extract/pipeline';

let browser: ExtensionBrowser;
let server: PageServer;
withExtensionAndServer((b, s) => {
  browser = b;
  server = s;
});

const seedFile = (prefix: string) => fs.readdirSync(SEEDS_DIR).find((f) => f.startsWith(prefix))!;
const seedText = (prefix: string) => fs.readFileSync(path.join(SEEDS_DIR, seedFile(prefix)), 'utf8');

/**
 * Page-side heartbeat, in the page's own script: a setTimeout(0) loop records every gap between its turns
 * (what a reader feels as a frozen page), plus the longtask entries Chromium reports.
 */
const HEARTBEAT = `<script>(function(){
  var last = performance.now(); var gaps = []; window.__gaps = gaps; window.__longtasks = [];
  function tick(){ var now = performance.now(); gaps.push([last, now - last]); last = now; setTimeout(tick, 0); }
  setTimeout(tick, 0);
  try { new PerformanceObserver(function(l){ l.getEntries().forEach(function(e){ window.__longtasks.push([e.startTime, e.duration]); }); })
    .observe({ type: 'longtask', buffered: true }); } catch (e) {}
})();</script>`;

/** Seed 001 in 首都之窗's template with its body repeated until the page is at least `bytes` of UTF-8. */
function hugeSeedPage(bytes: number): { html: string; path: string; host: string } {
  const text = seedText('001');
  const body = text.split('\n').slice(8).join('\n');
  const copies = Math.ceil(bytes / Buffer.byteLength(body));
  const p = pageForSeed(seedFile('001'), text + ('\n' + body).repeat(copies));
  return { html: p.html.replace('</head>', `${HEARTBEAT}</head>`), path: p.path.replace(/\.html?$/, '-huge.html'), host: new URL(p.url).host };
}

const inShadow = (page: Page, selector: string) => page.locator(`${hostSelector('overlay')} >> ${selector}`);
const seedPage004 = () => pageForSeed(seedFile('004'), seedText('004'));

describe('a 5 MB policy page', () => {
  it('gets its panel, and the page stays responsive while the overlay works', async () => {
    const huge = hugeSeedPage(5 * 1024 * 1024);
    expect(Buffer.byteLength(huge.html)).toBeGreaterThanOrEqual(5 * 1024 * 1024);
    server.set(huge.path, { body: huge.html });
    const page = await browser.context.newPage();
    await page.goto(server.url(huge.host, huge.path), { timeout: 60_000 });
    await page.locator('[data-testid=pl-panel]').waitFor({ timeout: 60_000 });
    // Let the overlay finish whatever follows the first paint (lookup, marks), then read the heartbeat.
    await page.waitForTimeout(1500);
    const r = await page.evaluate(() => {
      const host = document.querySelector('div[data-policy-lens=overlay]') as HTMLElement;
      const w = window as unknown as { __gaps: Array<[number, number]>; __longtasks: Array<[number, number]> };
      const startAt = Number(host.dataset.startAtMs);
      const panelAt = Number(host.dataset.panelAtMs);
      // The page's heartbeat gaps, clipped to a window: how long the page waited, within it, for one turn.
      const longest = (from: number, to: number) =>
        Math.max(0, ...w.__gaps.map(([t, d]) => Math.min(t + d, to) - Math.max(t, from)));
      return {
        readyMs: Number(host.dataset.readyMs),
        longestSliceMs: Number(host.dataset.longestSliceMs),
        slices: host.dataset.slicesMs,
        truncated: host.dataset.truncated === 'true',
        gapDuring: longest(startAt, panelAt),
        gapAfter: longest(panelAt, performance.now()),
        longtasks: w.__longtasks.filter(([t, d]) => t + d >= startAt).map(([, d]) => Math.round(d)),
        outline: host.shadowRoot!.querySelectorAll('[data-testid=pl-outline-item]').length,
        status: host.shadowRoot!.querySelector('.pl-status')?.textContent ?? '',
        metadata: host.shadowRoot!.querySelector('[data-testid=pl-metadata]')?.textContent ?? '',
      };
    });
    console.log(`hostile 5 MB: ${JSON.stringify(r)}`);
    await page.screenshot({ path: screenshotPath('hostile-5mb-panel') });
    // The panel is there and reads the document from its start; it says the page was cut.
    expect(r.metadata).toContain('京政发〔2016〕4号');
    expect(r.outline).toBeGreaterThan(28);
    expect(r.truncated).toBe(true);
    expect(r.status).toMatch(/页面过长/);
    // Responsive: the overlay's work is sliced, so the page never waits for more than a share of it.
    // (Unsliced, the page waited for all of it in one task: ratio ≥ 1.)
    expect(r.longestSliceMs / r.readyMs).toBeLessThan(0.6);
    expect(r.gapDuring / r.readyMs).toBeLessThan(0.75);
    await page.close();
  }, 180_000);
});

/** Markup a hostile page puts into text; each sets a flag if it ever runs (in either world). */
const RUNS_IF_PARSED = [
  `<img src=x onerror="window.__pwned=1;document.documentElement.dataset.pwned='img'">`,
  `<script>window.__pwned=2;document.documentElement.dataset.pwned='script'</script>`,
  `<svg onload="document.documentElement.dataset.pwned='svg'"></svg>`,
  ...HOSTILE_STRINGS.slice(5),
];

describe('hostile pages', () => {
  it('markup and script in metadata and clause text are shown as text, and nothing runs', async () => {
    const lines = seedText('001').split('\n');
    const at = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix));
    lines[at('一、总体要求')] += RUNS_IF_PARSED[0];
    lines[at('(一)指导思想')] += RUNS_IF_PARSED[1];
    lines[at('各区人民政府')] = RUNS_IF_PARSED[2] + lines[at('各区人民政府')];
    lines[at('(二)基本原则')] += RUNS_IF_PARSED.slice(3).join('');
    const p = pageForSeed(seedFile('001'), lines.join('\n'));
    // The title from the page's meta tag (escaped in the attribute, as a real page would carry it).
    const title = '北京市人民政府关于积极推进“互联网+”行动的实施意见' + RUNS_IF_PARSED[1];
    const html = p.html.replace(/(<meta name="ArticleTitle" content=")[^"]*"/, `$1${escapeHtml(title)}"`);
    expect(html).toContain('&lt;img src=x onerror=');
    server.set('/hostile/markup.html', { body: html });
    const page = await browser.context.newPage();
    await page.goto(server.url(new URL(p.url).host, '/hostile/markup.html'));
    await inShadow(page, '[data-testid=pl-panel]').waitFor({ timeout: 15_000 });
    await page.waitForTimeout(500);
    const r = await page.evaluate(() => {
      const root = document.querySelector('div[data-policy-lens=overlay]')!.shadowRoot!;
      return {
        outline: Array.from(root.querySelectorAll('[data-testid=pl-outline-item]')).map((e) => e.textContent ?? '').join('\n'),
        metadata: root.querySelector('[data-testid=pl-metadata]')?.textContent ?? '',
        parsed: root.querySelectorAll('script, iframe, img[src="x"], [onerror], [onload]').length,
        pwned: document.documentElement.dataset.pwned ?? (window as unknown as { __pwned?: number }).__pwned ?? null,
      };
    });
    await page.screenshot({ path: screenshotPath('hostile-markup-as-text') });
    expect(r.pwned).toBeNull();
    expect(r.parsed).toBe(0);
    // Shown as the characters they are.
    // A stray <img …> in text is removed as leftover markup (clean.ts, flagged); <script> is kept as text.
    expect(r.outline).toContain('总体要求');
    expect(r.outline).not.toContain('onerror');
    expect(r.outline).toContain('指导思想<script>');
    await page.close();
  });

  it('a page defining the overlay\'s element names, globals and CSS does not affect the panel or badge', async () => {
    const p = seedPage004();
    const host = new URL(p.url).host;
    server.set('/hostile/clean.html', { body: p.html });
    // The page's lookalikes of our old names (custom elements policy-lens-overlay that removes itself when
    // connected, policy-lens-root that attaches its own closed shadow root, a global, an id, CSS) ...
    const imposter = overlayImposter('沈阳市大数据发展行动计划');
    // ... and of the current ones: CSS at our hosts' attribute and at every div, a fake host with a fake
    // panel, the overlay's and badge's symbols on the page's window, and (after its own elements upgraded)
    // a patched attachShadow that would break any code running in the page's world.
    const head =
      imposter.head +
      `<style>div[${HOST_ATTR}]{display:none!important;visibility:hidden!important;opacity:0!important;width:0!important}` +
      `div{font-size:40px!important;color:rgb(255,0,0)!important;font-family:serif!important}</style>` +
      `<script>window[Symbol.for('policyLens.overlay')]=true;window[Symbol.for('policyLens.badge')]=null;</script>`;
    const tail =
      `<div ${HOST_ATTR}="overlay"><aside class="pl-root pl-panel" data-testid="pl-panel">${escapeHtml('假面板')}</aside></div>` +
      `<script>window.__pageDefs={overlay:customElements.get('policy-lens-overlay'),root:customElements.get('policy-lens-root')};` +
      `Element.prototype.attachShadow=function(){throw new Error('page: no shadow roots')};</script>`;
    const html = p.html
      .replace('</head>', `${head}</head>`)
      .replace(/<body([^>]*)>/, `<body$1>${imposter.body}`)
      .replace('</body>', `${tail}</body>`);
    expect(html).not.toBe(p.html);
    server.set('/hostile/imposter.html', { body: html });

    /** Our host: the overlay host whose shadow root holds a panel (the page has its own lookalikes). */
    const read = (page: Page) =>
      page.evaluate((sel) => {
        const hosts = Array.from(document.querySelectorAll<HTMLElement>(sel.overlay));
        const host = hosts.find((h) => h.shadowRoot?.querySelector('[data-testid=pl-panel]'));
        const root = host?.shadowRoot;
        const panel = root?.querySelector<HTMLElement>('[data-testid=pl-panel]');
        const title = root?.querySelector<HTMLElement>('[data-field=title]');
        const style = (el: Element | null | undefined) => {
          if (!el) return null;
          const s = getComputedStyle(el);
          return { display: s.display, visibility: s.visibility, opacity: s.opacity, fontSize: s.fontSize, fontFamily: s.fontFamily, color: s.color };
        };
        const badgeHost = document.querySelector(sel.badge);
        return {
          found: !!host,
          width: panel?.getBoundingClientRect().width ?? 0,
          hostDisplay: host ? getComputedStyle(host).display : '',
          panelStyle: style(panel),
          titleStyle: style(title),
          title: title?.textContent ?? '',
          outline: root?.querySelectorAll('[data-testid=pl-outline-item]').length ?? 0,
          metadata: root?.querySelector('[data-testid=pl-metadata]')?.textContent ?? '',
          badge: badgeHost?.shadowRoot?.querySelector('.badge')?.textContent ?? null,
          badgeHidden: (badgeHost?.shadowRoot?.querySelector('.badge') as HTMLElement | null)?.hidden ?? null,
        };
      }, { overlay: hostSelector('overlay'), badge: hostSelector('badge') });
    const waitForOurPanel = (page: Page) =>
      page.waitForFunction(
        (sel) => Array.from(document.querySelectorAll(sel)).some((h) => h.shadowRoot?.querySelector('[data-testid=pl-panel]')),
        hostSelector('overlay'),
        { timeout: 15_000 },
      );

    const clean = await browser.context.newPage();
    await clean.goto(server.url(host, '/hostile/clean.html'));
    await waitForOurPanel(clean);
    await clean.waitForTimeout(500);
    const expected = await read(clean);
    await clean.close();

    const page = await browser.context.newPage();
    await page.goto(server.url(host, '/hostile/imposter.html'));
    // The page's own definitions are in place (its script ran) before the overlay arrives.
    expect(await page.evaluate(() => typeof customElements.get('policy-lens-overlay'))).toBe('function');
    await waitForOurPanel(page);
    await page.waitForTimeout(500);
    const got = await read(page);
    await page.screenshot({ path: screenshotPath('hostile-imposter') });

    // The panel works: the document's title and 文号, all its clauses, as on the clean page.
    expect(got.found).toBe(true);
    expect(got.title).toBe('沈阳市人民政府办公厅关于印发沈阳市促进大数据发展三年行动计划(2016-2018年)的通知');
    expect(got.metadata).toContain('沈政办发〔2016〕23号');
    expect(got.metadata).toBe(expected.metadata);
    expect(got.outline).toBeGreaterThan(10);
    expect(got.outline).toBe(expected.outline);
    // Not restyled by the page's CSS (hidden hosts, red 40px serif divs, ::part, :host): computed styles in
    // our shadow root are those of the clean page.
    expect(got.hostDisplay).toBe('block');
    expect(got.width).toBeGreaterThan(300);
    expect(got.width).toBe(expected.width);
    expect(got.panelStyle).toEqual(expected.panelStyle);
    expect(got.titleStyle).toEqual(expected.titleStyle);
    expect(got.titleStyle!.color).not.toBe('rgb(255, 0, 0)');
    // The badge was shown (the page's policy-lens-root did not stop it) and the panel replaced it.
    expect(got.badge).toContain('政策透镜');
    expect(got.badgeHidden).toBe(true);
    expect(expected.badgeHidden).toBe(true);

    // The page's own definitions and globals still work for the page.
    const pageSide = await page.evaluate(() => {
      const w = window as unknown as { __policyLensOverlay: unknown; __pageDefs: Record<string, unknown> };
      const Overlay = customElements.get('policy-lens-overlay')!;
      const Root = customElements.get('policy-lens-root')!;
      const mine = document.createElement('policy-lens-overlay');
      return {
        sameDefs: w.__pageDefs.overlay === Overlay && w.__pageDefs.root === Root,
        global: JSON.stringify(w.__policyLensOverlay),
        // Its policy-lens-overlay removed itself when connected, as its connectedCallback says.
        overlaysInPage: document.querySelectorAll('policy-lens-overlay').length,
        created: mine instanceof Overlay,
        // Its policy-lens-root was upgraded (closed shadow root: none visible) and still shows its content.
        root: (() => {
          const r = document.querySelector('policy-lens-root')!;
          return { defined: r.matches(':defined'), upgraded: r instanceof Root, openShadow: r.shadowRoot !== null, text: r.textContent };
        })(),
        fakeHost: document.querySelector(`div[data-policy-lens="overlay"] > aside`)?.textContent ?? null,
      };
    });
    expect(pageSide).toEqual({
      sameDefs: true,
      global: '{"mounted":true}',
      overlaysInPage: 0,
      created: true,
      root: { defined: true, upgraded: true, openShadow: false, text: '沈阳市大数据发展行动计划' },
      fakeHost: '假面板',
    });
    await page.close();
  });
});

describe('requests from a content-script context', () => {
  /**
   * Evaluates `expression` in the extension's isolated world of `page` (where the content script runs, with its
   * chrome.runtime): what a compromised or confused content script could send, through the real messaging path.
   */
  async function inContentScript(page: Page, expression: string): Promise<unknown> {
    const cdp = await browser.context.newCDPSession(page);
    const contexts: Array<{ id: number; origin: string; auxData?: { type?: string } }> = [];
    cdp.on('Runtime.executionContextCreated', (e: { context: (typeof contexts)[number] }) => contexts.push(e.context));
    await cdp.send('Runtime.enable');
    const ours = contexts.find((c) => c.auxData?.type === 'isolated' && c.origin.includes(browser.extensionId));
    if (!ours) throw new Error(`no isolated world of the extension in the page (saw ${contexts.map((c) => c.origin).join(', ')})`);
    const r = (await cdp.send('Runtime.evaluate', { expression, contextId: ours.id, awaitPromise: true, returnByValue: true })) as {
      result: { value?: unknown };
      exceptionDetails?: { exception?: { description?: string } };
    };
    await cdp.detach();
    if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? 'evaluation failed');
    return r.result.value;
  }

  /** Sends a message as the content script; resolves to its reply, or to 'no reply' when the background stays silent. */
  const send = (message: unknown) =>
    `chrome.runtime.sendMessage(${JSON.stringify(message)}).then((r) => r === undefined ? 'no reply' : r, (e) => 'no reply: ' + e.message)`;

  it('a malformed document is refused with the reason, extension-only requests get no answer, and the library is unchanged', async () => {
    const seed = seedPage004();
    const at = new URL(seed.url);
    server.set(at.pathname, { body: seed.html });
    const page = await browser.context.newPage();
    await page.goto(server.url(at.host, at.pathname));
    await page.locator(`${hostSelector('overlay')} >> [data-testid=pl-panel]`).waitFor({ timeout: 15_000 });

    const ext = await browser.context.newPage();
    await ext.goto(`chrome-extension://${browser.extensionId}/reader.html`);
    const plansBefore = await askBackground(ext, { type: 'listPlans', orderBy: 'savedAt', limit: 100 });

    // A real extraction of the page, then two forgeries of it: one clause pointing past the text, and a
    // prototype-polluting key. Each is refused naming the fault; the real one is accepted.
    const doc = extractFromText(seedText('004'), seed.url);
    const json = JSON.stringify({ type: 'lookup', doc });
    const real = (await inContentScript(page, send(JSON.parse(json)))) as { error?: string; citations?: unknown[] };
    expect(real.error).toBeUndefined();
    expect(Array.isArray(real.citations)).toBe(true);
    const pastEnd = JSON.parse(json);
    pastEnd.type = 'save';
    pastEnd.doc.clauses[0].end = doc.text.length + 1000;
    const refused = (await inContentScript(page, send(pastEnd))) as { error?: string };
    expect(refused.error).toMatch(/^save refused: doc\.clauses\[0\]\.end is \d+, outside/);
    // JSON.parse makes "__proto__" an own key, as the background would receive it.
    const polluted = json.replace('"metadata":{', '"metadata":{"__proto__":{"isAdmin":true},');
    const pollutedReply = (await inContentScript(page, `chrome.runtime.sendMessage(JSON.parse(${JSON.stringify(polluted)})).then((r) => r)`)) as { error?: string };
    expect(pollutedReply.error).toMatch(/^lookup refused: doc\.metadata has a forbidden key "__proto__"/);
    // Library-wide requests are for extension pages only: the background does not answer a content script.
    for (const m of [{ type: 'deletePlan', planId: 'x' }, { type: 'exportLibrary' }, { type: 'importItems', items: [] }, { type: 'syncStatus' }]) {
      expect(String(await inContentScript(page, send(m)))).toMatch(/^no reply/);
    }

    const plansAfter = await askBackground(ext, { type: 'listPlans', orderBy: 'savedAt', limit: 100 });
    expect(plansAfter).toEqual(plansBefore);
    await page.screenshot({ path: screenshotPath('hostile-forged-requests') });
    await ext.close();
    await page.close();
  });
});
