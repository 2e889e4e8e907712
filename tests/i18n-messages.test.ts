// Tests for the UI strings: locale choice, completeness of the three tables, placeholders and plurals.
import { describe, it, expect } from 'vitest';
import { Converter } from 'opencc-js/cn2t';
import { LOCALES, MESSAGES, isLocale, pickLocale, t, type MessageKey } from '../lib/i18n/messages';
import { toSimplifiedChars } from '../lib/text/script';

const KEYS = Object.keys(MESSAGES['zh-CN']) as MessageKey[];
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const HAN = /\p{Script=Han}/u;

describe('pickLocale', () => {
  it('maps Taiwan, Hong Kong, Macau and any Hant tag to zh-TW', () => {
    for (const tag of ['zh-TW', 'zh-HK', 'zh-MO', 'zh-Hant', 'zh-Hant-TW', 'zh-Hant-CN', 'zh_TW', 'ZH-tw', 'zh-hk']) {
      expect(pickLocale(tag), tag).toBe('zh-TW');
    }
  });
  it('maps other Chinese tags to zh-CN (an explicit Hans wins over the region)', () => {
    for (const tag of ['zh', 'zh-CN', 'zh-SG', 'zh-Hans', 'zh-Hans-HK', 'zh_CN', 'ZH']) {
      expect(pickLocale(tag), tag).toBe('zh-CN');
    }
  });
  it('maps everything else to English, including junk', () => {
    for (const tag of ['en-US', 'en', 'fr-FR', 'ja', 'zhx', '', '   ', 'x'.repeat(10_000)]) {
      expect(pickLocale(tag), tag.slice(0, 10)).toBe('en');
    }
    expect(pickLocale(undefined as unknown as string)).toBe('en');
  });
  it('isLocale accepts exactly the three locales', () => {
    expect(LOCALES.every(isLocale)).toBe(true);
    expect(isLocale('zh-HK')).toBe(false);
    expect(isLocale(null)).toBe(false);
  });
});

describe('message tables', () => {
  it('have the same keys in every locale, none empty but the empty site name', () => {
    for (const locale of LOCALES) {
      expect(Object.keys(MESSAGES[locale]).sort()).toEqual([...KEYS].sort());
      for (const key of KEYS) {
        if (key === 'site.none') continue;
        expect(MESSAGES[locale][key].trim(), `${locale} ${key}`).not.toBe('');
      }
    }
  });

  it('use the same placeholders in every translation (and plural forms agree)', () => {
    for (const locale of LOCALES) {
      for (const key of KEYS) {
        const forms = MESSAGES[locale][key].split('|');
        expect(forms.length, `${locale} ${key}`).toBeLessThanOrEqual(2);
        for (const form of forms) expect(placeholders(form), `${locale} ${key}`).toEqual(placeholders(MESSAGES['zh-CN'][key]));
      }
    }
  });

  it('write zh-CN in Simplified characters and zh-TW in Traditional ones', () => {
    const toTraditional = Converter({ from: 'cn', to: 'tw' });
    for (const key of KEYS) {
      const cn = MESSAGES['zh-CN'][key];
      const tw = MESSAGES['zh-TW'][key];
      expect(toSimplifiedChars(cn), `zh-CN ${key}`).toBe(cn);
      // Every character of the Taiwan string is already Traditional (cn→tw leaves it alone).
      for (const ch of tw) if (HAN.test(ch)) expect(toTraditional(ch), `zh-TW ${key}: ${ch}`).toBe(ch);
    }
    // And the product names really differ in script, not just in the key table.
    expect(t('zh-TW', 'app.name')).not.toBe(t('zh-CN', 'app.name'));
  });

  it('use Taiwan wording for the main labels, not a character swap', () => {
    // A pure character conversion of the Simplified label would give 保存到文庫 / 元數據.
    const swap = Converter({ from: 'cn', to: 't' });
    expect(t('zh-TW', 'save.idle')).not.toBe(swap(t('zh-CN', 'save.idle')));
    expect(t('zh-TW', 'section.metadata')).not.toBe(swap(t('zh-CN', 'section.metadata')));
  });

  it('English has no Han characters except inside 《》 quotes', () => {
    for (const key of KEYS) {
      const en = MESSAGES.en[key].replace(/《[^》]*》/g, '');
      expect(HAN.test(en), key).toBe(false);
    }
  });
});

describe('t', () => {
  it('looks the key up in the requested locale', () => {
    expect(t('zh-CN', 'save.idle')).toBe(MESSAGES['zh-CN']['save.idle']);
    expect(t('zh-TW', 'save.idle')).toBe(MESSAGES['zh-TW']['save.idle']);
    expect(t('en', 'save.idle')).toBe(MESSAGES.en['save.idle']);
    expect(new Set(LOCALES.map((l) => t(l, 'meta.docNumber'))).size).toBe(3);
  });

  it('substitutes params once, leaving unknown placeholders and braces in values alone', () => {
    const raw = '京政發〔2016〕57號';
    expect(t('zh-CN', 'meta.docNumberRaw', { raw })).toBe(MESSAGES['zh-CN']['meta.docNumberRaw'].replace('{raw}', raw));
    expect(t('zh-CN', 'meta.docNumberRaw', { raw: '{raw}{count}' })).toContain('{raw}{count}');
    expect(t('zh-CN', 'meta.docNumberRaw', { other: 1 })).toContain('{raw}');
    expect(t('zh-CN', 'meta.docNumberRaw')).toContain('{raw}');
  });

  it('chooses English plural forms by count; Chinese has one form', () => {
    expect(t('en', 'outline.relatedCount', { count: 1 })).toBe('1 related clause');
    expect(t('en', 'outline.relatedCount', { count: 3 })).toBe('3 related clauses');
    expect(t('en', 'outline.relatedCount', { count: 0 })).toBe('0 related clauses');
    expect(t('zh-CN', 'outline.relatedCount', { count: 1 })).not.toContain('|');
    expect(t('zh-CN', 'outline.relatedCount', { count: 3 })).toContain('3');
  });
});
