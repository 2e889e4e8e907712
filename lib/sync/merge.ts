// Deterministic merge of a highlight's versions across devices: version vectors, conflict notes, tombstones.
//
// THE RULES (what every device computes, whatever order states arrive in):
// 1. Causality first. Each edit is a dot (device, version) and carries a version vector of what its
//    device had seen. A version that has seen another replaces it; nothing stale ever wins, so a
//    deleted highlight never comes back when a device that missed the deletion syncs its old copy.
// 2. Concurrent edits (neither saw the other) of the same highlight: the winner is the higher
//    `version`, then the later `updatedAt`, then the larger `deviceId` (plain string order). Its color,
//    tags and anchor are shown.
// 3. Notes are never lost to a concurrent edit. A note text written by an edit that another live
//    version had already seen is superseded; if one note text remains it is shown (so a color change
//    on A and a note edit on B both survive). If several were written concurrently, the winner's note
//    comes first and each other one follows NOTE_CONFLICT_MARKER. The reader's next edit of the
//    highlight (any field) settles the conflict: its note is whatever the row then shows.
// 4. Delete against a concurrent edit: the edit survives (a deletion removes only the versions the
//    deleting device had seen); the other device's new work is not thrown away unseen.
// 5. Tombstones: a deletion is a dot too, so it outranks every version it saw. Storage keeps a
//    tombstone until every known device (one seen within deviceGoneMs) has acknowledged it; devices
//    keep their local tombstone rows for good (see engine.ts).
import type { HighlightRow } from '../library/db';
import type { Clock, DeleteMark, Dot, Head, RecordState, SyncedHighlight, SyncMeta } from './types';

/** Put between concurrently written notes in the note a row shows. */
export const NOTE_CONFLICT_MARKER = '\n\n——— 另一设备同时写的笔记 ———\n';

/** The color a highlight gets when none is chosen (omitted from stored records). */
export const DEFAULT_COLOR = 'yellow';

// ---------------------------------------------------------------- clocks and dots

export const dotKey = (d: Dot): string => `${d.version}@${d.device}`;
export const headDot = (h: Head): Dot => ({ device: h.deviceId, version: h.version });

/** True when the clock has seen this edit. */
export function covers(clock: Clock, dot: Dot): boolean {
  return (clock[dot.device] ?? 0) >= dot.version;
}

/** Entry-wise maximum, keys sorted (canonical). */
export function joinClocks(a: Clock, b: Clock): Clock {
  const out: Clock = {};
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    out[k] = Math.max(a[k] ?? 0, b[k] ?? 0);
  }
  return out;
}

/** Highest version in the clock (0 for an empty one). */
export function clockMax(c: Clock): number {
  let m = 0;
  for (const v of Object.values(c)) if (v > m) m = v;
  return m;
}

function sortedClock(c: Clock): Clock {
  const out: Clock = {};
  for (const k of Object.keys(c).sort()) out[k] = c[k];
  return out;
}

/** Rule 2: positive when `a` wins over `b` (higher version, later updatedAt, larger deviceId). */
export function compareHeads(a: Head, b: Head): number {
  if (a.version !== b.version) return a.version - b.version;
  if (a.updatedAt !== b.updatedAt) return a.updatedAt - b.updatedAt;
  if (a.deviceId !== b.deviceId) return a.deviceId < b.deviceId ? -1 : 1;
  return 0;
}

function compareDeletes(a: DeleteMark, b: DeleteMark): number {
  if (a.version !== b.version) return a.version - b.version;
  if (a.at !== b.at) return a.at - b.at;
  if (a.device !== b.device) return a.device < b.device ? -1 : 1;
  return 0;
}

// ---------------------------------------------------------------- states

function canonicalHead(h: Head): Head {
  return {
    planId: h.planId,
    planKey: h.planKey,
    url: h.url,
    quote: h.quote,
    prefix: h.prefix,
    suffix: h.suffix,
    start: h.start,
    end: h.end,
    clauseId: h.clauseId,
    color: h.color,
    note: h.note,
    tags: [...h.tags],
    createdAt: h.createdAt,
    updatedAt: h.updatedAt,
    deviceId: h.deviceId,
    version: h.version,
    clock: sortedClock(h.clock),
    noteBy: { device: h.noteBy.device, version: h.noteBy.version },
  };
}

