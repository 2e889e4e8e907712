// Tests for the panel's view model: metadata rows, the flattened outline and citation groups, on the real seeds.
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Clause } from '../lib/types';
import { extractFromText } from '../lib/extract/pipeline';
import { edited, seedDoc, SEED_FILES } from './support/docs';
import { SEEDS_DIR } from './support/paths';
import {
  citationGroups,
  clauseSummary,
  clip,
  countClauses,
  docKindKeys,
  flattenOutline,
  formatDate,
  metadataRows,
  percent,
  type CitationView,
  type RelatedView,
} from '../components/view-model';
import { MESSAGES } from '../lib/i18n/messages';

const walk = (cs: Clause[]): Clause[] => cs.flatMap((c) => [c, ...walk(c.children)]);

function view(index: number, fields: Partial<CitationView> = {}): CitationView {
  return { index, resolvedPlanId: null, resolvedTitle: null, self: false, alsoCitedBy: [], ...fields };
}

/** A related clause taken from another real seed. */
function relatedFrom(n: number, clause: Clause, score: number): RelatedView {
  const doc = seedDoc(n);
  return { planId: `plan-${n}`, planTitle: doc.metadata.title!, clauseId: clause.id, path: clause.path, text: clause.heading, score };
}

describe('small formatters', () => {
  it('formatDate keeps ISO dates, converts 年月日, and leaves anything else as written', () => {
    expect(formatDate('2016-12-01')).toBe('2016-12-01');
    expect(formatDate('2016年1月9日')).toBe('2016-01-09');
    expect(formatDate(' 2016-2-4 ')).toBe('2016-02-04');
    expect(formatDate('2016-02-30')).toBe('2016-02-30'); // not a date: shown as written, not "fixed"
    expect(formatDate('二〇一六年一月九日')).toBe('二〇一六年一月九日');
    expect(formatDate(null)).toBeNull();
    expect(formatDate('  ')).toBeNull();
    const hostile = '2016-'.repeat(20_000) + 'x';
    const t0 = Date.now();
    expect(formatDate(hostile)).toBe(hostile);
    expect(Date.now() - t0).toBeLessThan(200);
  });

  it('clip cuts at code points and marks the cut', () => {
    expect(clip('总体要求', 24)).toBe('总体要求');
    expect(clip('一二三四五六', 4)).toBe('一二三四…');
    const astral = '𪟝'.repeat(10);
    const out = clip(astral, 3);
    expect(out).toBe('𪟝𪟝𪟝…');
    expect(clip('a' + astral, 2)).toBe('a𪟝…');
  });

  it('percent clamps and rounds', () => {
    expect(percent(0.876)).toBe('88%');
    expect(percent(1.7)).toBe('100%');
    expect(percent(-1)).toBe('0%');
    expect(percent(Number.NaN)).toBe('0%');
  });

  it('docKindKeys names kind, genre and site, each with a message', () => {
    for (let n = 0; n < SEED_FILES.length; n++) {
      const { detection } = seedDoc(n);
      const keys = docKindKeys(detection);
      expect(keys[0]).toBe(`kind.${detection.kind}`);
      expect(keys.includes(`genre.${detection.genre}` as never)).toBe(detection.genre !== null);
      for (const k of keys) expect(MESSAGES['zh-CN'][k]).toBeTruthy();
    }
  });
});

