// Message validation: the background acts only on well-formed requests, and content scripts only on page-facing ones.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { parseRequest, senderMayAsk, isExtractedDoc } from '../lib/messages/protocol';
import { extractFromText } from '../lib/extract/pipeline';

const seed = (prefix: string) => {
  const dir = path.resolve(__dirname, '../seeds');
  return fs.readFileSync(path.join(dir, fs.readdirSync(dir).find((f) => f.startsWith(prefix))!), 'utf8');
};

describe('parseRequest', () => {
  const doc = extractFromText(seed('001'), 'http://www.beijing.gov.cn/zhengce/zfwj/1.html');

  it('accepts a real extracted document for lookup and save', () => {
    expect(isExtractedDoc(doc)).toBe(true);
    expect(parseRequest({ type: 'save', doc })?.type).toBe('save');
    expect(parseRequest({ type: 'lookup', doc })?.type).toBe('lookup');
  });

  it('rejects malformed documents and unknown types', () => {
    expect(parseRequest(null)).toBeNull();
    expect(parseRequest('save')).toBeNull();
    expect(parseRequest({ type: 'drop-database' })).toBeNull();
    expect(parseRequest({ type: 'save', doc: { ...doc, text: 42 } })).toBeNull();
    expect(parseRequest({ type: 'save', doc: { ...doc, metadata: null } })).toBeNull();
    expect(parseRequest({ type: 'save', doc: { ...doc, detection: { kind: 'evil', site: 'x', signals: [] } } })).toBeNull();
    expect(parseRequest({ type: 'save', doc: { ...doc, citations: [{ start: 'a' }] } })).toBeNull();
    expect(parseRequest({ type: 'getPlan', planId: 'x'.repeat(1000) })).toBeNull();
  });

  it('clamps search options and drops bad filters', () => {
    const r = parseRequest({ type: 'search', query: '大数据', filters: { yearFrom: 'soon', issuers: ['北京市', 5], sites: 'beijing' }, limit: 1e9, offset: -3 });
    expect(r).toEqual({
      type: 'search',
      query: '大数据',
      filters: { issuers: ['北京市'], sites: undefined, kinds: undefined, yearFrom: null, yearTo: null },
      limit: 100,
      offset: 0,
    });
    expect(parseRequest({ type: 'search', query: 'x'.repeat(501), filters: {} })).toBeNull();
  });

  it('accepts import items by envelope only (transfer.ts validates them in depth)', () => {
    expect(parseRequest({ type: 'importItems', items: [{ name: 'a.html', doc }] })?.type).toBe('importItems');
    expect(parseRequest({ type: 'importItems', items: [{ name: 'a.html' }] })).toBeNull();
    expect(parseRequest({ type: 'importItems', items: 'all' })).toBeNull();
  });

  it('accepts syncStatus with nothing but its type', () => {
    expect(parseRequest({ type: 'syncStatus' })).toEqual({ type: 'syncStatus' });
    expect(parseRequest({ type: 'syncStatus', reset: true, planId: 'x' })).toEqual({ type: 'syncStatus' });
    expect(parseRequest({ type: 'SyncStatus' })).toBeNull();
  });
});

describe('senderMayAsk', () => {
  const tab = { fromExtensionPage: false, fromTab: true };
  const page = { fromExtensionPage: true, fromTab: false };
  it('lets a content script detect, look up, save and open a plan, nothing else', () => {
    for (const r of [{ type: 'detected' }, { type: 'lookup' }, { type: 'save' }, { type: 'openOverlay' }, { type: 'openPlan' }]) {
      expect(senderMayAsk(r as never, tab)).toBe(true);
    }
    for (const r of [{ type: 'deletePlan' }, { type: 'exportLibrary' }, { type: 'importItems' }, { type: 'listPlans' }, { type: 'search' }, { type: 'syncStatus' }]) {
      expect(senderMayAsk(r as never, tab)).toBe(false);
    }
  });
  it('lets extension pages do everything, and nobody else anything', () => {
    expect(senderMayAsk({ type: 'exportLibrary' }, page)).toBe(true);
    expect(senderMayAsk({ type: 'syncStatus' }, page)).toBe(true);
    expect(senderMayAsk({ type: 'save' } as never, { fromExtensionPage: false, fromTab: false })).toBe(false);
  });
});
