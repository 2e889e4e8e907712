// The extraction pipeline: page (DOM or plain text) → detection → cleaned blocks → metadata, clauses, citations.
import type { Block, ExtractedDoc, TextFlag } from '../types';
import { collectSignals, signalsFromText } from '../detect/signals';
import { detectPage } from '../detect/detect';
import { profileFor } from '../sites/profile';
import { blockScope, blocksInScope, blocksFromText, type RawBlock } from '../page/blocks';
import { fieldsFromTextLines } from '../page/text-fields';
import { cleanText } from '../text/clean';
import { metadataFromFields, metadataFromText, mergeMetadata } from './metadata';
import { extractClauses } from './clauses';
import { extractCitations } from '../citations/citations';
import type { FieldPair } from '../sites/profile';

/** Cleaned document text with each block's place in it. */
export interface AssembledText {
  text: string;
  blocks: Block[];
  flags: TextFlag[];
}

/** Clean every raw block and join them with '\n', keeping offsets and flags in document coordinates. */
export function assembleBlocks(raw: RawBlock[]): AssembledText {
  const parts: string[] = [];
  const blocks: Block[] = [];
  const flags: TextFlag[] = [];
  let offset = 0;
  for (const rb of raw) {
    const cleaned = cleanText(rb.text);
    const text = cleaned.text.trim();
    if (!text) continue;
    // Flags are relative to the cleaned (untrimmed) block; shift by what trim() removed at the start,
    // and clamp to the trimmed block: a flag in trailing space (controls removed before a page's last
    // spaces) would otherwise point into the next block or past the end of the text.
    const lead = cleaned.text.length - cleaned.text.trimStart().length;
    const at = (i: number) => offset + Math.min(text.length, Math.max(0, i - lead));
    for (const f of cleaned.flags) flags.push({ ...f, start: at(f.start), end: at(f.end) });
    blocks.push({ text, start: offset, end: offset + text.length, source: rb.source, tag: rb.tag });
    parts.push(text);
    offset += text.length + 1;
  }
  return { text: parts.join('\n'), blocks, flags };
}

/** The page's headline: the title hint, else a short first block that is not a sentence. */
function headline(hint: string | null, blocks: Block[]): string | null {
  if (hint && hint.trim()) return hint.trim();
  const first = blocks[0]?.text ?? '';
  return first && first.length <= 80 && !/[。；;：:，,]$/.test(first) ? first : null;
}

/**
 * Metadata, clauses and citations from the assembled text, as stages: the generator yields between them so
 * a caller on a page's main thread can give the page a turn (extractFromDocumentAsync); the sync entry
 * points just run it through.
 */
function* finishStages(
  url: string | null,
  detection: ExtractedDoc['detection'],
  fields: FieldPair[],
  assembled: AssembledText,
  titleHint: string | null,
): Generator<string, ExtractedDoc> {
  const { text, blocks, flags } = assembled;
  // Field values and the page's title come from the same damaged pages as the body: clean them alike.
  const clean = (s: string) => cleanText(s).text.trim();
  const cleanFields = fields.map((f) => ({ label: f.label, value: clean(f.value) }));
  const hint = titleHint ? clean(titleHint) : null;
  const metadata = mergeMetadata(metadataFromFields(cleanFields), metadataFromText(blocks, text, { title: hint }));
  // Pages that are not notices (press releases, 解读) have a headline rather than a notice title.
  if (!metadata.title) metadata.title = headline(hint, blocks);
  yield 'metadata';
  const clauses = extractClauses(text, blocks);
  yield 'clauses';
  const citations = extractCitations(text);
  return { url, detection, metadata, text, blocks, clauses, citations, flags };
}

/** A live page's extraction: the document plus where each block came from. */
export interface DocumentExtraction extends ExtractedDoc {
  /** elements[block.source]: the element each block was read from. */
  elements: Element[];
  /** True when `maxChars` cut a giant page short: the text, clauses and citations cover its start only. */
  truncated: boolean;
}

export interface DocumentOptions {
  /** Stop reading the page's body after this many characters of text (see BlockOptions.maxChars). */
  maxChars?: number;
}

function* documentStages(doc: Document, url: string | null, opts: DocumentOptions): Generator<string, DocumentExtraction> {
  const detection = detectPage(collectSignals(doc, url));
  const profile = profileFor(detection.site);
  yield 'detect';
  const scope = blockScope(doc, profile);
  yield 'scope';
  const { blocks: raw, elements, truncated } = blocksInScope(scope, opts.maxChars);
  yield 'blocks';
  const fields = profile.fields(doc);
  const title = profile.title(doc);
  yield 'fields';
  const assembled = assembleBlocks(raw);
  yield 'assemble';
  const result = yield* finishStages(url, detection, fields, assembled, title);
  return Object.assign(result, { elements, truncated });
}

function runSync<T>(stages: Generator<string, T>): T {
  for (;;) {
    const r = stages.next();
    if (r.done) return r.value;
  }
}

/** Extract from a parsed page (the live DOM in the content script, linkedom in Node). */
export function extractFromDocument(doc: Document, url: string | null, opts: DocumentOptions = {}): DocumentExtraction {
  return runSync(documentStages(doc, url, opts));
}

/**
 * The same extraction on a page's main thread, giving the page a turn between stages (detection, content root,
 * blocks, fields, cleaning, metadata, clauses, citations): `pause` resolves when the page has had one (a macrotask).
 * With `maxChars`, no stage is longer than the capped text makes it, whatever the page's size.
 */
export async function extractFromDocumentAsync(
  doc: Document,
  url: string | null,
  pause: (stage: string) => Promise<void>,
  opts: DocumentOptions = {},
): Promise<DocumentExtraction> {
  const stages = documentStages(doc, url, opts);
  for (;;) {
    const r = stages.next();
    if (r.done) return r.value;
    await pause(r.value);
  }
}

/** Extract from a plain-text copy of a page (a reader's saved .txt, the seeds). */
export function extractFromText(input: string, url: string | null = null): ExtractedDoc {
  const detection = detectPage(signalsFromText(input, url));
  const lines = input.split(/\r\n|\r|\n/);
  const { pairs, lines: fieldLines } = fieldsFromTextLines(lines);
  const raw = blocksFromText(input).filter((b) => !fieldLines.has(b.source));
  return runSync(finishStages(url, detection, pairs, assembleBlocks(raw), null));
}
