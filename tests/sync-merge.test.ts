// Highlight merge: version vectors, the documented conflict rules, conflict notes, tombstones, local edits.
import { describe, expect, it } from 'vitest';
import {
  NOTE_CONFLICT_MARKER,
  canonicalState,
  compareHeads,
  covers,
  isDeleted,
  joinClocks,
  leqState,
  mergeAll,
  mergeStates,
  readLocalRow,
  renderRow,
  rowWithState,
  shownNote,
  splitConflictNote,
  stateKey,
} from '../lib/sync/merge';
import type { RecordState, SyncedHighlight } from '../lib/sync/types';
import { SimClock, seedHighlight, seedPassage, seedSentences, localEdit } from './support/fake-sync-area';

/** A device editing its own copy of rows, the way the engine sees it: edit, then read (stamp). */
class Device {
  rows = new Map<string, SyncedHighlight>();
  constructor(
    readonly id: string,
    readonly clock: SimClock,
  ) {}
  create(seed: number, n: number, note = ''): RecordState {
    const row = seedHighlight(seed, n, { deviceId: this.id, createdAt: this.clock.t, note });
    return this.stamp(row);
  }
  edit(id: string, changes: Parameters<typeof localEdit>[1]): RecordState {
    return this.stamp(localEdit(this.rows.get(id)!, changes, this.id, this.clock.advance(1000)));
  }
  /** Apply a merged state to the local row (as a pull does). */
  receive(s: RecordState): RecordState {
    const mine = this.rows.get(s.id);
    const merged = mine ? mergeStates(readLocalRow(mine, this.id).state, s) : s;
    this.rows.set(s.id, rowWithState(merged, mine));
    return merged;
  }
  state(id: string): RecordState {
    return readLocalRow(this.rows.get(id)!, this.id).state;
  }
  private stamp(row: SyncedHighlight): RecordState {
    const read = readLocalRow(row, this.id);
    this.rows.set(row.id, read.stamped ?? row);
    return read.state;
  }
}

describe('clocks', () => {
  it('covers and joins version vectors', () => {
    const c = joinClocks({ a: 3, b: 1 }, { b: 4, c: 2 });
    expect(c).toEqual({ a: 3, b: 4, c: 2 });
    expect(Object.keys(c)).toEqual(['a', 'b', 'c']);
    expect(covers(c, { device: 'b', version: 4 })).toBe(true);
    expect(covers(c, { device: 'b', version: 5 })).toBe(false);
    expect(covers(c, { device: 'z', version: 1 })).toBe(false);
  });
});

describe('local rows', () => {
  it('stamps a new row as an edit of this device and leaves an unchanged row alone', () => {
    const row = seedHighlight(0, 4, { deviceId: 'old-device', createdAt: 1_700_000_000_000, version: 3 });
    const first = readLocalRow(row, 'devA');
    expect(first.stamped).not.toBeNull();
    expect(first.state.clock).toEqual({ devA: 3 });
    expect(first.stamped!.deviceId).toBe('devA');
    expect(first.stamped!.quote).toBe(row.quote);
    const again = readLocalRow(first.stamped!, 'devA');
    expect(again.stamped).toBeNull();
    expect(stateKey(again.state)).toBe(stateKey(first.state));
  });

  it('gives every edit a version above all it has seen, even when the UI forgot to bump it', () => {
    const clock = new SimClock();
    const a = new Device('devA', clock);
    const s = a.create(1, 2);
    const b = new Device('devB', clock);
    b.receive(s);
    const sb = b.edit(s.id, { note: '需要跟进市经济信息化委的落实情况' });
    a.receive(sb);
    const row = a.rows.get(s.id)!;
    // A forgets the version bump: the engine still makes a new, higher version.
    const read = readLocalRow({ ...row, color: 'green' }, 'devA');
    expect(read.stamped!.version).toBe(3);
    expect(read.state.clock).toEqual({ devA: 3, devB: 2 });
    expect(read.state.heads[0].note).toBe('需要跟进市经济信息化委的落实情况');
  });

  it('treats damaged sync meta as no meta (a new local edit), never throwing', () => {
    const row = seedHighlight(2, 1, { deviceId: 'devA', createdAt: 1_700_000_000_000 });
    for (const sync of [{}, { state: 5, fp: 'x' }, { state: { clock: { a: 'x' }, heads: [], lastDelete: null }, fp: 'x' }]) {
      const read = readLocalRow({ ...row, sync: sync as never }, 'devA');
      expect(read.stamped).not.toBeNull();
      expect(read.state.heads).toHaveLength(1);
    }
  });
});

