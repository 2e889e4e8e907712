// Deep check of an ExtractedDoc sent by a content script before the background lets it near the library:
// every field the library and UI read, with its type, bounds and offsets; returns what is wrong, or null.
import type { Clause } from '../types';

/** Bounds of a document a message may carry. A real document is far below each of them. */
export const DOC_LIMITS = {
  /** Characters of `text`: the CLI's 20 MB file cap (lib/extract/from-file.ts); the overlay sends ≤ 300k. */
  text: 20 * 1024 * 1024,
  blocks: 500_000,
  /** Clauses in the whole tree. */
  clauses: 100_000,
  /** Nesting of clauses (real documents: up to 4 or 5; eight clause kinds exist). */
  depth: 32,
  citations: 100_000,
  flags: 100_000,
  /** A short name or label (labels, ids, tags, issuer codes, list entries). */
  short: 500,
  /** A metadata value, a heading, a citation's text. */
  medium: 10_000,
  /** Entries of a string list (issuers, topics, signals, nested titles…). */
  list: 1_000,
  url: 4_000,
  /** One text flag's detail (it quotes what was removed: a pinyin run, a garbled line). */
  detail: 200_000,
} as const;

const PAGE_KINDS = new Set(['policy', 'interpretation', 'other']);
const SITES = new Set(['beijing', 'govcn', 'shanghai', 'shenyang', 'generic', 'none']);
const GENRES = new Set(['notice', 'opinion', 'plan', 'scheme', 'measure', 'regulation', 'decision', 'reply', 'decree', 'report', 'announcement', 'other']);
const CLAUSE_KINDS = new Set(['part', 'section', 'item', 'subitem', 'chapter', 'article', 'project', 'attachment']);
const CITATION_KINDS = new Set(['title', 'number', 'title+number', 'alias']);
const FLAG_KINDS = new Set(['mojibake-repaired', 'mojibake-unrecoverable', 'pinyin-removed', 'control-chars-removed', 'markup-removed']);
const DOC_NUMBER_FORMS = new Set(['yearly', 'decree']);

/** Keys that, once merged or copied somewhere, reach an object's prototype. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** ISO calendar date, as the extractor writes it. */
const ISO_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Thrown inside the walk with the first problem; caught at the top and returned. */
class Invalid extends Error {}

const fail = (at: string, what: string): never => {
  throw new Invalid(`${at} ${what}`);
};

const shown = (v: unknown): string => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'string') return `a string of ${v.length} characters`;
  if (typeof v === 'number') return String(v);
  return typeof v;
};

/**
 * A plain data object (any realm's Object.prototype or none) whose keys are exactly among `keys`: nothing
 * to pollute a prototype with, and no payload hidden in fields the checks below never look at.
 */
function record(v: unknown, at: string, keys: readonly string[]): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(at, `must be an object, got ${shown(v)}`);
  const proto = Object.getPrototypeOf(v) as object | null;
  if (proto !== null && Object.getPrototypeOf(proto) !== null) return fail(at, 'must be a plain object');
  const own = Reflect.ownKeys(v);
  for (const k of own) {
    if (typeof k !== 'string') return fail(at, 'has a symbol key');
    if (FORBIDDEN_KEYS.has(k)) return fail(at, `has a forbidden key "${k}"`);
  }
  for (const k of own) if (!keys.includes(k as string)) return fail(at, `has an unknown field "${String(k).slice(0, 40)}"`);
  for (const k of keys) if (!Object.prototype.hasOwnProperty.call(v, k)) return fail(`${at}.${k}`, 'is missing');
  return v as Record<string, unknown>;
}

function array(v: unknown, at: string, max: number): unknown[] {
  if (!Array.isArray(v)) return fail(at, `must be an array, got ${shown(v)}`);
  if (v.length > max) return fail(at, `has ${v.length} entries (at most ${max})`);
  return v;
}

function string(v: unknown, at: string, max: number): string {
  if (typeof v !== 'string') return fail(at, `must be a string, got ${shown(v)}`);
  if (v.length > max) return fail(at, `is ${v.length} characters long (at most ${max})`);
  return v;
}

const stringOrNull = (v: unknown, at: string, max: number): string | null => (v === null ? null : string(v, at, max));

function strings(v: unknown, at: string, max: number = DOC_LIMITS.short, count: number = DOC_LIMITS.list): string[] {
  const list = array(v, at, count);
  for (let i = 0; i < list.length; i++) string(list[i], `${at}[${i}]`, max);
  return list as string[];
}

function integer(v: unknown, at: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v)) return fail(at, `must be an integer, got ${shown(v)}`);
  if (v < min || v > max) return fail(at, `is ${v}, outside ${min}..${max}`);
  return v;
}

function oneOf(v: unknown, at: string, values: ReadonlySet<string>): string {
  if (typeof v !== 'string' || !values.has(v)) return fail(at, `must be one of ${[...values].join(', ')}, got ${shown(v)}`);
  return v;
}