/** Same state, fixed key order and heads best first: equal states give equal JSON. */
export function canonicalState(s: RecordState): RecordState {
  const heads = s.heads.map(canonicalHead).sort((a, b) => compareHeads(b, a));
  const d = s.lastDelete;
  return {
    id: s.id,
    clock: sortedClock(s.clock),
    heads,
    lastDelete: d ? { device: d.device, version: d.version, at: d.at } : null,
  };
}

/** Canonical JSON of a state: equal strings ⇔ equal states. */
export function stateKey(s: RecordState): string {
  return JSON.stringify(canonicalState(s));
}

export const isDeleted = (s: Pick<RecordState, 'heads'>): boolean => s.heads.length === 0;

/**
 * Join of two states of one highlight (a causal-context dot store): a head survives when the other
 * side holds it too or has not seen it; clocks take the maximum; the latest deletion is kept.
 */
export function mergeStates(a: RecordState, b: RecordState): RecordState {
  if (a.id !== b.id) throw new Error(`mergeStates: ${a.id} and ${b.id} are different highlights`);
  const heads = new Map<string, Head>();
  const add = (h: Head) => {
    const k = dotKey(headDot(h));
    const seen = heads.get(k);
    // One dot is one edit, so two copies are equal; if damage made them differ, pick one deterministically.
    if (!seen || JSON.stringify(canonicalHead(h)) > JSON.stringify(canonicalHead(seen))) heads.set(k, h);
  };
  const aDots = new Set(a.heads.map((h) => dotKey(headDot(h))));
  const bDots = new Set(b.heads.map((h) => dotKey(headDot(h))));
  for (const h of a.heads) if (bDots.has(dotKey(headDot(h))) || !covers(b.clock, headDot(h))) add(h);
  for (const h of b.heads) if (aDots.has(dotKey(headDot(h))) || !covers(a.clock, headDot(h))) add(h);
  const da = a.lastDelete;
  const db = b.lastDelete;
  const lastDelete = da && db ? (compareDeletes(da, db) >= 0 ? da : db) : (da ?? db);
  return canonicalState({ id: a.id, clock: joinClocks(a.clock, b.clock), heads: [...heads.values()], lastDelete });
}

/** Join of many states of one highlight (null for none). */
export function mergeAll(states: RecordState[]): RecordState | null {
  let out: RecordState | null = null;
  for (const s of states) out = out ? mergeStates(out, s) : canonicalState(s);
  return out;
}

/** a ⊑ b: b already contains everything a knows. */
export function leqState(a: RecordState, b: RecordState): boolean {
  return stateKey(mergeStates(a, b)) === stateKey(b);
}

// ---------------------------------------------------------------- what a row shows

/** Rule 3: the note text shown for a state, and the edit that wrote it (null when several are composed). */
export function shownNote(s: Pick<RecordState, 'heads'>): { text: string; noteBy: Dot | null } {
  const heads = [...s.heads].sort((a, b) => compareHeads(b, a));
  const candidates: Array<{ text: string; by: Dot }> = [];
  const byKey = new Set<string>();
  for (const h of heads) {
    const k = dotKey(h.noteBy);
    if (!byKey.has(k)) {
      byKey.add(k);
      candidates.push({ text: h.note, by: h.noteBy });
    }
  }
  // A note is superseded when another version saw the edit that wrote it and carries a different note.
  const live = candidates.filter(
    (c) => !heads.some((h) => dotKey(h.noteBy) !== dotKey(c.by) && covers(h.clock, c.by)),
  );
  // Every head's own note is the newest it saw, so one always survives; damaged input keeps them all.
  if (live.length === 0) live.push(...candidates);
  if (live.length === 0) return { text: '', noteBy: null };
  if (live.length === 1) return { text: live[0].text, noteBy: live[0].by };
  let text = live[0].text;
  for (const c of live.slice(1)) {
    if (!c.text.trim() || text.includes(c.text)) continue;
    text = text ? text + NOTE_CONFLICT_MARKER + c.text : c.text;
  }
  return { text, noteBy: null };
}