describe('the documented rules', () => {
  it('rule 2: concurrent edits of the same highlight: higher version, then later updatedAt, then larger deviceId', () => {
    const clock = new SimClock();
    const a = new Device('devA', clock);
    const base = a.create(4, 7);
    const b = new Device('devB', clock);
    b.receive(base);
    const ea = a.edit(base.id, { color: 'red' }); // devA v2 at t+1000
    const eb = b.edit(base.id, { color: 'blue' }); // devB v2 at t+2000: later
    const m = mergeStates(ea, eb);
    expect(m.heads).toHaveLength(2);
    expect(renderRow(m).color).toBe('blue');
    // Same version and time: larger deviceId wins.
    const h1 = { ...ea.heads[0], updatedAt: 5 };
    const h2 = { ...eb.heads[0], updatedAt: 5 };
    expect(compareHeads(h2, h1)).toBeGreaterThan(0);
    // A second edit on A (v3) beats B's single concurrent edit whatever the times.
    const ea2 = a.edit(base.id, { color: 'green' });
    expect(renderRow(mergeStates(eb, ea2)).color).toBe('green');
  });

  it('rule 3: notes written concurrently are both kept, the winner first, after the marker', () => {
    const clock = new SimClock();
    const a = new Device('devA', clock);
    const base = a.create(0, 10);
    const b = new Device('devB', clock);
    b.receive(base);
    const noteA = seedSentences(3)[0];
    const noteB = seedSentences(4)[2];
    const ea = a.edit(base.id, { note: noteA });
    const eb = b.edit(base.id, { note: noteB }); // later: wins
    const ab = mergeStates(ea, eb);
    const ba = mergeStates(eb, ea);
    expect(stateKey(ab)).toBe(stateKey(ba));
    const note = renderRow(ab).note;
    expect(note).toBe(noteB + NOTE_CONFLICT_MARKER + noteA);
    expect(splitConflictNote(note)).toEqual([noteB, noteA]);
  });

  it('rule 3: a color change on one device and a note edit on the other both survive, with no marker', () => {
    const clock = new SimClock();
    const a = new Device('devA', clock);
    const base = a.create(1, 20, '原始笔记');
    const b = new Device('devB', clock);
    b.receive(base);
    const eb = b.edit(base.id, { note: '原始笔记。补充:责任单位为市经济信息化委' });
    const ea = a.edit(base.id, { color: 'red' }); // later than B's edit, so it wins the record
    const row = renderRow(mergeStates(eb, ea));
    expect(row.color).toBe('red');
    expect(row.note).toBe('原始笔记。补充:责任单位为市经济信息化委');
    expect(row.note).not.toContain(NOTE_CONFLICT_MARKER);
  });

  it('rule 1: an edit made after seeing another replaces it (no conflict note for sequential edits)', () => {
    const clock = new SimClock();
    const a = new Device('devA', clock);
    const base = a.create(2, 3, '第一版');
    const b = new Device('devB', clock);
    b.receive(base);
    const eb = b.edit(base.id, { note: '第二版' });
    a.receive(eb);
    const ea = a.edit(base.id, { note: '第三版' });
    const m = mergeStates(eb, ea);
    expect(m.heads).toHaveLength(1);
    expect(renderRow(m).note).toBe('第三版');
    expect(leqState(eb, ea)).toBe(true);
    expect(leqState(ea, eb)).toBe(false);
  });

  it("rule 3: the reader's next edit settles a conflict, keeping the note the row showed", () => {
    const clock = new SimClock();
    const a = new Device('devA', clock);
    const base = a.create(3, 1);
    const b = new Device('devB', clock);
    b.receive(base);
    const ea = a.edit(base.id, { note: '甲' });
    const eb = b.edit(base.id, { note: '乙' });
    a.receive(eb);
    expect(a.rows.get(base.id)!.note).toBe('乙' + NOTE_CONFLICT_MARKER + '甲');
    const settled = a.edit(base.id, { tags: ['大数据'] });
    expect(settled.heads).toHaveLength(1);
    expect(renderRow(settled).note).toBe('乙' + NOTE_CONFLICT_MARKER + '甲');
    // Merging the settled state with either old one changes nothing.
    expect(stateKey(mergeAll([settled, ea, eb])!)).toBe(stateKey(settled));
  });

  it('rule 4: a delete against a concurrent edit keeps the edit; a delete that saw the edit wins', () => {
    const clock = new SimClock();
    const a = new Device('devA', clock);
    const base = a.create(4, 12, '准备删除');
    const b = new Device('devB', clock);
    b.receive(base);
    const del = a.edit(base.id, { deleted: true });
    expect(isDeleted(del)).toBe(true);
    const eb = b.edit(base.id, { note: '沈阳市大数据管理局负责' });
    const m = mergeStates(del, eb);
    expect(isDeleted(m)).toBe(false);
    expect(renderRow(m).note).toBe('沈阳市大数据管理局负责');
    // A sees the edit and deletes again: gone for good.
    a.receive(eb);
    const del2 = a.edit(base.id, { deleted: true });
    expect(isDeleted(mergeAll([eb, del2, base, del])!)).toBe(true);
  });

  it('rule 5: a stale copy never brings a deleted highlight back, in any order', () => {
    const clock = new SimClock();
    const a = new Device('devA', clock);
    const base = a.create(0, 30, '旧版本');
    const c = new Device('devC', clock);
    c.receive(base);
    const older = c.edit(base.id, { color: 'green' });
    a.receive(older);
    const del = a.edit(base.id, { deleted: true });
    for (const order of [[base, older, del], [del, base, older], [older, del, base]]) {
      const m = mergeAll(order)!;
      expect(isDeleted(m)).toBe(true);
      expect(renderRow(m, a.rows.get(base.id)).deleted).toBe(true);
    }
    expect(renderRow(del, a.rows.get(base.id)).quote).toBe(a.rows.get(base.id)!.quote); // kept for undo
  });
});

