// Export the library to one JSON object and import it (or a batch of files) back, all-or-nothing.
import type { ExtractedDoc } from '../types';
import { SCHEMA_VERSION, type HighlightRow, type LibraryDB, type PlanSource } from './db';
import { planKey } from './identity';
import {
  assembleDoc,
  newId,
  planRow,
  planTables,
  reattachHighlights,
  upsertDoc,
  writePlanRows,
  type ClockOptions,
  type PlanStamp,
} from './store';

export const EXPORT_FORMAT = 'policy-lens-library';
/** Version of the export file format (not of the database schema). */
export const EXPORT_VERSION = 1;

/** A plan in an export: its bookkeeping and the whole document. Derived columns are recomputed on import. */
export interface ExportedPlan extends PlanStamp {
  doc: ExtractedDoc;
}

export interface LibraryExport {
  format: typeof EXPORT_FORMAT;
  version: number;
  /** Database schema the export was taken from (informational). */
  schemaVersion: number;
  /** ISO timestamp. */
  exportedAt: string;
  plans: ExportedPlan[];
  highlights: HighlightRow[];
}

export interface ImportCounts {
  /** Plans written (created or updated) by the import. */
  plans: number;
  /** Highlights written. */
  highlights: number;
}

/** An import refused before anything was written; `problems` name each fault by its path. */
export class LibraryImportError extends Error {
  constructor(
    message: string,
    readonly problems: string[],
    readonly file: string | null = null,
  ) {
    super(message);
    this.name = 'LibraryImportError';
  }
}

// ---------------------------------------------------------------- export

/** The whole library as one JSON-ready object, read in one transaction (a consistent snapshot). */
export async function exportLibrary(db: LibraryDB, options: ClockOptions = {}): Promise<LibraryExport> {
  return db.transaction('r', [db.plans, db.clauses, db.citations, db.highlights], async () => {
    const [plans, clauses, citations, highlights] = await Promise.all([
      db.plans.toArray(),
      db.clauses.toArray(),
      db.citations.toArray(),
      db.highlights.toArray(),
    ]);
    const clausesOf = groupBy(clauses, (c) => c.planId);
    const citationsOf = groupBy(citations, (c) => c.planId);
    return {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      schemaVersion: SCHEMA_VERSION,
      exportedAt: new Date(options.now ?? Date.now()).toISOString(),
      plans: plans.map((row) => ({
        id: row.id,
        source: row.source,
        savedAt: row.savedAt,
        updatedAt: row.updatedAt,
        viewedAt: row.viewedAt,
        doc: assembleDoc(row, clausesOf.get(row.id) ?? [], citationsOf.get(row.id) ?? []),
      })),
      highlights,
    };
  });
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const it of items) {
    const k = key(it);
    const list = m.get(k);
    if (list) list.push(it);
    else m.set(k, [it]);
  }
  return m;
}

// ---------------------------------------------------------------- validation

const MAX_PROBLEMS = 10;
const SOURCES: readonly PlanSource[] = ['seed', 'page', 'import'];
const PAGE_KINDS = ['policy', 'interpretation', 'other'];

/** Collects shape problems as `path.field missing` / `path.field must be …`, up to MAX_PROBLEMS. */
class Checker {
  readonly problems: string[] = [];
  more = 0;

  get full(): boolean {
    return this.problems.length >= MAX_PROBLEMS;
  }

  report(problem: string): void {
    if (this.full) this.more++;
    else this.problems.push(problem);
  }

  /** Checks obj[field]; returns the value when it passes. */
  field(obj: Record<string, unknown>, field: string, path: string, ok: (v: unknown) => boolean, expected: string): unknown {
    const v = obj[field];
    const at = path ? `${path}.${field}` : field;
    if (v === undefined) this.report(`${at} missing`);
    else if (!ok(v)) this.report(`${at} must be ${expected}`);
    else return v;
    return undefined;
  }

