// The extraction pipeline: page (DOM or plain text) → detection → cleaned blocks → metadata, clauses, citations.
import type { Block, ExtractedDoc, TextFlag } from '../types';
import { collectSignals, signalsFromText } from '../detect/signals';
import { detectPage } from '../detect/detect';
import { profileFor } from '../sites/profile';
import { blocksFromDocument, blocksFromText, type RawBlock } from '../page/blocks';
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
    // Flags are relative to the cleaned (untrimmed) block; shift by what trim() removed at the start.
    const lead = cleaned.text.length - cleaned.text.trimStart().length;
    for (const f of cleaned.flags) {
      flags.push({ ...f, start: offset + Math.max(0, f.start - lead), end: offset + Math.max(0, f.end - lead) });
    }
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

function finish(
  url: string | null,
  detection: ExtractedDoc['detection'],
  fields: FieldPair[],
  assembled: AssembledText,
  titleHint: string | null,
): ExtractedDoc {
  const { text, blocks, flags } = assembled;
  // Field values and the page's title come from the same damaged pages as the body: clean them alike.
  const clean = (s: string) => cleanText(s).text.trim();
  const cleanFields = fields.map((f) => ({ label: f.label, value: clean(f.value) }));
  const hint = titleHint ? clean(titleHint) : null;
  const metadata = mergeMetadata(metadataFromFields(cleanFields), metadataFromText(blocks, text, { title: hint }));
  // Pages that are not notices (press releases, 解读) have a headline rather than a notice title.
  if (!metadata.title) metadata.title = headline(hint, blocks);
  return {
    url,
    detection,
    metadata,
    text,
    blocks,
    clauses: extractClauses(text, blocks),
    citations: extractCitations(text),
    flags,
  };
}

/** Extract from a parsed page (the live DOM in the content script, linkedom in Node). */
export function extractFromDocument(doc: Document, url: string | null): ExtractedDoc & { elements: Element[] } {
  const detection = detectPage(collectSignals(doc, url));
  const profile = profileFor(detection.site);
  const { blocks: raw, elements } = blocksFromDocument(doc, profile);
  const result = finish(url, detection, profile.fields(doc), assembleBlocks(raw), profile.title(doc));
  return Object.assign(result, { elements });
}

/** Extract from a plain-text copy of a page (a reader's saved .txt, the seeds). */
export function extractFromText(input: string, url: string | null = null): ExtractedDoc {
  const detection = detectPage(signalsFromText(input, url));
  const lines = input.split(/\r\n|\r|\n/);
  const { pairs, lines: fieldLines } = fieldsFromTextLines(lines);
  const raw = blocksFromText(input).filter((b) => !fieldLines.has(b.source));
  return finish(url, detection, pairs, assembleBlocks(raw), null);
}