describe('merge is a join (any order, any grouping, repeats: same result)', () => {
  it('holds for random concurrent histories of three devices', () => {
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let conflicted = 0;
    for (let round = 0; round < 40; round++) {
      const clock = new SimClock();
      const devs = ['devA', 'devB', 'devC'].map((id) => new Device(id, clock));
      const base = devs[0].create(round % 5, round);
      for (const d of devs.slice(1)) d.receive(base);
      const states: RecordState[] = [base];
      for (let step = 0; step < 12; step++) {
        const d = devs[rand(3)];
        const op = rand(5);
        let s: RecordState;
        if (op === 0) s = d.edit(base.id, { deleted: !d.rows.get(base.id)!.deleted });
        else if (op === 1) s = d.edit(base.id, { color: ['red', 'blue', 'green'][rand(3)] });
        else if (op === 2) s = d.edit(base.id, { note: seedPassage(rand(5), rand(5000), 5 + rand(40)) });
        else {
          // Sync with a random other device's current state.
          s = d.receive(devs[rand(3)].state(base.id));
        }
        states.push(s);
        if (s.heads.length > 1) conflicted++;
      }
      const all = mergeAll(states)!;
      const shuffled = [...states].sort(() => rand(3) - 1);
      expect(stateKey(mergeAll(shuffled)!)).toBe(stateKey(all));
      expect(stateKey(mergeAll([...states, ...states.slice(0, 4)])!)).toBe(stateKey(all));
      const left = states.slice(0, 6).reduce((x, y) => mergeStates(x, y));
      const right = states.slice(6).reduce((x, y) => mergeStates(x, y));
      expect(stateKey(mergeStates(right, left))).toBe(stateKey(all));
      for (const s of states) expect(leqState(s, all)).toBe(true);
      // Whatever is shown comes out the same on every device.
      expect(renderRow(all).note).toBe(renderRow(canonicalState(all)).note);
      expect(shownNote(all).text).toBe(renderRow(all).note);
    }
    expect(conflicted).toBeGreaterThan(10); // the histories really are concurrent
  });
});