  /** Checks that obj[field] is an object; returns it. */
  object(obj: Record<string, unknown>, field: string, path: string): Record<string, unknown> | undefined {
    return this.field(obj, field, path, isObject, 'an object') as Record<string, unknown> | undefined;
  }

  /** Checks that obj[field] is an array; returns it. */
  array(obj: Record<string, unknown>, field: string, path: string): unknown[] | undefined {
    return this.field(obj, field, path, Array.isArray, 'an array') as unknown[] | undefined;
  }

  /** Checks each element of obj[field] is an object; calls each(element, path). */
  objects(obj: Record<string, unknown>, field: string, path: string, each: (o: Record<string, unknown>, at: string) => void): void {
    const list = this.array(obj, field, path);
    if (!list) return;
    const base = path ? `${path}.${field}` : field;
    for (let i = 0; i < list.length && !this.full; i++) {
      const at = `${base}[${i}]`;
      if (isObject(list[i])) each(list[i] as Record<string, unknown>, at);
      else this.report(`${at} must be an object`);
    }
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const isString = (v: unknown) => typeof v === 'string';
const isNonEmptyString = (v: unknown) => typeof v === 'string' && v.length > 0;
const isStringOrNull = (v: unknown) => v === null || typeof v === 'string';
const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const isNumberOrNull = (v: unknown) => v === null || isNumber(v);
const isBoolean = (v: unknown) => typeof v === 'boolean';
const isStrings = (v: unknown) => Array.isArray(v) && v.every(isString);
const oneOf = (values: readonly string[]) => (v: unknown) => typeof v === 'string' && values.includes(v);

function checkDocNumber(c: Checker, obj: Record<string, unknown>, field: string, path: string): void {
  const v = c.field(obj, field, path, (x) => x === null || isObject(x), 'an object or null');
  if (!isObject(v)) return;
  const at = `${path}.${field}`;
  c.field(v, 'raw', at, isString, 'a string');
  c.field(v, 'normalized', at, isNonEmptyString, 'a non-empty string');
  c.field(v, 'issuerCode', at, isString, 'a string');
  c.field(v, 'year', at, isNumberOrNull, 'a number or null');
  c.field(v, 'serial', at, isNumber, 'a number');
  c.field(v, 'form', at, oneOf(['yearly', 'decree']), "'yearly' or 'decree'");
}

function checkSpan(c: Checker, o: Record<string, unknown>, at: string): void {
  c.field(o, 'start', at, isNumber, 'a number');
  c.field(o, 'end', at, isNumber, 'a number');
}

/** Shape of an ExtractedDoc, as deep as the library and its readers rely on it. */
function checkDoc(c: Checker, doc: Record<string, unknown>, path: string): void {
  c.field(doc, 'url', path, isStringOrNull, 'a string or null');
  c.field(doc, 'text', path, isString, 'a string');
  const det = c.object(doc, 'detection', path);
  if (det) {
    const at = `${path}.detection`;
    c.field(det, 'kind', at, oneOf(PAGE_KINDS), PAGE_KINDS.map((k) => `'${k}'`).join(', '));
    c.field(det, 'genre', at, isStringOrNull, 'a string or null');
    c.field(det, 'site', at, isString, 'a string');
    c.field(det, 'score', at, isNumber, 'a number');
    c.field(det, 'signals', at, isStrings, 'an array of strings');
  }
  const meta = c.object(doc, 'metadata', path);
  if (meta) {
    const at = `${path}.metadata`;
    for (const f of ['title', 'validity', 'indexNumber', 'source']) c.field(meta, f, at, isStringOrNull, 'a string or null');
    for (const f of ['issuers', 'jointIssuers', 'topics', 'keywords', 'recipients', 'signature', 'attachments']) {
      c.field(meta, f, at, isStrings, 'an array of strings');
    }
    checkDocNumber(c, meta, 'docNumber', at);
    const dates = c.object(meta, 'dates', at);
    if (dates) for (const f of ['written', 'published', 'effective', 'repealed']) c.field(dates, f, `${at}.dates`, isStringOrNull, 'a string or null');
  }
  c.objects(doc, 'blocks', path, (b, at) => {
    c.field(b, 'text', at, isString, 'a string');
    checkSpan(c, b, at);
    c.field(b, 'source', at, isNumber, 'a number');
    c.field(b, 'tag', at, isString, 'a string');
  });
  // The clause tree, walked with an explicit stack: a hostile file cannot overflow the call stack.
  const stack: Array<[Record<string, unknown>, string]> = [];
  const pushChildren = (o: Record<string, unknown>, field: string, at: string) => {
    const list = c.array(o, field, at);
    if (!list) return;
    for (let i = list.length - 1; i >= 0; i--) {
      if (isObject(list[i])) stack.push([list[i] as Record<string, unknown>, `${at}.${field}[${i}]`]);
      else c.report(`${at}.${field}[${i}] must be an object`);
    }
  };
  pushChildren(doc, 'clauses', path);
  while (stack.length && !c.full) {
    const [cl, at] = stack.pop()!;
    c.field(cl, 'id', at, isNonEmptyString, 'a non-empty string');
    for (const f of ['label', 'kind', 'heading', 'text']) c.field(cl, f, at, isString, 'a string');
    for (const f of ['ordinal', 'level', 'block']) c.field(cl, f, at, isNumber, 'a number');
    c.field(cl, 'path', at, isStrings, 'an array of strings');
    c.field(cl, 'responsibility', at, (v) => v === null || isObject(v), 'an object or null');
    checkSpan(c, cl, at);
    pushChildren(cl, 'children', at);
  }
  c.objects(doc, 'citations', path, (ci, at) => {
    c.field(ci, 'text', at, isString, 'a string');
    c.field(ci, 'kind', at, isString, 'a string');
    for (const f of ['title', 'aliasOf', 'issues']) c.field(ci, f, at, isStringOrNull, 'a string or null');
    c.field(ci, 'nested', at, isStrings, 'an array of strings');
    checkDocNumber(c, ci, 'docNumber', at);
    checkSpan(c, ci, at);
  });
  c.objects(doc, 'flags', path, (f, at) => {
    c.field(f, 'kind', at, isString, 'a string');
    c.field(f, 'detail', at, isString, 'a string');
    checkSpan(c, f, at);
  });
}

function checkHighlight(c: Checker, h: Record<string, unknown>, at: string): void {
  c.field(h, 'id', at, isNonEmptyString, 'a non-empty string');
  c.field(h, 'planId', at, isNonEmptyString, 'a non-empty string');
  c.field(h, 'quote', at, isString, 'a string');
  for (const f of ['start', 'end', 'createdAt', 'updatedAt', 'version']) c.field(h, f, at, isNumber, 'a number');
  c.field(h, 'tags', at, isStrings, 'an array of strings');
  c.field(h, 'deleted', at, isBoolean, 'true or false');
}

function fail(c: Checker, file: string | null): never {
  const more = c.more ? ` (and ${c.more} more)` : '';
  const head = file ? `${file}: ` : 'Invalid library export: ';
  throw new LibraryImportError(head + c.problems.join('; ') + more, [...c.problems], file);
}

/** Throws LibraryImportError naming every problem (up to 10) unless `data` is a usable export. */
export function validateExport(data: unknown, file: string | null = null): LibraryExport {
  const c = new Checker();
  if (!isObject(data)) {
    c.report(`not a ${EXPORT_FORMAT} export (expected a JSON object, got ${Array.isArray(data) ? 'an array' : typeof data})`);
    fail(c, file);
  }
  if (data.format !== EXPORT_FORMAT) c.report(`format must be '${EXPORT_FORMAT}' (got ${JSON.stringify(data.format) ?? 'nothing'})`);
  const version = c.field(data, 'version', '', (v) => Number.isInteger(v) && (v as number) >= 1, 'a positive integer');
  if (typeof version === 'number' && version > EXPORT_VERSION) {
    c.report(`version ${version} was written by a newer Policy Lens (this one reads up to ${EXPORT_VERSION})`);
  }
  const ids = new Map<string, number>();
  c.objects(data, 'plans', '', (p, at) => {
    const id = c.field(p, 'id', at, isNonEmptyString, 'a non-empty string');
    if (typeof id === 'string') {
      const first = ids.get(id);
      if (first !== undefined) c.report(`${at}.id duplicates plans[${first}].id`);
      else ids.set(id, ids.size);
    }
    c.field(p, 'source', at, oneOf(SOURCES), SOURCES.map((s) => `'${s}'`).join(', '));
    c.field(p, 'savedAt', at, isNumber, 'a number');
    c.field(p, 'updatedAt', at, isNumber, 'a number');
    c.field(p, 'viewedAt', at, isNumberOrNull, 'a number or null');
    const doc = c.object(p, 'doc', at);
    if (doc) checkDoc(c, doc, `${at}.doc`);
  });
  c.objects(data, 'highlights', '', (h, at) => checkHighlight(c, h, at));
  if (c.problems.length) fail(c, file);
  return data as unknown as LibraryExport;
}

/** Throws LibraryImportError unless `doc` has the ExtractedDoc shape (guards extractors' output too). */
export function validateDoc(doc: unknown, file: string | null = null): ExtractedDoc {
  const c = new Checker();
  if (!isObject(doc)) c.report('doc must be an object');
  else checkDoc(c, doc, 'doc');
  if (c.problems.length) fail(c, file);
  return doc as ExtractedDoc;
}

// ---------------------------------------------------------------- import

/**
 * Merge a validated export into the library; call inside a rw transaction over planTables(db).
 * A plan whose document is already in the library (same planKey) merges into it, newer updatedAt
 * winning; highlights follow their plan's id, the higher `version` winning on the same id.
 */
async function mergeExport(db: LibraryDB, data: LibraryExport, planIds: Set<string>): Promise<number> {
  const idMap = new Map<string, string>();
  for (const p of data.plans) {
    const key = planKey(p.doc);
    const existing = await db.plans.where('key').equals(key).first();
    if (existing) {
      idMap.set(p.id, existing.id);
      if (p.updatedAt < existing.updatedAt) continue; // the library has a newer copy
      const stamp: PlanStamp = {
        id: existing.id,
        source: p.source,
        savedAt: Math.min(existing.savedAt, p.savedAt),
        updatedAt: p.updatedAt,
        viewedAt: maxOrNull(existing.viewedAt, p.viewedAt),
      };
      await writePlanRows(db, planRow(p.doc, stamp, key), p.doc.clauses, p.doc.citations);
      planIds.add(existing.id);
    } else {
      // Ids are random, so a clash means a different document holding that id: give this one a new id.
      const id = (await db.plans.get(p.id)) ? newId() : p.id;
      idMap.set(p.id, id);
      const stamp: PlanStamp = { id, source: p.source, savedAt: p.savedAt, updatedAt: p.updatedAt, viewedAt: p.viewedAt };
      await writePlanRows(db, planRow(p.doc, stamp, key), p.doc.clauses, p.doc.citations);
      await reattachHighlights(db, key, id);
      planIds.add(id);
    }
  }
  let highlights = 0;
  for (const h of data.highlights) {
    const local = await db.highlights.get(h.id);
    if (local && (local.version > h.version || (local.version === h.version && local.updatedAt > h.updatedAt))) continue;
    let planId = idMap.get(h.planId) ?? h.planId;
    let attached = idMap.has(h.planId) || !!(await db.plans.get(planId));
    if (!attached && h.planKey) {
      const byKey = await db.plans.where('key').equals(h.planKey).first();
      if (byKey) [planId, attached] = [byKey.id, true];
    }
    await db.highlights.put({ ...h, planId, orphaned: !attached });
    highlights++;
  }
  return highlights;
}

function maxOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}

/** Import a library export (parsed JSON). Validates first; writes everything or nothing. */
export async function importLibrary(db: LibraryDB, data: unknown): Promise<ImportCounts> {
  const valid = validateExport(data);
  const planIds = new Set<string>();
  const highlights = await db.transaction('rw', planTables(db), () => mergeExport(db, valid, planIds));
  return { plans: planIds.size, highlights };
}

export interface ImportFile {
  name: string;
  bytes: Uint8Array;
}

export type Extract = (name: string, bytes: Uint8Array) => Promise<ExtractedDoc> | ExtractedDoc;

type Prepared = { doc: ExtractedDoc } | { export: LibraryExport };

function isLibraryFile(name: string): boolean {
  return /\.json$/i.test(name.trim());
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function readExportFile(file: ImportFile): LibraryExport {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file.bytes);
  } catch {
    throw new LibraryImportError(`${file.name}: not UTF-8 text`, ['not UTF-8 text'], file.name);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const why = `not valid JSON (${reason(e)})`;
    throw new LibraryImportError(`${file.name}: ${why}`, [why], file.name);
  }
  return validateExport(data, file.name);
}

