// Packing highlight states into storage.sync items: Chrome's size rule, compact form, chunks, budgets, reading back.
import { describe, expect, it } from 'vitest';
import { mergeStates, readLocalRow, stateKey } from '../lib/sync/merge';
import {
  FORMAT,
  chromeValueBytes,
  fitShard,
  itemBytes,
  itemHash,
  manifestKey,
  packShard,
  parseKey,
  readStorage,
  syncPriority,
  unpackShard,
} from '../lib/sync/pack';
import { CHROME_SYNC_QUOTA, type RecordState } from '../lib/sync/types';
import { FakeSyncArea, SimClock, chromeItemSize, seedHighlight, seedPassage, seedSentences, localEdit } from './support/fake-sync-area';

const PER_ITEM = CHROME_SYNC_QUOTA.bytesPerItem;
const T0 = Date.UTC(2024, 0, 15);

function stateOf(seed: number, n: number, fields: Parameters<typeof seedHighlight>[2]): RecordState {
  return readLocalRow(seedHighlight(seed, n, fields), fields.deviceId).state;
}

/** A highlight edited concurrently on two devices (two heads, own clocks, a note written elsewhere). */
function conflicted(): RecordState {
  const base = readLocalRow(seedHighlight(1, 7, { deviceId: 'devA', createdAt: T0, note: '原始' }), 'devA');
  const rowA = localEdit(base.stamped!, { note: '<script>甲 "引号" \\ 反斜杠', color: 'red' }, 'devA', T0 + 10);
  const rowB = localEdit(base.stamped!, { tags: ['互联网+', '金融'], end: base.stamped!.end + 2 }, 'devB', T0 + 20);
  return mergeStates(readLocalRow(rowA, 'devA').state, readLocalRow(rowB, 'devB').state);
}

describe("Chrome's size rule", () => {
  it('matches an independent base::JSONWriter emulation on awkward values', () => {
    const values: unknown[] = [
      seedPassage(0, 100, 300),
      'a<b>c\u2028d\u2029e\u0001f\tg"h\\i',
      '😀 emoji 𠮷 and a lone \ud800 surrogate',
      [1, -5, 2 ** 31, 2 ** 31 - 1, -(2 ** 31), 1_700_000_000_000, 0.5, true, false, null],
      { z: 1, a: ['x', { y: '《北京市信息化促進條例》' }], m: '' },
    ];
    for (const v of values) expect(itemBytes('h:devA:0', v)).toBe(chromeItemSize('h:devA:0', v));
  });
});

describe('compact records', () => {
  it('round-trips every kind of state exactly', () => {
    const tomb = readLocalRow(
      localEdit(readLocalRow(seedHighlight(2, 3, { deviceId: 'devC', createdAt: T0 }), 'devC').stamped!, { deleted: true }, 'devC', T0 + 99),
      'devC',
    ).state;
    const noKey = stateOf(3, 2, { deviceId: 'devB', createdAt: T0, planKey: null, clauseId: '二.(三)', color: 'blue' });
    const states = [stateOf(0, 1, { deviceId: 'devA', createdAt: T0, note: seedSentences(0)[9] }), conflicted(), tomb, noKey];
    const packed = packShard('devA', states, PER_ITEM);
    const back = unpackShard('devA', packed.items, packed.keys.length);
    expect(back.unreadable).toBe(0);
    const byId = new Map(back.states.map((s) => [s.id, s]));
    for (const s of states) expect(stateKey(byId.get(s.id)!)).toBe(stateKey(s));
    expect(conflicted().heads).toHaveLength(2);
  });

  it('is much smaller than the rows themselves and identical for identical input', () => {
    const rows = seedSentences(1).slice(0, 60).map((_, n) => seedHighlight(1, n, { deviceId: 'devA', createdAt: T0 + n }));
    const states = rows.map((r) => readLocalRow(r, 'devA').state);
    const packed = packShard('devA', states, PER_ITEM);
    const plain = rows.reduce((n, r) => n + chromeValueBytes(r), 0);
    expect(packed.bytes).toBeLessThan(plain * 0.75);
    const again = packShard('devA', [...states].reverse(), PER_ITEM);
    expect(again.items).toEqual(packed.items);
  });

  it('keeps every item within QUOTA_BYTES_PER_ITEM, key included, and the fake area accepts them', async () => {
    const states = [0, 1, 2, 3, 4].flatMap((seed) =>
      seedSentences(seed).slice(0, 40).map((_, n) => stateOf(seed, n, { deviceId: 'devA', createdAt: T0, note: seedPassage(seed, n * 97, 120) })),
    );
    const packed = packShard('devA', states, PER_ITEM);
    expect(packed.keys.length).toBeGreaterThan(5);
    for (const k of packed.keys) expect(chromeItemSize(k, packed.items[k])).toBeLessThanOrEqual(PER_ITEM);
    const sum = packed.keys.reduce((n, k) => n + chromeItemSize(k, packed.items[k]), 0);
    expect(packed.bytes).toBe(sum);
    expect(sum).toBeGreaterThan(CHROME_SYNC_QUOTA.bytes); // more than Chrome holds: only the per-item rule applies here
    const area = new FakeSyncArea({ quota: { bytes: 10 * sum } }).browser('A', () => T0);
    await area.set(packed.items);
    expect(area.bytesInUse()).toBe(sum);
  });
});

