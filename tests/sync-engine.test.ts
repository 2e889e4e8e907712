// Sync engine end to end: two and three simulated browsers sharing one storage.sync with Chrome's quotas.
import { describe, expect, it } from 'vitest';
import { SyncEngine, type SyncEngineOptions, type Timers } from '../lib/sync/engine';
import { NOTE_CONFLICT_MARKER, isDeleted } from '../lib/sync/merge';
import { readStorage } from '../lib/sync/pack';
import type { SyncResult, SyncedHighlight } from '../lib/sync/types';
import {
  FakeSyncArea,
  type FakeBrowserSync,
  MemoryLocalStore,
  SimClock,
  seedHighlight,
  seedPassage,
  seedSentences,
  localEdit,
} from './support/fake-sync-area';

const DAY = 86_400_000;

interface Browser {
  name: string;
  store: MemoryLocalStore;
  area: FakeBrowserSync;
  engine: SyncEngine;
}

function world(names: string[], opts: SyncEngineOptions = {}) {
  const clock = new SimClock();
  const cloud = new FakeSyncArea({ quota: opts.quota });
  const browsers: Record<string, Browser> = {};
  for (const name of names) {
    const store = new MemoryLocalStore();
    const area = cloud.browser(name, clock.now);
    browsers[name] = { name, store, area, engine: new SyncEngine(area, store, name, { now: clock.now, ...opts }) };
  }
  return { clock, cloud, browsers };
}

type World = ReturnType<typeof world>;

/** A reader creates a highlight on a real seed sentence. */
async function create(w: World, b: Browser, seed: number, n: number, note = ''): Promise<SyncedHighlight> {
  const row = seedHighlight(seed, n, { deviceId: b.name, createdAt: w.clock.advance(1_000), note });
  await b.store.upsert([row]);
  return row;
}

/** A reader edits a highlight as the UI does (version bump, own device id, now). */
async function edit(w: World, b: Browser, id: string, changes: Parameters<typeof localEdit>[1]): Promise<void> {
  const row = b.store.row(id);
  if (!row) throw new Error(`${b.name} has no ${id}`);
  await b.store.upsert([localEdit(row, changes, b.name, w.clock.advance(1_000))]);
}

/** Sync every browser in turn until a whole round changes nothing (5 s apart, as a debounced UI would). */
async function settle(w: World, order = Object.keys(w.browsers), maxRounds = 12): Promise<SyncResult[]> {
  const results: SyncResult[] = [];
  for (let round = 0; round < maxRounds; round++) {
    let quiet = true;
    for (const name of order) {
      w.clock.advance(5_000);
      const r = await w.browsers[name].engine.sync();
      results.push(r);
      if (r.status.state === 'error') throw new Error(`${name}: ${r.status.message}`);
      if (r.pull.changed.length || r.push.writeOps || r.status.state === 'rate-limited') quiet = false;
    }
    if (quiet) return results;
  }
  throw new Error('sync did not settle');
}

function expectSame(w: World) {
  const [first, ...rest] = Object.values(w.browsers);
  for (const b of rest) expect(b.store.live(), `${b.name} vs ${first.name}`).toEqual(first.store.live());
}

function expectWithinQuota(w: World) {
  expect(w.cloud.serverBytes()).toBeLessThanOrEqual(w.cloud.quota.bytes);
  for (const b of Object.values(w.browsers)) {
    expect(b.area.writes.filter((x) => x.error), `${b.name}: a write Chrome would refuse`).toEqual([]);
  }
}