/**
 * Import a batch of files: `.json` files are library exports (importLibrary semantics), every other
 * file goes through `extract` and is saved with source 'import'. Every file is read and checked
 * first — the first failure throws LibraryImportError naming the file and why, with nothing
 * written — then all are written in one transaction. onProgress(done, total) follows the reading.
 */
export async function importFiles(
  db: LibraryDB,
  files: ImportFile[],
  extract: Extract,
  onProgress?: (done: number, total: number) => void,
  options: ClockOptions = {},
): Promise<ImportCounts & { planIds: string[] }> {
  const prepared: Prepared[] = [];
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    if (isLibraryFile(file.name)) {
      prepared.push({ export: readExportFile(file) });
    } else {
      let doc: unknown;
      try {
        doc = await extract(file.name, file.bytes);
      } catch (e) {
        const why = `could not be extracted: ${reason(e)}`;
        throw new LibraryImportError(`${file.name}: ${why}`, [why], file.name);
      }
      prepared.push({ doc: validateDoc(doc, file.name) });
    }
    onProgress?.(i + 1, files.length);
  }
  return writePrepared(db, prepared, options);
}

/** One item of an import whose files were already read: an extracted document or a library export. */
export type ImportItem = { name: string; doc: unknown } | { name: string; library: unknown };

/**
 * Import items read elsewhere (the library page extracts HTML with the browser's own parser): each is
 * validated first, naming the file on failure with nothing written, then all go in one transaction.
 */
export async function importItems(db: LibraryDB, items: ImportItem[], options: ClockOptions = {}): Promise<ImportCounts & { planIds: string[] }> {
  const prepared: Prepared[] = items.map((item) =>
    'doc' in item ? { doc: validateDoc(item.doc, item.name) } : { export: validateExport(item.library, item.name) },
  );
  return writePrepared(db, prepared, options);
}

async function writePrepared(
  db: LibraryDB,
  prepared: Prepared[],
  options: ClockOptions,
): Promise<ImportCounts & { planIds: string[] }> {
  const now = options.now ?? Date.now();
  const planIds = new Set<string>();
  let highlights = 0;
  if (!prepared.length) return { plans: 0, highlights: 0, planIds: [] };
  await db.transaction('rw', planTables(db), async () => {
    for (const p of prepared) {
      if ('doc' in p) planIds.add((await upsertDoc(db, p.doc, 'import', now)).id);
      else highlights += await mergeExport(db, p.export, planIds);
    }
  });
  return { plans: planIds.size, highlights, planIds: [...planIds] };
}