describe('metadataRows', () => {
  it('lists every field a seed states, in reading order, with the normalized 文号 and its raw form', () => {
    const doc = seedDoc(0);
    const rows = metadataRows(doc.metadata);
    const m = doc.metadata;
    expect(rows.map((r) => r.field)).toEqual(['issuers', 'docNumber', 'written', 'published', 'topics', 'source', 'recipients', 'signature']);
    const num = rows.find((r) => r.field === 'docNumber')!;
    expect(num.values).toEqual([m.docNumber!.normalized]);
    expect(num.raw).toBe(m.docNumber!.raw); // 京政發〔2016〕57號 as written
    expect(num.raw).not.toBe(num.values[0]);
    expect(rows.find((r) => r.field === 'written')!.values).toEqual([m.dates.written]);
    expect(rows.find((r) => r.field === 'topics')!).toMatchObject({ values: m.topics, layout: 'path' });
    expect(rows.find((r) => r.field === 'recipients')!.values).toEqual(m.recipients);
    // NBSPs in 文件来源 fold to plain spaces for display.
    expect(rows.find((r) => r.field === 'source')!.values[0]).toBe(m.source!.replace(/\s+/g, ' '));
  });

  it('omits empty fields: a seed without a metadata block shows only what its text states', () => {
    const doc = seedDoc(2); // Shanghai: no 文号, no issuers
    const fields = metadataRows(doc.metadata).map((r) => r.field);
    expect(fields).not.toContain('docNumber');
    expect(fields).not.toContain('issuers');
    expect(fields).toContain('written');
    const blank = edited(doc, (d) => {
      d.metadata.recipients = ['', '  '];
      d.metadata.validity = ' ';
      d.metadata.signature = [];
      d.metadata.dates.written = null;
    });
    expect(metadataRows(blank.metadata)).toEqual([]);
  });

  it('shows no raw hint when the 文号 is already written in normalized form', () => {
    const doc = seedDoc(4); // 沈政办发〔2016〕23号
    const num = metadataRows(doc.metadata).find((r) => r.field === 'docNumber')!;
    expect(num.values[0]).toBe(doc.metadata.docNumber!.raw);
    expect(num.raw).toBeNull();
  });

  it('joint issuers, effective/repealed dates, validity and attachments appear when present', () => {
    const doc = edited(seedDoc(4), (d) => {
      d.metadata.jointIssuers = ['沈阳市人民政府'];
      d.metadata.dates.effective = '2016年2月4日';
      d.metadata.validity = '有效';
      d.metadata.attachments = ['沈阳市促进大数据发展三年行动计划(2016-2018年)'];
    });
    const rows = metadataRows(doc.metadata);
    expect(rows.find((r) => r.field === 'effective')!.values).toEqual(['2016-02-04']);
    expect(rows.find((r) => r.field === 'attachments')!.layout).toBe('list');
    expect(rows.map((r) => r.field)).toEqual(
      expect.arrayContaining(['jointIssuers', 'effective', 'validity', 'attachments']),
    );
  });
});

describe('flattenOutline', () => {
  it('keeps every clause once, in document order, with its depth', () => {
    for (let n = 0; n < SEED_FILES.length; n++) {
      const doc = seedDoc(n);
      const rows = flattenOutline(doc.clauses, {});
      const all = walk(doc.clauses);
      expect(rows.length).toBe(all.length);
      expect(countClauses(doc.clauses)).toBe(all.length);
      expect(rows.map((r) => r.id)).toEqual(all.map((c) => c.id));
      rows.forEach((r, i) => expect(r.depth).toBe(all[i].level));
      for (let i = 1; i < rows.length; i++) expect(all[i].start).toBeGreaterThan(all[i - 1].start);
    }
  });

  it('matches the pipeline output on the seeds as well', () => {
    for (const file of SEED_FILES) {
      const doc = extractFromText(readFileSync(path.join(SEEDS_DIR, file), 'utf8'));
      const rows = flattenOutline(doc.clauses, {});
      expect(rows.length).toBe(walk(doc.clauses).length);
      expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    }
  });

  it('summarises a clause by its heading, or the first 24 characters of its text', () => {
    const doc = seedDoc(1);
    const first = walk(doc.clauses)[0];
    expect(clauseSummary(first).summary).toBe(first.heading);
    const headless = { ...walk(doc.clauses)[1], heading: '' };
    const { summary, full } = clauseSummary(headless);
    const text = headless.text.replace(/\s+/g, ' ').trim();
    expect(text.length).toBeGreaterThan(24);
    expect(summary).toBe(Array.from(text).slice(0, 24).join('') + '…');
    expect(text.startsWith(full.replace(/…$/, ''))).toBe(true);
  });

  it('carries the responsibility note: lead departments as the chip', () => {
    const doc = seedDoc(1);
    const rows = flattenOutline(doc.clauses, {});
    const withNote = rows.filter((r) => r.responsibility);
    expect(withNote.length).toBeGreaterThan(0);
    for (const r of withNote) {
      expect(r.lead).toEqual(r.responsibility!.lead);
      expect(r.hasDetails).toBe(true);
    }
    expect(withNote[0].lead[0]).toBe('市金融局');
    expect(rows.filter((r) => !r.responsibility).every((r) => !r.hasDetails)).toBe(true);
  });

  it('attaches related clauses by id, best score first', () => {
    const doc = seedDoc(0);
    const other = walk(seedDoc(4).clauses);
    const target = walk(doc.clauses)[3];
    const related = { [target.id]: [relatedFrom(4, other[0], 0.41), relatedFrom(4, other[2], 0.9), relatedFrom(4, other[1], 0.41)] };
    const rows = flattenOutline(doc.clauses, related);
    const row = rows.find((r) => r.id === target.id)!;
    expect(row.related.map((r) => r.clauseId)).toEqual([other[2].id, other[0].id, other[1].id]);
    expect(row.hasDetails).toBe(true);
    expect(rows.filter((r) => r.related.length).length).toBe(1);
    // A key inherited from Object.prototype is not a clause.
    expect(flattenOutline(edited(doc, (d) => (d.clauses[0].id = 'constructor')).clauses, {})[0].related).toEqual([]);
  });

  it('stops at a bounded depth on a malformed, very deep tree instead of overflowing the stack', () => {
    const base = walk(seedDoc(1).clauses)[0];
    let deep: Clause = { ...base, children: [] };
    for (let i = 0; i < 50_000; i++) deep = { ...base, id: `d${i}`, children: [deep] };
    const rows = flattenOutline([deep], {});
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.length).toBeLessThan(100);
  });
});