/** Notes shown side by side (the UI may split a row's note on the marker to show them apart). */
export function splitConflictNote(note: string): string[] {
  return note.split(NOTE_CONFLICT_MARKER);
}

/**
 * The local row for a state. `prev` is the row it replaces: its local-only fields (planId when the
 * plan is the same, orphaned) are kept, and a tombstone keeps its last content for undo.
 */
export function renderRow(s: RecordState, prev?: SyncedHighlight): HighlightRow {
  const version = clockMax(s.clock);
  const { sync: _meta, ...rest } = prev ?? ({} as Partial<SyncedHighlight>);
  if (s.heads.length) {
    const m = [...s.heads].sort((a, b) => compareHeads(b, a))[0];
    const samePlan = !!prev && prev.planKey !== null && prev.planKey === m.planKey;
    return {
      ...(rest as Partial<HighlightRow>),
      id: s.id,
      planId: samePlan ? prev!.planId : m.planId,
      planKey: m.planKey,
      url: m.url,
      quote: m.quote,
      prefix: m.prefix,
      suffix: m.suffix,
      start: m.start,
      end: m.end,
      clauseId: m.clauseId,
      color: m.color,
      note: shownNote(s).text,
      tags: [...m.tags],
      createdAt: m.createdAt,
      updatedAt: m.updatedAt,
      deviceId: m.deviceId,
      version,
      deleted: false,
      orphaned: prev?.orphaned ?? false,
    };
  }
  const d = s.lastDelete;
  const base: HighlightRow = prev
    ? (rest as HighlightRow)
    : {
        id: s.id,
        planId: '',
        planKey: null,
        url: null,
        quote: '',
        prefix: '',
        suffix: '',
        start: 0,
        end: 0,
        clauseId: null,
        color: DEFAULT_COLOR,
        note: '',
        tags: [],
        createdAt: d?.at ?? 0,
        updatedAt: d?.at ?? 0,
        deviceId: d?.device ?? '',
        version,
        deleted: true,
        orphaned: true,
      };
  return {
    ...base,
    id: s.id,
    tags: [...base.tags],
    updatedAt: d?.at ?? base.updatedAt,
    deviceId: d?.device ?? base.deviceId,
    version,
    deleted: true,
  };
}

// ---------------------------------------------------------------- local rows ↔ states

/** The synced fields of a row (planId and orphaned are per device; sync is bookkeeping). */
function syncedFields(r: HighlightRow): unknown[] {
  return [
    r.planKey, r.url, r.quote, r.prefix, r.suffix, r.start, r.end, r.clauseId, r.color, r.note,
    r.tags, r.createdAt, r.updatedAt, r.deviceId, r.version, r.deleted,
  ];
}

/** 64-bit FNV-1a of a string, as 13 base-36 digits (fingerprints and chunk ids). */
export function hash64(s: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x050c5d1f;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h1 >>> 15);
  }
  const hi = (h1 >>> 0).toString(36).padStart(7, '0');
  const lo = (h2 >>> 0).toString(36).padStart(7, '0');
  return hi + lo;
}

/** Fingerprint of a row's synced fields. */
export function fingerprint(r: HighlightRow): string {
  return hash64(JSON.stringify(syncedFields(r)));
}

