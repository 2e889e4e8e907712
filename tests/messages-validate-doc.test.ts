// Deep validation of documents content scripts send (lib/messages/validate-doc.ts, wired into protocol.ts):
// every real extraction passes, as sent and after a structured clone or JSON round trip; forged ones are
// refused with a reason naming what is wrong.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { extractFromDocument, extractFromText } from '../lib/extract/pipeline';
import { checkExtractedDoc, DOC_LIMITS } from '../lib/messages/validate-doc';
import { checkRequest, parseRequest } from '../lib/messages/protocol';
import { pageForSeed } from '../scripts/site-templates';
import { LIGHT_KINDS, Rng, mutatePage } from './support/mutate';
import type { Clause, ExtractedDoc } from '../lib/types';
import { GOVCN_DIR, HAS_GOVCN, PAGES_DIR, SEEDS_DIR } from './support/paths';

const seedFiles = fs.readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.txt'));
const seedText = (f: string) => fs.readFileSync(path.join(SEEDS_DIR, f), 'utf8');

/** What the overlay sends: the page's extraction without its element list and truncation flag. */
function fromPage(html: string, url: string): ExtractedDoc {
  const { elements: _elements, truncated: _truncated, ...doc } = extractFromDocument(parseHTML(html).document as unknown as Document, url);
  return doc;
}

const clone = <T,>(v: T): T => structuredClone(v);
const json = <T,>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Seed 001 as its site's page, as the overlay extracts it: the document the corruptions start from. */
const base = (() => {
  const f = seedFiles.find((x) => x.startsWith('001'))!;
  const page = pageForSeed(f, seedText(f));
  return fromPage(page.html, page.url);
})();

/** A deep copy of the base document with one change made to it. */
function forged(change: (d: ExtractedDoc & Record<string, unknown>) => void): unknown {
  const d = clone(base) as ExtractedDoc & Record<string, unknown>;
  change(d);
  return d;
}

/** The first clause with children, and its first child. */
function parentAndChild(d: ExtractedDoc): [Clause, Clause] {
  const parent = d.clauses.find((c) => c.children.length > 0)!;
  return [parent, parent.children[0]];
}

/** A chain of `depth` clauses, each the only child of the one before, over the first clause's span. */
function chain(d: ExtractedDoc, depth: number): Clause {
  const first = d.clauses[0];
  let node: Clause | null = null;
  for (let k = depth; k >= 1; k--) {
    node = {
      ...first,
      id: Array.from({ length: Math.min(k, 40) }, () => '1').join('.'),
      level: k,
      path: Array.from({ length: Math.min(k, 40) }, () => '一、'),
      text: '',
      responsibility: null,
      children: node ? [node] : [],
    };
  }
  return node!;
}