describe('citationGroups', () => {
  it('groups the same document cited twice (seed 001 cites 国发〔2015〕40号 twice)', () => {
    const doc = seedDoc(1);
    const groups = citationGroups(doc, []);
    expect(groups.length).toBe(1);
    expect(groups[0].indices).toEqual([0, 1]);
    expect(groups[0].docNumber!.normalized).toBe(doc.citations[0].docNumber!.normalized);
    expect(groups[0].state).toBe('pending');
  });

  it('groups an alias with the full title and shows the full title', () => {
    const doc = seedDoc(3);
    const groups = citationGroups(doc, []);
    const alias = doc.citations.findIndex((c) => c.kind === 'alias');
    const group = groups.find((g) => g.indices.includes(alias))!;
    expect(group.indices.length).toBe(2);
    expect(group.title).toBe(doc.citations[alias].aliasOf);
    expect(group.aliasOf).toBeNull();
    expect(groups.length).toBe(doc.citations.length - 1);
    // Cited only by its alias: the alias is shown with what it stands for.
    const onlyAlias = edited(doc, (d) => (d.citations = d.citations.filter((c) => c.kind === 'alias')));
    const [g] = citationGroups(onlyAlias, []);
    expect(g.title).toBe('行动计划');
    expect(g.aliasOf).toBe(doc.citations[alias].aliasOf);
  });

  it('reports resolved, self and unresolved (with other citing plans) from the views', () => {
    const doc = seedDoc(0);
    const also = [{ planId: 'plan-3', title: seedDoc(3).metadata.title! }];
    const groups = citationGroups(doc, [
      view(0, { self: true, resolvedPlanId: 'plan-0', resolvedTitle: doc.metadata.title }),
      view(1, { alsoCitedBy: also }),
      view(2),
    ]);
    expect(groups.map((g) => g.state)).toEqual(['self', 'unresolved', 'unresolved']);
    expect(groups[1].alsoCitedBy).toEqual(also);
    expect(groups[2].alsoCitedBy).toEqual([]);
    const resolved = citationGroups(seedDoc(1), [
      view(0, { resolvedPlanId: 'plan-gf40', resolvedTitle: '国务院关于积极推进“互联网+”行动的指导意见' }),
      view(1, { resolvedPlanId: 'plan-gf40', resolvedTitle: '国务院关于积极推进“互联网+”行动的指导意见' }),
    ]);
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatchObject({ state: 'resolved', resolvedPlanId: 'plan-gf40', alsoCitedBy: [] });
  });

  it('a partial answer leaves the citations it does not cover pending', () => {
    const doc = seedDoc(0);
    const groups = citationGroups(doc, [view(1)]);
    expect(groups.map((g) => g.state)).toEqual(['pending', 'unresolved', 'pending']);
  });
});