/** A row carrying this state: rendered from it, with fresh meta (flags given). */
export function rowWithState(
  s: RecordState,
  prev: SyncedHighlight | undefined,
  flags: Omit<SyncMeta, 'state' | 'fp'> = {},
): SyncedHighlight {
  const row = renderRow(s, prev);
  const c = canonicalState(s);
  const meta: SyncMeta = { state: { clock: c.clock, heads: c.heads, lastDelete: c.lastDelete }, fp: fingerprint(row), ...flags };
  for (const k of Object.keys(meta) as Array<keyof SyncMeta>) if (meta[k] === undefined) delete meta[k];
  return { ...row, sync: meta };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isStrOrNull = (v: unknown) => v === null || isStr(v);
const isClock = (v: unknown): v is Clock => isObj(v) && Object.values(v).every((x) => isNum(x) && x >= 0);
const isDot = (v: unknown): v is Dot => isObj(v) && isStr(v.device) && isNum(v.version);

/** Structural check of a head (meta can come from an imported file or an older build). */
export function isHead(v: unknown): v is Head {
  if (!isObj(v)) return false;
  return (
    isStr(v.planId) && isStrOrNull(v.planKey) && isStrOrNull(v.url) && isStr(v.quote) && isStr(v.prefix) &&
    isStr(v.suffix) && isNum(v.start) && isNum(v.end) && isStrOrNull(v.clauseId) && isStr(v.color) &&
    isStr(v.note) && Array.isArray(v.tags) && v.tags.every(isStr) && isNum(v.createdAt) && isNum(v.updatedAt) &&
    isStr(v.deviceId) && isNum(v.version) && isClock(v.clock) && isDot(v.noteBy)
  );
}

function validMeta(v: unknown): v is SyncMeta {
  if (!isObj(v) || !isStr(v.fp) || !isObj(v.state)) return false;
  const s = v.state;
  const d = s.lastDelete;
  return (
    isClock(s.clock) && Array.isArray(s.heads) && s.heads.every(isHead) &&
    (d === null || (isObj(d) && isStr(d.device) && isNum(d.version) && isNum(d.at)))
  );
}

/** A row's state, and whether the row was edited locally since the engine last wrote it. */
export interface LocalRead {
  state: RecordState;
  /** The row re-written with its new edit stamped (null when unchanged). */
  stamped: SyncedHighlight | null;
  meta: SyncMeta | null;
}

/**
 * Read a local row. An edit since the engine last wrote it (fingerprint differs, or no meta) becomes
 * a new dot (self, v) with v above every version seen (a Lamport step), covering everything the
 * row showed: its conflict note included, so the reader's edit settles the conflict. `floor`: the
 * highest version of this device for this highlight found in sync storage, so a row re-written
 * without its meta never reuses one of this device's dots.
 */
export function readLocalRow(row: SyncedHighlight, self: string, floor = 0): LocalRead {
  const meta = validMeta(row.sync) ? row.sync : null;
  if (meta && fingerprint(row) === meta.fp) {
    return { state: canonicalState({ id: row.id, ...meta.state }), stamped: null, meta };
  }
  const prev = meta ? canonicalState({ id: row.id, ...meta.state }) : null;
  const prevClock = prev?.clock ?? {};
  const version = Math.max(Math.floor(row.version) || 0, clockMax(prevClock) + 1, floor + 1);
  const dot: Dot = { device: self, version };
  const clock = joinClocks(prevClock, { [self]: version });
  let state: RecordState;
  if (row.deleted) {
    state = { id: row.id, clock, heads: [], lastDelete: { device: self, version, at: row.updatedAt } };
    if (prev?.lastDelete && compareDeletes(prev.lastDelete, state.lastDelete!) > 0) state.lastDelete = prev.lastDelete;
  } else {
    const was = prev ? shownNote(prev) : null;
    const noteBy = was?.noteBy && was.text === row.note ? was.noteBy : dot;
    const head: Head = {
      planId: row.planId,
      planKey: row.planKey,
      url: row.url,
      quote: row.quote,
      prefix: row.prefix,
      suffix: row.suffix,
      start: row.start,
      end: row.end,
      clauseId: row.clauseId,
      color: row.color,
      note: row.note,
      tags: [...row.tags],
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      deviceId: self,
      version,
      clock,
      noteBy,
    };
    state = { id: row.id, clock, heads: [head], lastDelete: prev?.lastDelete ?? null };
  }
  state = canonicalState(state);
  const stamped = rowWithState(state, row, { heldSince: meta?.heldSince });
  return { state, stamped, meta: stamped.sync! };
}