/** start/end: integers with 0 ≤ start ≤ end ≤ the text's length (or within the enclosing span). */
function span(o: Record<string, unknown>, at: string, from: number, to: number): { start: number; end: number } {
  const start = integer(o.start, `${at}.start`, from, to);
  const end = integer(o.end, `${at}.end`, start, to);
  return { start, end };
}

function docNumber(v: unknown, at: string): void {
  if (v === null) return;
  const d = record(v, at, ['raw', 'normalized', 'issuerCode', 'year', 'serial', 'form']);
  string(d.raw, `${at}.raw`, DOC_LIMITS.short);
  if (string(d.normalized, `${at}.normalized`, DOC_LIMITS.short) === '') fail(`${at}.normalized`, 'must not be empty');
  string(d.issuerCode, `${at}.issuerCode`, DOC_LIMITS.short);
  if (d.year !== null) integer(d.year, `${at}.year`, 1000, 9999);
  integer(d.serial, `${at}.serial`, 0, 1e9);
  oneOf(d.form, `${at}.form`, DOC_NUMBER_FORMS);
}

function detection(v: unknown, at: string): void {
  const d = record(v, at, ['kind', 'genre', 'site', 'score', 'signals']);
  oneOf(d.kind, `${at}.kind`, PAGE_KINDS);
  if (d.genre !== null) oneOf(d.genre, `${at}.genre`, GENRES);
  oneOf(d.site, `${at}.site`, SITES);
  if (typeof d.score !== 'number' || !(d.score >= 0 && d.score <= 1)) fail(`${at}.score`, `must be a number in 0..1, got ${shown(d.score)}`);
  strings(d.signals, `${at}.signals`, DOC_LIMITS.short, 200);
}

function metadata(v: unknown, at: string): void {
  const m = record(v, at, [
    'title', 'issuers', 'jointIssuers', 'docNumber', 'dates', 'validity', 'topics', 'keywords',
    'indexNumber', 'source', 'recipients', 'signature', 'attachments',
  ]);
  stringOrNull(m.title, `${at}.title`, 1000);
  for (const f of ['validity', 'indexNumber', 'source']) stringOrNull(m[f], `${at}.${f}`, DOC_LIMITS.short);
  for (const f of ['issuers', 'jointIssuers', 'topics', 'keywords', 'recipients', 'signature']) strings(m[f], `${at}.${f}`);
  strings(m.attachments, `${at}.attachments`, 1000);
  docNumber(m.docNumber, `${at}.docNumber`);
  const dates = record(m.dates, `${at}.dates`, ['written', 'published', 'effective', 'repealed']);
  for (const f of ['written', 'published', 'effective', 'repealed']) {
    const d = dates[f];
    if (d !== null && (typeof d !== 'string' || !ISO_DATE.test(d))) fail(`${at}.dates.${f}`, `must be a YYYY-MM-DD date or null, got ${shown(d)}`);
  }
}

function responsibility(v: unknown, at: string, from: number, to: number): void {
  if (v === null) return;
  const r = record(v, at, ['raw', 'lead', 'responsible', 'cooperating', 'start', 'end']);
  string(r.raw, `${at}.raw`, DOC_LIMITS.medium);
  for (const f of ['lead', 'responsible', 'cooperating']) strings(r[f], `${at}.${f}`, DOC_LIMITS.short, 200);
  span(r, at, from, to);
}

const CLAUSE_KEYS = ['id', 'label', 'kind', 'ordinal', 'level', 'heading', 'text', 'path', 'start', 'end', 'block', 'responsibility', 'children'];

/**
 * The clause tree, walked with an explicit stack (a 10,000-deep chain cannot overflow the call stack; it
 * is refused at DOC_LIMITS.depth). A clause lies within its parent, its level is its depth, its own text
 * fits its span, and all clauses' own texts together fit the document's text.
 */
function clauses(v: unknown, at: string, textLength: number, blockCount: number): void {
  const top = array(v, at, DOC_LIMITS.clauses);
  type Item = { value: unknown; at: string; depth: number; from: number; to: number };
  const stack: Item[] = [];
  const push = (list: unknown[], base: string, depth: number, from: number, to: number) => {
    for (let i = list.length - 1; i >= 0; i--) stack.push({ value: list[i], at: `${base}[${i}]`, depth, from, to });
  };
  push(top, at, 1, 0, textLength);
  let count = 0;
  let ownText = 0;
  while (stack.length) {
    const item = stack.pop()!;
    if (item.depth > DOC_LIMITS.depth) fail(item.at, `is nested ${item.depth} deep (at most ${DOC_LIMITS.depth})`);
    if (++count > DOC_LIMITS.clauses) fail(at, `holds more than ${DOC_LIMITS.clauses} clauses`);
    const c = record(item.value, item.at, CLAUSE_KEYS) as Record<keyof Clause, unknown>;
    const id = string(c.id, `${item.at}.id`, DOC_LIMITS.short);
    if (!id) fail(`${item.at}.id`, 'must not be empty');
    string(c.label, `${item.at}.label`, DOC_LIMITS.short);
    oneOf(c.kind, `${item.at}.kind`, CLAUSE_KINDS);
    integer(c.ordinal, `${item.at}.ordinal`, 0, 1e6);
    integer(c.level, `${item.at}.level`, item.depth, item.depth);
    string(c.heading, `${item.at}.heading`, DOC_LIMITS.medium);
    const path = strings(c.path, `${item.at}.path`, DOC_LIMITS.short, DOC_LIMITS.depth);
    if (path.length !== item.depth) fail(`${item.at}.path`, `has ${path.length} labels at depth ${item.depth}`);
    const { start, end } = span(c, item.at, item.from, item.to);
    const text = string(c.text, `${item.at}.text`, end - start);
    ownText += text.length;
    if (ownText > textLength) fail(at, "together hold more text than the document's text");
    integer(c.block, `${item.at}.block`, 0, Math.max(0, blockCount - 1));
    responsibility(c.responsibility, `${item.at}.responsibility`, 0, textLength);
    const children = array(c.children, `${item.at}.children`, DOC_LIMITS.clauses);
    push(children, `${item.at}.children`, item.depth + 1, start, end);
  }
}