describe('real documents pass', () => {
  it.each(seedFiles)('seed %s: from its text, and as its site page', (f) => {
    const fromText = extractFromText(seedText(f), null);
    expect(checkExtractedDoc(fromText)).toBeNull();
    const page = pageForSeed(f, seedText(f));
    const doc = fromPage(page.html, page.url);
    expect(doc.text.length).toBeGreaterThan(1000);
    expect(checkExtractedDoc(doc)).toBeNull();
    expect(parseRequest({ type: 'save', doc })?.type).toBe('save');
  });

  it.each(fs.readdirSync(PAGES_DIR).filter((d) => fs.existsSync(path.join(PAGES_DIR, d, 'source.html'))))('tests/pages/%s', (name) => {
    const doc = fromPage(fs.readFileSync(path.join(PAGES_DIR, name, 'source.html'), 'utf8'), `https://www.gov.cn/zhengce/${name}.html`);
    expect(checkExtractedDoc(doc)).toBeNull();
  });

  it('after a structured clone and a JSON round trip (how messages travel)', () => {
    expect(base.clauses.length).toBeGreaterThan(3);
    expect(base.metadata.docNumber?.normalized).toBe('京政发〔2016〕4号');
    expect(checkExtractedDoc(clone(base))).toBeNull();
    expect(checkExtractedDoc(json(base))).toBeNull();
    expect(checkRequest(json({ type: 'lookup', doc: base }))).toEqual({ request: { type: 'lookup', doc: json(base) } });
  });

  it('hostile but real pages: mutants of the seeds (markup in metadata, control chars, tag soup…) as html and text', () => {
    const rng = new Rng(20240607);
    const refused: string[] = [];
    let count = 0;
    for (const f of seedFiles) {
      const page = pageForSeed(f, seedText(f));
      for (let n = 0; n < 12; n++) {
        for (const form of ['html', 'text'] as const) {
          const m = mutatePage(f, n, form === 'html' ? page.html : seedText(f), form, rng, { kinds: LIGHT_KINDS });
          const doc = form === 'html' ? fromPage(m.page, page.url) : extractFromText(m.page, null);
          const r = checkExtractedDoc(doc);
          count++;
          if (r) refused.push(`${m.id}: ${r}`);
        }
      }
    }
    expect(count).toBe(seedFiles.length * 24);
    expect(refused).toEqual([]);
  });

  it('a clause tree exactly as deep as the limit', () => {
    const d = clone(base);
    d.clauses = [chain(d, DOC_LIMITS.depth)];
    expect(checkExtractedDoc(d)).toBeNull();
  });
});

describe.skipIf(!HAS_GOVCN)(`gov.cn fixtures pass${HAS_GOVCN ? '' : ' (skipped: /work/shared/fixtures/govcn absent)'}`, () => {
  const files = HAS_GOVCN ? fs.readdirSync(GOVCN_DIR).filter((f) => f.endsWith('.html')) : [];
  it.each(files)('%s', (f) => {
    const doc = fromPage(fs.readFileSync(path.join(GOVCN_DIR, f), 'utf8'), `https://www.gov.cn/zhengce/content/${f}`);
    expect(checkExtractedDoc(doc)).toBeNull();
  });
});