describe('two browsers', () => {
  it('concurrent creates on both end up on both', async () => {
    const w = world(['devA', 'devB']);
    const { devA, devB } = w.browsers;
    const made = [
      await create(w, devA, 0, 3, '信息化发展规划的总体要求'),
      await create(w, devA, 1, 8),
      await create(w, devB, 2, 5, '上海:大数据'),
      await create(w, devB, 4, 11),
    ];
    await settle(w);
    expectSame(w);
    expect(devA.store.live().map((r) => r.id).sort()).toEqual(made.map((r) => r.id).sort());
    expect(devB.store.row(made[0].id)!.note).toBe('信息化发展规划的总体要求');
    expect(devA.store.row(made[2].id)!.quote).toBe(seedSentences(2)[5]);
    expectWithinQuota(w);
    // Settled: each highlight is stored once (equal copies keep to the larger device id).
    const held = [...readStorage(w.cloud.serverItems()).shards.values()].flatMap((s) => s.states.map((x) => x.id));
    expect(held.sort()).toEqual(made.map((r) => r.id).sort());
  });

  it('edits of different highlights on both: no note is lost', async () => {
    const w = world(['devA', 'devB']);
    const { devA, devB } = w.browsers;
    const h1 = await create(w, devA, 0, 20);
    const h2 = await create(w, devA, 3, 4);
    await settle(w);
    await edit(w, devA, h1.id, { note: '北京:公共数据开放单位超过90%' });
    await edit(w, devB, h2.id, { note: '同一目标,简体写法', color: 'green' });
    await settle(w, ['devB', 'devA']);
    expectSame(w);
    expect(devB.store.row(h1.id)!.note).toBe('北京:公共数据开放单位超过90%');
    expect(devA.store.row(h2.id)!).toMatchObject({ note: '同一目标,简体写法', color: 'green' });
  });

  it('both edit the same highlight: the documented rule, whatever the sync order', async () => {
    const outcomes: Array<ReturnType<MemoryLocalStore['live']>> = [];
    for (const order of [['devA', 'devB'], ['devB', 'devA']]) {
      const w = world(['devA', 'devB']);
      const { devA, devB } = w.browsers;
      const h = await create(w, devA, 1, 30, '初稿');
      await settle(w);
      await edit(w, devA, h.id, { note: '甲:市发展改革委牵头', color: 'red' }); // earlier
      await edit(w, devB, h.id, { note: '乙:各区政府负责', tags: ['互联网+'] }); // later: wins
      await settle(w, order);
      expectSame(w);
      const row = devA.store.row(h.id)!;
      expect(row.note).toBe('乙:各区政府负责' + NOTE_CONFLICT_MARKER + '甲:市发展改革委牵头');
      expect(row.color).toBe('yellow'); // the winner's fields
      expect(row.tags).toEqual(['互联网+']);
      outcomes.push(devB.store.live());
      // The reader settles it on A; the conflict note disappears everywhere.
      await edit(w, devA, h.id, { note: '乙:各区政府负责;甲:市发展改革委牵头' });
      await settle(w, order);
      expectSame(w);
      expect(devB.store.row(h.id)!.note).toBe('乙:各区政府负责;甲:市发展改革委牵头');
    }
    expect(outcomes[0]).toEqual(outcomes[1]);
  });

  it('delete on A while B edits: the edit survives; a later delete sticks; old state never resurrects it', async () => {
    const w = world(['devA', 'devB']);
    const { devA, devB } = w.browsers;
    const h = await create(w, devA, 4, 9, '沈阳');
    const keep = await create(w, devA, 4, 10);
    await settle(w);
    const stale = structuredClone(devB.store.row(h.id)!); // B's copy from before anything below
    await edit(w, devA, h.id, { deleted: true });
    await edit(w, devB, h.id, { note: '沈阳:责任部门 市大数据局' });
    await settle(w);
    expectSame(w);
    expect(devA.store.row(h.id)!).toMatchObject({ deleted: false, note: '沈阳:责任部门 市大数据局' });
    // Now A deletes it having seen B's edit.
    await edit(w, devA, h.id, { deleted: true });
    await settle(w);
    expect(devB.store.row(h.id)!.deleted).toBe(true);
    // B's store is restored from an old backup (the row as it was before all this) and syncs.
    await devB.store.upsert([stale]);
    await settle(w, ['devB', 'devA']);
    expect(devA.store.row(h.id)!.deleted).toBe(true);
    expect(devB.store.row(h.id)!.deleted).toBe(true);
    expect(devB.store.live().map((r) => r.id)).toEqual([keep.id]);
    expectSame(w);
  });

  it('a reader edit landing between the engine’s read and write is not overwritten', async () => {
    const w = world(['devA', 'devB']);
    const { devA, devB } = w.browsers;
    const h = await create(w, devA, 0, 40);
    await settle(w);
    await edit(w, devB, h.id, { note: '来自B' });
    await devB.engine.sync();
    devA.store.beforeWrite = () => edit(w, devA, h.id, { color: 'purple' });
    await devA.engine.sync();
    expect(devA.store.row(h.id)!.color).toBe('purple');
    await settle(w);
    expectSame(w);
    expect(devB.store.row(h.id)!).toMatchObject({ color: 'purple', note: '来自B' });
  });
});

