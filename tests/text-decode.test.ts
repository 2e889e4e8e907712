// Tests for decoding file bytes: BOMs, UTF-8, declared charsets, GB18030 vs Big5 sniffing, binary input.
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { BinaryInputError, decodeBytes, declaredCharset, encodeLegacy, normalizeCharset } from '../lib/text/decode';
import { GOVCN_DIR, HAS_GOVCN, SEEDS_DIR } from './support/paths';

const seeds = fs
  .readdirSync(SEEDS_DIR)
  .filter((f) => f.endsWith('.txt'))
  .sort()
  .map((f) => ({ name: f, text: fs.readFileSync(path.join(SEEDS_DIR, f), 'utf8') }));
const traditional = seeds.filter((s) => s.name.startsWith('000') || s.name.startsWith('002'));

const utf16be = (s: string): Uint8Array => {
  const le = new Uint8Array(Buffer.from(s, 'utf16le'));
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  return le;
};
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('encodeLegacy (test helper, built by inverting TextDecoder)', () => {
  it('round-trips every seed through GBK with the platform decoder', () => {
    const PUA = /[\ue000-\uf8ff]/;
    for (const { name, text } of seeds) {
      const { bytes, unencodable } = encodeLegacy(text, 'gb18030');
      expect(unencodable, name).toBeLessThan(10); // a few symbols have no two-byte GBK code
      const back = new TextDecoder('gb18030').decode(bytes);
      expect(back.length, name).toBe(text.length - countAstral(text));
      // Seed 002's mojibake holds PUA characters from ICU's 'gbk' table, which GB18030 (= WHATWG gbk)
      // reads as the real characters of the same bytes; everything else comes back unchanged.
      let differ = 0;
      for (let i = 0; i < text.length; i++) if (back[i] !== text[i] && !PUA.test(text[i]) && back[i] !== '?') differ++;
      expect(differ, name).toBe(0);
      if (unencodable === 0 && !PUA.test(text)) expect(back, name).toBe(text);
    }
  });

  it('round-trips the Traditional seeds through Big5 where Big5 has the characters', () => {
    for (const { name, text } of traditional) {
      const { bytes, unencodable } = encodeLegacy(text, 'big5');
      expect(unencodable / text.length, name).toBeLessThan(0.05);
      const back = new TextDecoder('big5').decode(bytes);
      const lines = text.split('\n');
      const backLines = back.split('\n');
      expect(backLines.length).toBe(lines.length);
      lines.forEach((l, i) => {
        if (encodeLegacy(l, 'big5').unencodable === 0) expect(backLines[i]).toBe(l);
      });
    }
  });
});

function countAstral(s: string): number {
  return s.length - [...s].length;
}