describe('forged documents are refused with a reason', () => {
  const L = base.text.length;
  const cases: Array<[string, unknown, RegExp]> = [
    ['not an object', 'doc', /^doc must be an object, got a string/],
    ['text of the wrong type', forged((d) => ((d as Record<string, unknown>).text = 42)), /^doc\.text must be a string, got 42/],
    ['a title that is a number', forged((d) => ((d.metadata as unknown as Record<string, unknown>).title = 5)), /^doc\.metadata\.title must be a string/],
    ['an issuer that is an object', forged((d) => (d.metadata.issuers as unknown[]).push({})), /^doc\.metadata\.issuers\[1\] must be a string/],
    ['a date that is not ISO', forged((d) => (d.metadata.dates.written = '2016年1月9日')), /^doc\.metadata\.dates\.written must be a YYYY-MM-DD date/],
    ['a 文号 year as a string', forged((d) => ((d.metadata.docNumber as unknown as Record<string, unknown>).year = '2016')), /^doc\.metadata\.docNumber\.year must be an integer/],
    ['an empty normalized 文号', forged((d) => (d.metadata.docNumber!.normalized = '')), /docNumber\.normalized must not be empty/],
    ['an unknown page kind', forged((d) => ((d.detection as unknown as Record<string, unknown>).kind = 'evil')), /^doc\.detection\.kind must be one of/],
    ['a score above 1', forged((d) => (d.detection.score = 7)), /^doc\.detection\.score must be a number in 0\.\.1/],
    ['a clause ending past the text', forged((d) => (d.clauses[0].end = L + 1)), new RegExp(`^doc\\.clauses\\[0\\]\\.end is ${L + 1}, outside`)],
    ['a clause ending before it starts', forged((d) => (d.clauses[1].end = d.clauses[1].start - 1)), /^doc\.clauses\[1\]\.end is \d+, outside/],
    ['a fractional offset', forged((d) => (d.clauses[0].start += 0.5)), /^doc\.clauses\[0\]\.start must be an integer/],
    [
      'a child outside its parent',
      forged((d) => {
        const [parent, child] = parentAndChild(d);
        child.end = parent.end + 1;
      }),
      /\.children\[0\]\.end is \d+, outside \d+\.\.\d+/,
    ],
    ['a level that is not its depth', forged((d) => (parentAndChild(d)[1].level = 1)), /\.children\[0\]\.level is 1, outside 2\.\.2/],
    ['a clause without an id', forged((d) => (d.clauses[0].id = '')), /^doc\.clauses\[0\]\.id must not be empty/],
    ['a clause kind made up', forged((d) => ((d.clauses[0] as unknown as Record<string, unknown>).kind = 'section; drop')), /^doc\.clauses\[0\]\.kind must be one of/],
    ['a block index past the blocks', forged((d) => (d.clauses[0].block = d.blocks.length)), /^doc\.clauses\[0\]\.block is \d+, outside/],
    ['a clause missing its children', forged((d) => delete (d.clauses[0] as Partial<Clause>).children), /^doc\.clauses\[0\]\.children is missing/],
    ['a citation starting before the text', forged((d) => (d.citations[0].start = -1)), /^doc\.citations\[0\]\.start is -1, outside/],
    ['a citation ending past the text', forged((d) => (d.citations[0].end = L + 100)), /^doc\.citations\[0\]\.end is \d+, outside/],
    ['a block whose text is not its span', forged((d) => (d.blocks[0].text += '伪造')), /^doc\.blocks\[0\]\.text is \d+ characters long|^doc\.blocks\[0\]\.text is \d+ characters for a span/],
    ['a flag of an unknown kind', forged((d) => d.flags.push({ kind: 'bogus' as 'markup-removed', start: 0, end: 1, detail: '' })), /^doc\.flags\[0\]\.kind must be one of/],
    ['an unknown field carrying a payload', forged((d) => (d.payload = 'x'.repeat(1_000_000))), /^doc has an unknown field "payload"/],
    ['a symbol-free class instance', forged((d) => ((d as Record<string, unknown>).detection = new (class Detection { kind = 'policy' })())), /^doc\.detection must be a plain object/],
  ];
  it.each(cases)('%s', (_name, doc, reason) => {
    const r = checkExtractedDoc(doc);
    expect(r).toMatch(reason);
    // The same document in a request: parseRequest drops it, checkRequest names the problem.
    expect(parseRequest({ type: 'save', doc })).toBeNull();
    expect(checkRequest({ type: 'save', doc })).toEqual({ type: 'save', error: `save refused: ${r}` });
  });

  it('__proto__ and constructor keys, as JSON.parse and structured clone deliver them', () => {
    const withProto = json(base) as unknown as Record<string, Record<string, unknown>>;
    const polluted = JSON.parse('{"__proto__": {"isAdmin": true}}') as Record<string, unknown>;
    expect(Object.keys(polluted)).toEqual(['__proto__']);
    withProto.metadata = { ...withProto.metadata, ...polluted };
    expect(checkExtractedDoc(withProto)).toBe('doc.metadata has a forbidden key "__proto__"');
    const inClause = clone(base) as unknown as { clauses: Array<Record<string, unknown>> };
    Object.defineProperty(inClause.clauses[2], 'constructor', { value: { prototype: { polluted: true } }, enumerable: true });
    expect(checkExtractedDoc(clone(inClause))).toBe('doc.clauses[2] has a forbidden key "constructor"');
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('a 10,000-deep clause chain, without overflowing the stack', () => {
    const d = clone(base);
    d.clauses = [chain(d, 10_000)];
    const started = performance.now();
    const r = checkExtractedDoc(d);
    expect(r).toMatch(/^doc\.clauses\[0\](\.children\[0\]){32} is nested 33 deep \(at most 32\)$/);
    expect(performance.now() - started).toBeLessThan(1000);
    // In a request (no clone here: Node's structuredClone itself overflows at this depth).
    expect(checkRequest({ type: 'lookup', doc: d })).toMatchObject({ type: 'lookup', error: expect.stringContaining('nested 33 deep') });
  });

  it('huge strings and counts', () => {
    const huge = (n: number) => '政'.repeat(n);
    expect(checkExtractedDoc(forged((d) => (d.text = huge(DOC_LIMITS.text + 1))))).toBe(`doc.text is ${DOC_LIMITS.text + 1} characters long (at most ${DOC_LIMITS.text})`);
    expect(checkExtractedDoc(forged((d) => (d.metadata.title = huge(5000))))).toMatch(/^doc\.metadata\.title is 5000 characters long \(at most 1000\)/);
    expect(checkExtractedDoc(forged((d) => (d.detection.signals = Array.from({ length: 201 }, () => 'host:x'))))).toMatch(/^doc\.detection\.signals has 201 entries/);
    expect(checkExtractedDoc(forged((d) => (d.url = `https://www.gov.cn/${'a'.repeat(5000)}`)))).toMatch(/^doc\.url is \d+ characters long/);
    // A clause's own text longer than its span.
    expect(checkExtractedDoc(forged((d) => (d.clauses[0].text = huge(d.clauses[0].end - d.clauses[0].start + 1))))).toMatch(/^doc\.clauses\[0\]\.text is \d+ characters long/);
    // Many clauses each repeating the whole text: within every span, but more text than the document has.
    const repeated = forged((d) => {
      const whole = { ...d.clauses[0], start: 0, end: d.text.length, text: d.text, children: [] };
      d.clauses = [whole, { ...whole, id: '2' }];
    });
    expect(checkExtractedDoc(repeated)).toBe("doc.clauses together hold more text than the document's text");
    const one = base.citations[0];
    expect(checkExtractedDoc(forged((d) => (d.citations = Array.from({ length: DOC_LIMITS.citations + 1 }, () => one)))))
      .toBe(`doc.citations has ${DOC_LIMITS.citations + 1} entries (at most ${DOC_LIMITS.citations})`);
  });

  it('a document whose fields throw when read', () => {
    const trap = new Proxy(clone(base), { ownKeys: () => { throw new Error('boom'); } });
    expect(checkExtractedDoc(trap)).toBe('doc could not be read (Error)');
  });
});

describe('checkRequest', () => {
  it('names the bad document field for every request that carries one', () => {
    const bad = forged((d) => (d.citations[0].end = base.text.length + 1));
    const selector = { quote: '大数据', prefix: '', suffix: '', start: 0, end: 3 };
    for (const type of ['lookup', 'save'] as const) {
      expect(checkRequest({ type, doc: bad })).toEqual({ type, error: expect.stringMatching(new RegExp(`^${type} refused: doc\\.citations\\[0\\]\\.end is`)) });
    }
    expect(checkRequest({ type: 'createHighlight', planId: null, doc: bad, url: null, selector, clauseId: null })).toMatchObject({
      error: expect.stringMatching(/^createHighlight refused: doc\.citations\[0\]\.end/),
    });
    // A highlight on a saved plan carries no document.
    expect(checkRequest({ type: 'createHighlight', planId: 'p1', doc: null, url: null, selector, clauseId: null })?.request?.type).toBe('createHighlight');
    expect(checkRequest({ type: 'createHighlight', planId: null, doc: base, url: null, selector, clauseId: null })?.request?.type).toBe('createHighlight');
  });

  it('is silent for what is not a request, and says when a known request is malformed otherwise', () => {
    expect(checkRequest(null)).toBeNull();
    expect(checkRequest({ type: 'highlights-changed', planId: 'x' })).toBeNull();
    expect(checkRequest({ type: 'getPlan', planId: 5 })).toEqual({ type: 'getPlan', error: 'getPlan refused: malformed request' });
    expect(checkRequest({ type: 'getPlan', planId: 'p1' })).toEqual({ request: { type: 'getPlan', planId: 'p1' } });
  });
});