describe('quota', () => {
  it('hundreds of highlights with long notes: all kept locally, a clear status, synced once space frees up', async () => {
    const w = world(['devA', 'devB']);
    const { devA, devB } = w.browsers;
    const rows: SyncedHighlight[] = [];
    for (const seed of [0, 1, 2, 4]) {
      for (let n = 0; n < 75; n++) {
        const createdAt = w.clock.advance(60_000);
        rows.push(seedHighlight(seed, n, { deviceId: 'devA', createdAt, note: seedPassage(seed, n * 211, 180 + (n % 7) * 60) }));
      }
    }
    const ids = [...new Set(rows.map((r) => r.id))];
    await devA.store.upsert(rows);
    const first = await devA.engine.sync();
    expect(first.status.state).toBe('quota-full');
    if (first.status.state !== 'quota-full') throw new Error('unreachable');
    expect(first.status.unsynced).toBeGreaterThan(50);
    expect(first.status.message).toMatch(/full.*kept on this device/);
    expect(first.status.bytesNeeded).toBeGreaterThan(w.cloud.quota.bytes);
    expect(first.push.held + first.push.unsynced).toBe(ids.length);
    expectWithinQuota(w);
    expect(devA.store.live()).toHaveLength(ids.length); // nothing lost locally
    await settle(w);
    const onB = new Set(devB.store.live().map((r) => r.id));
    expect(onB.size).toBeGreaterThanOrEqual(first.push.held);
    expect(onB.size).toBeLessThan(ids.length);
    // The most recently edited went first.
    const newest = [...rows].sort((a, b) => b.updatedAt - a.updatedAt);
    expect(onB.has(newest[0].id)).toBe(true);
    expect(onB.has(newest[newest.length - 1].id)).toBe(false);
    // The reader deletes the oldest 250: tombstones are tiny, the rest now fits.
    const oldest = [...rows].sort((a, b) => a.updatedAt - b.updatedAt).slice(0, 250);
    for (const r of oldest) await edit(w, devA, r.id, { deleted: true });
    const results = await settle(w);
    const last = results.filter((r) => r.push).at(-1)!;
    expect(last.status).toMatchObject({ state: 'ok', unsynced: 0 });
    expectSame(w);
    expect(devB.store.live()).toHaveLength(ids.length - 250);
    expect(devB.store.live().find((r) => r.id === newest[0].id)!.note).toBe(newest[0].note);
    expectWithinQuota(w);
  });

  it('a full area written by another browser: this one keeps its highlights and syncs them once space frees', async () => {
    const w = world(['devA', 'devB']);
    const { devA, devB } = w.browsers;
    // A's reader fills the area to the brim: highlights until one does not fit, which is then deleted.
    let filled = false;
    for (let n = 0; n < 300 && !filled; n++) {
      const row = await create(w, devA, [0, 1, 2, 4][n % 4], n, seedPassage(n % 5, n * 53, 300));
      w.clock.advance(5_000);
      if ((await devA.engine.sync()).status.state === 'quota-full') {
        await edit(w, devA, row.id, { deleted: true });
        w.clock.advance(5_000);
        expect((await devA.engine.sync()).status.state).toBe('ok');
        filled = true;
      }
    }
    expect(filled).toBe(true);
    const mine = await create(w, devB, 3, 2, '这条在B上:' + seedPassage(3, 0, 400)); // seed 3: A has nothing there
    const r = await devB.engine.sync();
    // B pulled A's highlights (all local now) but has no room for its own.
    expect(r.status.state).toBe('quota-full');
    expect(devB.store.row(mine.id)!.note).toMatch(/^这条在B上/);
    expect(devB.store.live().length).toBe(devA.store.live().length + 1);
    // A's reader deletes a dozen highlights; B's next sync finds room.
    for (const row of devA.store.live().slice(0, 12)) await edit(w, devA, row.id, { deleted: true });
    await settle(w);
    expect(devA.store.row(mine.id)!.note).toMatch(/^这条在B上/);
    expectSame(w);
    expectWithinQuota(w);
  });
});