describe('one record bigger than an item (a long note)', () => {
  const longNote = () => {
    // ~5,000 characters of seed text (15 KB in UTF-8) with characters that grow when escaped.
    const text = seedPassage(4, 0, 5000);
    return text.slice(0, 1200) + '<"\\>\u2028😀' + text.slice(1200);
  };

  it('is chunked across several items and reassembled exactly', async () => {
    const big = stateOf(4, 5, { deviceId: 'devA', createdAt: T0, note: longNote() });
    const small = stateOf(4, 6, { deviceId: 'devA', createdAt: T0, note: '短笔记' });
    const packed = packShard('devA', [big, small], PER_ITEM);
    const chunks = packed.keys.filter((k) => Array.isArray((packed.items[k] as { z?: unknown }).z));
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    for (const k of packed.keys) expect(chromeItemSize(k, packed.items[k])).toBeLessThanOrEqual(PER_ITEM);
    // Through a Chrome-like area: values come back parsed from JSON.
    const area = new FakeSyncArea().browser('A', () => T0);
    await area.set(packed.items);
    const back = unpackShard('devA', await area.get(null), packed.keys.length);
    expect(back.unreadable).toBe(0);
    expect(back.states.map(stateKey).sort()).toEqual([big, small].map(stateKey).sort());
  });

  it('counts a half-arrived chunk as unreadable instead of mixing parts of two writes', () => {
    const v1 = stateOf(4, 5, { deviceId: 'devA', createdAt: T0, note: longNote() });
    const v2 = stateOf(4, 5, { deviceId: 'devA', createdAt: T0, note: longNote() + '(修订)' });
    const p1 = packShard('devA', [v1], PER_ITEM);
    const p2 = packShard('devA', [v2], PER_ITEM);
    const mixed = { ...p1.items, [p2.keys[0]]: p2.items[p2.keys[0]] };
    const back = unpackShard('devA', mixed, Math.max(p1.keys.length, p2.keys.length));
    expect(back.states).toHaveLength(0);
    expect(back.unreadable).toBeGreaterThan(0);
    const missing = { ...p1.items };
    delete missing[p1.keys[1]];
    expect(unpackShard('devA', missing, p1.keys.length).states).toHaveLength(0);
  });
});

describe('fitting a budget', () => {
  it('takes tombstones, then the most recently edited, then whatever older still fits', () => {
    const clock = new SimClock(T0);
    const states = seedSentences(0).slice(0, 80).map((_, n) =>
      stateOf(0, n, { deviceId: 'devA', createdAt: clock.advance(60_000), note: seedPassage(0, n * 131, 150) }),
    );
    const del = readLocalRow(
      localEdit(readLocalRow(seedHighlight(3, 1, { deviceId: 'devA', createdAt: T0 }), 'devA').stamped!, { deleted: true }, 'devA', T0 + 5),
      'devA',
    ).state;
    const all = [...states, del].sort(syncPriority);
    expect(all[0].id).toBe(del.id);
    const budget = { bytes: 20_000, items: 10, bytesPerItem: PER_ITEM };
    const fit = fitShard('devA', all, budget);
    expect(fit.packed.bytes).toBeLessThanOrEqual(20_000);
    expect(fit.bytesNeeded).toBeGreaterThan(20_000);
    expect(fit.excluded.length).toBeGreaterThan(0);
    const included = new Set(fit.packed.ids);
    expect(included.has(del.id)).toBe(true);
    // The newest highlight is in, the oldest is out.
    expect(included.has(states[states.length - 1].id)).toBe(true);
    expect(included.has(states[0].id)).toBe(false);
    expect(included.size + fit.excluded.length).toBe(all.length);
    const room = fitShard('devA', all, { ...budget, bytes: 1_000_000, items: 100 });
    expect(room.excluded).toEqual([]);
  });
});

describe('reading the whole area', () => {
  it('ignores keys that are not ours and rejects hostile ones', () => {
    for (const bad of ['h::0', 'h:dev A:0', 'h:devA:01', 'h:devA:x', 'm:', 'm:a:b', 'x:devA', 'h:devA:9999999']) {
      expect(parseKey(bad)).toBeNull();
    }
    expect(parseKey('h:dev-A.1:12')).toEqual({ kind: 'item', device: 'dev-A.1', index: 12 });
  });

  it('tells a consistent shard from a half-arrived one, and leaves a newer format alone', () => {
    const s = stateOf(0, 2, { deviceId: 'devA', createdAt: T0 });
    const packed = packShard('devA', [s], PER_ITEM);
    const manifest = { f: FORMAT, g: 3, k: packed.keys.map((k) => itemHash(packed.items[k])), t: T0, s: {} };
    const ok = readStorage({ ...packed.items, [manifestKey('devA')]: manifest, otherExtensionSetting: { theme: 'dark' } });
    const shard = ok.shards.get('devA')!;
    expect(shard.consistent).toBe(true);
    expect(shard.states.map(stateKey)).toEqual([stateKey(s)]);
    expect(ok.count).toBe(3);
    const torn = readStorage({ ...packed.items, [manifestKey('devA')]: { ...manifest, k: ['000000000'] } });
    expect(torn.shards.get('devA')!.consistent).toBe(false);
    const newer = readStorage({ ...packed.items, [manifestKey('devA')]: { ...manifest, f: FORMAT + 1 } });
    expect(newer.shards.get('devA')!.newer).toBe(true);
    expect(newer.shards.get('devA')!.states).toEqual([]);
  });

  it('survives garbage values without throwing', () => {
    const view = readStorage({
      'h:devA:0': { d: ['devA'], p: [['p', null, null]], r: [{ i: 'x', c: [9, 1] }, { i: '', c: [] }, 5, null] },
      'h:devA:1': 'not an object',
      'h:devA:2': { z: ['abc', 3, 2], s: 'x' },
      'm:devA': { f: 'one' },
    });
    expect(view.shards.get('devA')!.states).toEqual([]);
    expect(view.shards.get('devA')!.unreadable).toBeGreaterThanOrEqual(5);
  });
});