describe('decodeBytes: Unicode', () => {
  it('reads UTF-8 seeds as UTF-8 without BOM', () => {
    for (const { text } of seeds) expect(decodeBytes(ascii(text))).toEqual({ text, encoding: 'utf-8', bom: false });
  });

  it('strips and reports BOMs (UTF-8, UTF-16LE, UTF-16BE)', () => {
    const { text } = seeds[0];
    expect(decodeBytes(concat(new Uint8Array([0xef, 0xbb, 0xbf]), ascii(text)))).toEqual({ text, encoding: 'utf-8', bom: true });
    expect(decodeBytes(concat(new Uint8Array([0xff, 0xfe]), new Uint8Array(Buffer.from(text, 'utf16le'))))).toEqual({
      text,
      encoding: 'utf-16le',
      bom: true,
    });
    expect(decodeBytes(concat(new Uint8Array([0xfe, 0xff]), utf16be(text)))).toEqual({ text, encoding: 'utf-16be', bom: true });
  });

  it('recognises UTF-16 without BOM by where the zero bytes fall', () => {
    for (const { text } of seeds) {
      expect(decodeBytes(new Uint8Array(Buffer.from(text, 'utf16le')))).toEqual({ text, encoding: 'utf-16le', bom: false });
      expect(decodeBytes(utf16be(text)).encoding).toBe('utf-16be');
    }
  });

  it('accepts UTF-8 cut inside its last character', () => {
    const bytes = ascii(seeds[1].text.slice(0, 200));
    const r = decodeBytes(concat(bytes, ascii('政').subarray(0, 2))); // two of its three bytes
    expect(r.encoding).toBe('utf-8');
    expect(r.text.startsWith(seeds[1].text.slice(0, 200))).toBe(true);
  });

  it('prefers valid UTF-8 over a legacy <meta charset> (pages transcoded by their CMS)', () => {
    const html = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>${seeds[1].text}</body></html>`;
    const r = decodeBytes(ascii(html));
    expect(r.encoding).toBe('utf-8');
    expect(r.text).toBe(html);
  });
});

describe('decodeBytes: GB18030 / GBK vs Big5', () => {
  it('reads GBK-encoded seeds (Simplified and Traditional) as gb18030', () => {
    for (const { name, text } of seeds) {
      const { bytes } = encodeLegacy(text, 'gb18030');
      const r = decodeBytes(bytes);
      expect(r.encoding, name).toBe('gb18030');
      expect(r.text, name).toBe(new TextDecoder('gb18030').decode(bytes));
    }
  });

  it('reads Big5-encoded Traditional seeds as big5', () => {
    for (const { name, text } of traditional) {
      const { bytes } = encodeLegacy(text, 'big5');
      const r = decodeBytes(bytes);
      expect(r.encoding, name).toBe('big5');
      expect(r.text, name).toBe(new TextDecoder('big5').decode(bytes));
    }
  });

  it('tells the two apart on single lines as well', () => {
    let tried = 0;
    for (const { text } of traditional) {
      for (const line of text.split('\n').filter((l) => /[\u4e00-\u9fff]{8}/.test(l))) {
        const big5 = encodeLegacy(line, 'big5');
        const gbk = encodeLegacy(line, 'gb18030');
        if (big5.unencodable || gbk.unencodable) continue;
        tried++;
        expect(decodeBytes(big5.bytes).encoding, line).toBe('big5');
        expect(decodeBytes(gbk.bytes).encoding, line).toBe('gb18030');
      }
    }
    expect(tried).toBeGreaterThan(50);
  });

  it('honours <meta charset> and http-equiv declarations in the first 2 KB', () => {
    const body = seeds.find((s) => s.name.startsWith('002'))!.text.slice(0, 3000);
    const meta = `<!doctype html><html><head><meta charset="big5"><title>t</title></head><body>${body}</body></html>`;
    const enc = encodeLegacy(meta, 'big5').bytes;
    expect(declaredCharset(enc)).toBe('big5');
    expect(decodeBytes(enc).encoding).toBe('big5');
    const equiv = `<html><head><meta http-equiv="Content-Type" content="text/html; charset=GB2312" /></head><body>${body}</body></html>`;
    const gb = encodeLegacy(equiv, 'gb18030').bytes;
    expect(declaredCharset(gb)).toBe('GB2312');
    expect(decodeBytes(gb)).toEqual({ text: new TextDecoder('gb18030').decode(gb), encoding: 'gb18030', bom: false });
  });

  it('overrides a declaration that is plainly wrong, and honours a caller hint', () => {
    const simplified = seeds.find((s) => s.name.startsWith('004'))!.text.slice(0, 4000);
    const html = `<html><head><meta charset="big5"></head><body>${simplified}</body></html>`;
    const gb = encodeLegacy(html, 'gb18030').bytes;
    expect(decodeBytes(gb).encoding).toBe('gb18030'); // GBK bytes of Simplified text read as Big5 are nonsense
    const trad = encodeLegacy(traditional[0].text.slice(0, 4000), 'big5').bytes;
    expect(decodeBytes(trad, 'big5').encoding).toBe('big5');
    expect(decodeBytes(trad, 'x-unknown-charset').encoding).toBe('big5');
  });

  it('normalises charset labels to the encodings it returns', () => {
    expect(normalizeCharset('GB2312')).toBe('gb18030');
    expect(normalizeCharset('x-gbk')).toBe('gb18030');
    expect(normalizeCharset('Big5-HKSCS')).toBe('big5');
    expect(normalizeCharset('UTF8')).toBe('utf-8');
    expect(normalizeCharset('iso-8859-1')).toBeNull();
    expect(normalizeCharset('no-such-charset')).toBeNull();
  });
});

describe.skipIf(!HAS_GOVCN)('decodeBytes on gov.cn pages (../shared/fixtures/govcn)', () => {
  it('reads each page as UTF-8 and, re-encoded as GBK despite its utf-8 meta tag, as gb18030', () => {
    if (!HAS_GOVCN) return; // skipIf: fixtures absent in a bare clone
    const files = fs.readdirSync(GOVCN_DIR).filter((f) => f.endsWith('.html'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const raw = new Uint8Array(fs.readFileSync(path.join(GOVCN_DIR, f)));
      const text = new TextDecoder().decode(raw);
      expect(decodeBytes(raw).encoding, f).toBe('utf-8');
      const { bytes } = encodeLegacy(text, 'gb18030');
      const r = decodeBytes(bytes);
      expect(r.encoding, f).toBe('gb18030');
      expect(r.text, f).toBe(new TextDecoder('gb18030').decode(bytes));
    }
  });
});

describe('decodeBytes rejects binary input', () => {
  const rejects = (bytes: Uint8Array, what: RegExp): void => {
    let err: unknown;
    try {
      decodeBytes(bytes);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BinaryInputError);
    expect((err as Error).message).toMatch(/^binary file: /);
    expect((err as Error).message).toMatch(what);
  };

  it('rejects known formats by their magic bytes', () => {
    rejects(concat(ascii('%PDF-1.7\n'), ascii(seeds[1].text)), /PDF/);
    rejects(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), /PNG/);
    rejects(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 6, 0]), /ZIP/);
    rejects(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), /OLE/);
  });

  it('rejects NUL bytes and mostly-control bytes', () => {
    rejects(concat(ascii(seeds[1].text.slice(0, 100)), new Uint8Array([0]), ascii('x')), /NUL/);
    const noise = new Uint8Array(4000);
    for (let i = 0; i < noise.length; i++) noise[i] = (i * 7) % 32 || 1;
    rejects(noise, /control/);
  });

  it('handles empty and tiny input', () => {
    expect(decodeBytes(new Uint8Array())).toEqual({ text: '', encoding: 'utf-8', bom: false });
    expect(decodeBytes(ascii('a'))).toEqual({ text: 'a', encoding: 'utf-8', bom: false });
  });
});