describe('offline and many changes', () => {
  it('a browser offline for a while, many changes on both sides, converges', async () => {
    const w = world(['devA', 'devB']);
    const { devA, devB } = w.browsers;
    const base: SyncedHighlight[] = [];
    for (let n = 0; n < 20; n++) base.push(await create(w, devA, n % 5, n + 2, `笔记${n}`));
    await settle(w);
    devB.area.goOffline();
    for (let day = 0; day < 5; day++) {
      await create(w, devA, day, 100 + day, `A离线期间新建${day}`);
      await create(w, devB, day, 110 + day, `B离线期间新建${day}`);
      await edit(w, devA, base[day].id, { note: `A改笔记${day}` });
      await edit(w, devB, base[day + 5].id, { note: `B改笔记${day}` });
      await edit(w, devA, base[day + 10].id, { deleted: true });
      await edit(w, devB, base[day + 10].id, { color: 'blue' }); // concurrent with A's delete: survives
      await edit(w, devB, base[day + 15].id, { deleted: true });
      w.clock.advance(DAY);
      expect((await devA.engine.sync()).status.state).toBe('ok');
      expect((await devB.engine.sync()).status.state).toBe('ok'); // writes its own replica while offline
    }
    expect(devA.store.live()).not.toEqual(devB.store.live());
    devB.area.goOnline();
    await settle(w);
    expectSame(w);
    const live = new Map(devA.store.live().map((r) => [r.id, r]));
    expect(live.size).toBe(20 + 10 - 5);
    for (let day = 0; day < 5; day++) {
      expect(live.get(base[day].id)!.note).toBe(`A改笔记${day}`);
      expect(live.get(base[day + 5].id)!.note).toBe(`B改笔记${day}`);
      expect(live.get(base[day + 10].id)!.color).toBe('blue');
      expect(live.has(base[day + 15].id)).toBe(false);
    }
    expectWithinQuota(w);
  });
});