function blocks(v: unknown, at: string, textLength: number): number {
  const list = array(v, at, DOC_LIMITS.blocks);
  for (let i = 0; i < list.length; i++) {
    const bat = `${at}[${i}]`;
    const b = record(list[i], bat, ['text', 'start', 'end', 'source', 'tag']);
    const { start, end } = span(b, bat, 0, textLength);
    // A block is the run of the text it covers.
    string(b.text, `${bat}.text`, end - start);
    if ((b.text as string).length !== end - start) fail(`${bat}.text`, `is ${(b.text as string).length} characters for a span of ${end - start}`);
    integer(b.source, `${bat}.source`, 0, 1e9);
    string(b.tag, `${bat}.tag`, 50);
  }
  return list.length;
}

function citations(v: unknown, at: string, textLength: number): void {
  const list = array(v, at, DOC_LIMITS.citations);
  let total = 0;
  for (let i = 0; i < list.length; i++) {
    const cat = `${at}[${i}]`;
    const c = record(list[i], cat, ['text', 'title', 'docNumber', 'kind', 'aliasOf', 'issues', 'nested', 'start', 'end']);
    const { start, end } = span(c, cat, 0, textLength);
    total += string(c.text, `${cat}.text`, Math.min(DOC_LIMITS.medium, end - start)).length;
    // Citations may overlap (a 文号 inside a title's span), never by more than the text twice over.
    if (total > 2 * textLength) fail(at, "together hold more than twice the document's text");
    for (const f of ['title', 'aliasOf', 'issues']) stringOrNull(c[f], `${cat}.${f}`, 1000);
    docNumber(c.docNumber, `${cat}.docNumber`);
    oneOf(c.kind, `${cat}.kind`, CITATION_KINDS);
    strings(c.nested, `${cat}.nested`, 1000, 100);
  }
}

function flags(v: unknown, at: string, textLength: number): void {
  const list = array(v, at, DOC_LIMITS.flags);
  let total = 0;
  for (let i = 0; i < list.length; i++) {
    const fat = `${at}[${i}]`;
    const f = record(list[i], fat, ['kind', 'start', 'end', 'detail']);
    oneOf(f.kind, `${fat}.kind`, FLAG_KINDS);
    span(f, fat, 0, textLength);
    // A detail quotes what was removed or repaired (a pinyin run, a list of control characters, a garbled
    // line): text no longer in `text`, so bounded on its own.
    total += string(f.detail, `${fat}.detail`, DOC_LIMITS.detail).length;
    if (total > DOC_LIMITS.text) fail(at, `together hold more than ${DOC_LIMITS.text} characters of detail`);
  }
}

/**
 * Null when `v` is an ExtractedDoc the library may store (lib/types.ts, every field, within DOC_LIMITS);
 * otherwise the first problem, naming its path (e.g. `doc.clauses[2].children[0].end is 99999, outside 40..512`).
 */
export function checkExtractedDoc(v: unknown, at = 'doc'): string | null {
  try {
    const d = record(v, at, ['url', 'detection', 'metadata', 'text', 'blocks', 'clauses', 'citations', 'flags']);
    stringOrNull(d.url, `${at}.url`, DOC_LIMITS.url);
    const text = string(d.text, `${at}.text`, DOC_LIMITS.text);
    detection(d.detection, `${at}.detection`);
    metadata(d.metadata, `${at}.metadata`);
    const blockCount = blocks(d.blocks, `${at}.blocks`, text.length);
    clauses(d.clauses, `${at}.clauses`, text.length, blockCount);
    citations(d.citations, `${at}.citations`, text.length);
    flags(d.flags, `${at}.flags`, text.length);
    return null;
  } catch (e) {
    if (e instanceof Invalid) return e.message;
    // Anything else (a getter or proxy trap throwing) is a malformed document too, never a crash.
    return `${at} could not be read (${e instanceof Error ? e.name : typeof e})`;
  }
}
