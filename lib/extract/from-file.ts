// Runs the pipeline on a file's bytes (CLI, imports): decoding, size and binary checks, HTML or text.
import type { ExtractedDoc } from '../types';
import { decodeBytes } from '../text/decode';
import { extractFromDocument, extractFromText } from './pipeline';

/** Files larger than this are refused with a clear error instead of tying up the reader's machine. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export type HtmlParser = (html: string) => Document;

/** Whether decoded text is an HTML page rather than a plain-text copy. */
export function looksLikeHtml(name: string, text: string): boolean {
  if (/\.x?html?$/i.test(name)) return true;
  if (/\.txt$/i.test(name)) return false;
  return /^\s*(?:<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<!--)/i.test(text.slice(0, 1000));
}

/** The first URL a crawler comment records (`<!-- http://www.gov.cn/... -->`), used when none is given. */
function urlFromComment(text: string): string | null {
  const m = /<!--\s*(https?:\/\/[^\s>]{4,300})/.exec(text.slice(0, 2000));
  return m ? m[1] : null;
}

export function extractFromBytes(
  name: string,
  bytes: Uint8Array,
  parseHtml: HtmlParser,
  url: string | null = null,
): ExtractedDoc {
  if (bytes.length === 0) throw new InputError(`${name}: empty file`);
  if (bytes.length > MAX_FILE_BYTES) {
    throw new InputError(
      `${name}: file too large (${(bytes.length / 1048576).toFixed(1)} MB; the limit is ${MAX_FILE_BYTES / 1048576} MB)`,
    );
  }
  let text: string;
  try {
    text = decodeBytes(bytes).text;
  } catch (e) {
    throw new InputError(`${name}: ${(e as Error).message}`);
  }
  if (looksLikeHtml(name, text)) {
    const doc = parseHtml(text);
    const { elements: _elements, truncated: _truncated, ...result } = extractFromDocument(doc, url ?? urlFromComment(text));
    return result;
  }
  return extractFromText(text, url);
}