describe('write rate', () => {
  it('a burst of edits never exceeds the engine budget per minute, and everything still syncs', async () => {
    const w = world(['devA', 'devB']);
    const { devA, devB } = w.browsers;
    const h = await create(w, devA, 0, 1);
    let limited = 0;
    for (let i = 0; i < 200; i++) {
      const row = devA.store.row(h.id)!;
      await devA.store.upsert([localEdit(row, { note: seedPassage(0, i * 17, 20) }, 'devA', w.clock.advance(300))]);
      const r = await devA.engine.push();
      if (r.status.state === 'rate-limited') {
        limited++;
        expect(r.status.retryAt).toBeGreaterThan(w.clock.t);
      }
    }
    expect(limited).toBeGreaterThan(0);
    expect(devA.area.maxWritesPerMinute()).toBeLessThanOrEqual(devA.engine.rate.perMinute);
    expect(devA.engine.rate.perMinute).toBeLessThan(w.cloud.quota.writesPerMinute);
    expectWithinQuota(w);
    w.clock.advance(61_000);
    await settle(w);
    expect(devB.store.row(h.id)!.note).toBe(devA.store.row(h.id)!.note);
  });

  it('requestSync coalesces a burst into one sync and retries when rate-limited', async () => {
    const w = world(['devA', 'devB'], { rate: { perMinute: 2 } });
    const timers = new SimTimers(w.clock);
    const area = w.browsers.devA.area;
    const store = w.browsers.devA.store;
    const engine = new SyncEngine(area, store, 'devA', { now: w.clock.now, timers, debounceMs: 2_000, rate: { perMinute: 2 } });
    const h = await create(w, w.browsers.devA, 2, 2);
    const calls: Array<Promise<SyncResult>> = [];
    for (let i = 0; i < 20; i++) {
      await edit(w, w.browsers.devA, h.id, { note: `第${i}次` });
      calls.push(engine.requestSync());
      await timers.run(100);
    }
    await timers.run(2_500);
    const results = await Promise.all(calls);
    expect(new Set(results).size).toBe(1);
    expect(area.writes).toHaveLength(1);
    // Two more bursts: the second hits the budget of 2 a minute and waits for the window.
    await edit(w, w.browsers.devA, h.id, { note: '再改' });
    const second = engine.requestSync();
    await timers.run(3_000);
    await second;
    await edit(w, w.browsers.devA, h.id, { note: '又改' });
    let done = false;
    const third = engine.requestSync().then((r) => ((done = true), r));
    await timers.run(5_000);
    expect(done).toBe(false);
    await timers.run(60_000);
    expect((await third).status.state).toBe('ok');
    expect(area.maxWritesPerMinute()).toBeLessThanOrEqual(2);
  });

  it('start() syncs when another browser writes', async () => {
    const w = world(['devA', 'devB']);
    const timers = new SimTimers(w.clock);
    const b = w.browsers.devB;
    const engineB = new SyncEngine(b.area, b.store, 'devB', { now: w.clock.now, timers, debounceMs: 1_000 });
    const stop = engineB.start();
    const h = await create(w, w.browsers.devA, 3, 6, '发布会通稿');
    await w.browsers.devA.engine.sync();
    await timers.run(2_000);
    expect(b.store.row(h.id)?.note).toBe('发布会通稿');
    stop();
  });
});

