// @vitest-environment happy-dom
// The popup's sync status line: its words in the three locales for each state, and the popup's 划线 tab
// showing what the background reports (quota full as an alert with the count kept on this device).
import { describe, expect, it } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { syncStatusText, syncTimeText } from '../components/HighlightList';
import { Popup, type PopupBridge, type PopupHighlightsBridge } from '../components/Popup';
import type { SyncReport } from '../lib/sync/types';

const at = (h: number, m: number, day = 15) => new Date(2024, 4, day, h, m).getTime();

const report = (r: Partial<SyncReport>): SyncReport => ({
  state: 'ok',
  message: '',
  unsynced: 0,
  lastSyncAt: null,
  checkedAt: null,
  retryAt: null,
  devices: 1,
  bytesInUse: null,
  bytesQuota: 102_400,
  ...r,
});

describe('syncStatusText', () => {
  it('says when it last synced: the time today, the date before', () => {
    expect(syncTimeText(at(9, 5), at(18, 0))).toBe('09:05');
    expect(syncTimeText(at(23, 59, 14), at(0, 10))).toBe('2024-05-14 23:59');
    expect(syncStatusText('zh-CN', report({ lastSyncAt: at(9, 5) }), at(10, 0))).toEqual({ main: '已同步到你的其他浏览器', detail: '上次同步 09:05' });
    expect(syncStatusText('en', report({ lastSyncAt: null }), at(10, 0)).detail).toBe('Not synced yet');
  });

  it('quota full: how many highlights stay on this device, in each locale', () => {
    const r = report({ state: 'quota-full', unsynced: 7, lastSyncAt: at(8, 30) });
    expect(syncStatusText('zh-CN', r, at(9, 0)).main).toBe('同步空间已满：7 条划线只保存在本机');
    expect(syncStatusText('zh-TW', r, at(9, 0)).main).toBe('同步空間已滿：7 條劃線只保存在本機');
    expect(syncStatusText('en', r, at(9, 0)).main).toBe('Sync storage is full: 7 highlights are kept on this device only');
    expect(syncStatusText('zh-CN', r, at(9, 0)).detail).toContain('上次同步 08:30');
  });

  it('rate limits, errors, pending and no sync storage each have their own words', () => {
    expect(syncStatusText('zh-CN', report({ state: 'rate-limited', unsynced: 2 })).main).toBe('同步稍后继续：2 条划线暂存本机');
    expect(syncStatusText('zh-TW', report({ state: 'error', message: 'Extension context invalidated.' })).main).toBe('同步出錯，劃線都保存在本機：Extension context invalidated.');
    expect(syncStatusText('en', report({ state: 'pending' }))).toEqual({ main: 'Syncing…', detail: null });
    expect(syncStatusText('zh-CN', report({ state: 'off' })).main).toBe('此浏览器没有同步存储，划线只保存在本机');
  });
});

describe('the popup shows the sync status above the highlights', () => {
  it('quota full is an alert with the count; ok is a quiet status line', async () => {
    let current = report({ state: 'quota-full', unsynced: 3, lastSyncAt: Date.now(), message: 'Browser sync storage is full' });
    const bridge: PopupBridge = {
      search: async () => ({ query: '', total: 0, results: [], recent: { viewed: [], saved: [] } }) as never,
      activeTab: async () => ({ ok: false }),
      openPlan: () => undefined,
      openLibrary: () => undefined,
    };
    const hb: PopupHighlightsBridge = {
      list: async () => ({ highlights: [], plans: {} }),
      update: async () => ({}),
      remove: async () => ({}),
      exportFile: async () => ({ filename: 'x', mime: 'text/plain', text: '' }),
      importFile: async () => ({ added: 0, merged: 0, unchanged: 0, skipped: 0, problems: [] }),
      syncStatus: async () => current,
    };
    const root = document.createElement('div');
    document.body.append(root);
    await act(async () => render(<Popup bridge={bridge} locale="zh-CN" highlights={hb} />, root));
    await act(async () => (root.querySelector('[data-testid=pl-tab-highlights]') as HTMLElement).click());
    const line = async () => {
      for (let i = 0; i < 50 && !root.querySelector('[data-testid=pl-hl-sync]'); i++) await act(() => new Promise((r) => setTimeout(r, 10)));
      return root.querySelector('[data-testid=pl-hl-sync]') as HTMLElement;
    };
    const el = await line();
    expect(el.dataset.state).toBe('quota-full');
    expect(el.getAttribute('role')).toBe('alert');
    expect(el.querySelector('[data-testid=pl-hl-sync-main]')!.textContent).toBe('同步空间已满：3 条划线只保存在本机');
    // Space freed: a highlights-changed refresh (here a re-render through the tab) shows it synced.
    current = report({ state: 'ok', lastSyncAt: Date.now() });
    await act(async () => (root.querySelector('[data-testid=pl-tab-search]') as HTMLElement).click());
    await act(async () => (root.querySelector('[data-testid=pl-tab-highlights]') as HTMLElement).click());
    for (let i = 0; i < 50 && (await line()).dataset.state !== 'ok'; i++) await act(() => new Promise((r) => setTimeout(r, 10)));
    const ok = await line();
    expect(ok.getAttribute('role')).toBe('status');
    expect(ok.querySelector('[data-testid=pl-hl-sync-main]')!.textContent).toBe('已同步到你的其他浏览器');
    render(null, root);
  });
});