describe('three browsers', () => {
  it('concurrent note edits of one highlight on three browsers: all three notes kept, same everywhere', async () => {
    const w = world(['devA', 'devB', 'devC']);
    const { devA, devB, devC } = w.browsers;
    const h = await create(w, devA, 2, 12);
    await settle(w);
    await edit(w, devA, h.id, { note: '甲' });
    await edit(w, devB, h.id, { note: '乙' });
    await edit(w, devC, h.id, { note: '丙' });
    await settle(w, ['devC', 'devA', 'devB']);
    expectSame(w);
    expect(devA.store.row(h.id)!.note).toBe(['丙', '乙', '甲'].join(NOTE_CONFLICT_MARKER));
  });

  it('tombstones leave storage only after every known browser has them; a returning browser does not resurrect', async () => {
    const w = world(['devA', 'devB', 'devC']);
    const { devA, devB, devC } = w.browsers;
    const h = await create(w, devA, 0, 50, '将被删除');
    await settle(w);
    const backup = structuredClone(devC.store.row(h.id)!);
    devC.area.goOffline();
    await edit(w, devA, h.id, { deleted: true });
    await settle(w, ['devA', 'devB']);
    const stored = () => [...readStorage(w.cloud.serverItems()).shards.values()].flatMap((s) => s.states.filter((x) => x.id === h.id));
    expect(stored().filter(isDeleted)).toHaveLength(1); // held back: C has not acknowledged it
    devC.area.goOnline();
    await settle(w);
    expect(stored()).toHaveLength(0);
    for (const b of [devA, devB, devC]) expect(b.store.row(h.id)!.deleted).toBe(true);
    // C's store comes back from a backup taken before the deletion: the old state shows up in
    // storage, A and B publish their tombstone again, and C deletes it too.
    await devC.store.upsert([backup]);
    await settle(w, ['devC', 'devA', 'devB']);
    for (const b of [devA, devB, devC]) expect(b.store.row(h.id)!.deleted).toBe(true);
    expectSame(w);
    await settle(w);
    expect(stored()).toHaveLength(0);
  });

  it('a browser gone for half a year: its keys are cleared and its highlights taken over', async () => {
    const w = world(['devA', 'devB', 'devC']);
    const { devA, devC } = w.browsers;
    const hc = await create(w, devC, 4, 20, 'C独有');
    await settle(w);
    devC.area.goOffline();
    w.clock.advance(181 * DAY);
    await settle(w, ['devA', 'devB']);
    const devices = [...readStorage(w.cloud.serverItems()).shards.keys()].sort();
    expect(devices).toEqual(['devA', 'devB']);
    expect(devA.store.row(hc.id)!.note).toBe('C独有');
    const held = [...readStorage(w.cloud.serverItems()).shards.values()].flatMap((s) => s.states.map((x) => x.id));
    expect(held).toContain(hc.id);
  });

  it('random operations on 3 browsers with random sync interleavings converge to the same state', async () => {
    let seed = 20240301;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let run = 0; run < 6; run++) {
      const w = world(['devA', 'devB', 'devC']);
      const names = Object.keys(w.browsers);
      const created = new Set<string>();
      const deletedEver = new Set<string>();
      const lastNote = new Map<string, string>();
      for (let step = 0; step < 120; step++) {
        const b = w.browsers[names[rand(3)]];
        const live = b.store.live();
        const op = rand(10);
        if (op < 3 || live.length === 0) {
          const row = await create(w, b, rand(5), rand(25), rand(2) ? seedPassage(rand(5), rand(9000), 5 + rand(60)) : '');
          created.add(row.id);
          lastNote.set(row.id, row.note);
        } else if (op < 5) {
          const id = live[rand(live.length)].id;
          const note = seedPassage(rand(5), rand(9000), 3 + rand(30));
          await edit(w, b, id, { note });
          lastNote.set(id, note);
        } else if (op < 6) await edit(w, b, live[rand(live.length)].id, { color: ['red', 'blue', 'green'][rand(3)] });
        else if (op < 7) {
          const id = live[rand(live.length)].id;
          await edit(w, b, id, { deleted: true });
          deletedEver.add(id);
        }
        else if (op < 9) {
          w.clock.advance(3_000);
          const r = await b.engine[(['sync', 'push', 'pull'] as const)[rand(3)]]();
          expect('status' in r && r.status.state === 'error').toBe(false);
        } else if (rand(2)) b.area.online ? b.area.goOffline() : b.area.goOnline();
        else {
          w.cloud.manual = !w.cloud.manual;
          if (!w.cloud.manual) w.cloud.deliver();
          else w.cloud.deliver(1 + rand(2)); // half-arrived writes
        }
      }
      w.cloud.manual = false;
      for (const b of Object.values(w.browsers)) b.area.goOnline();
      w.cloud.deliver();
      await settle(w);
      expectSame(w);
      expectWithinQuota(w);
      // Every highlight ever created is either live everywhere or deleted (never silently missing);
      // one nobody deleted is live, and its note still contains the last note text anyone wrote.
      const live = new Map(w.browsers.devA.store.live().map((r) => [r.id, r]));
      for (const id of created) {
        if (!deletedEver.has(id)) {
          expect(live.has(id), id).toBe(true);
          expect(live.get(id)!.note).toContain(lastNote.get(id));
        }
        if (live.has(id)) continue;
        const rows = Object.values(w.browsers).map((b) => b.store.row(id)).filter(Boolean);
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((r) => r!.deleted)).toBe(true);
      }
    }
  });
});

/** Timers on the simulated clock: run(ms) fires what falls due, in order, awaiting each sync. */
class SimTimers implements Timers {
  private next = 1;
  private jobs = new Map<number, { at: number; fn: () => void }>();
  constructor(private readonly clock: SimClock) {}
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.jobs.set(id, { at: this.clock.t + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.jobs.delete(handle as number);
  }
  async run(ms: number): Promise<void> {
    const end = this.clock.t + ms;
    for (;;) {
      await flush();
      const due = [...this.jobs.entries()].filter(([, j]) => j.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.jobs.delete(due[0]);
      this.clock.t = Math.max(this.clock.t, due[1].at);
      due[1].fn();
      await flush();
    }
    this.clock.t = end;
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let i = 0; i < 50; i++) await new Promise<void>((r) => setImmediate(r));
}
