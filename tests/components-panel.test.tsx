// @vitest-environment happy-dom
// Tests for the side panel rendered with Preact in happy-dom, on documents built from the real seeds.
import { describe, it, expect, vi, afterEach } from 'vitest';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import type { Clause, ExtractedDoc } from '../lib/types';
import { Panel } from '../components/Panel';
import { PANEL_CSS } from '../components/panel-styles';
import { countClauses, metadataRows, percent, type CitationView, type PanelProps, type RelatedView } from '../components/view-model';
import { LOCALES, t } from '../lib/i18n/messages';
import { edited, seedDoc, SEED_FILES } from './support/docs';

const walk = (cs: Clause[]): Clause[] => cs.flatMap((c) => [c, ...walk(c.children)]);
const HOSTILE = '<img src=x onerror=alert(1)>';

let host: HTMLElement | null = null;

afterEach(() => {
  if (host) render(null, host);
  host?.remove();
  host = null;
});

function props(doc: ExtractedDoc, over: Partial<PanelProps> = {}): PanelProps {
  return {
    doc,
    citations: [],
    related: {},
    locale: 'zh-CN',
    savedPlanId: null,
    saving: false,
    currentClauseId: null,
    collapsed: false,
    mode: 'page',
    status: null,
    onToggle: vi.fn(),
    onSave: vi.fn(),
    onSelectClause: vi.fn(),
    onOpenPlan: vi.fn(),
    onSelectCitation: vi.fn(),
    ...over,
  };
}

/** Renders the panel into a shadow root, as the content script does. */
function mount(p: PanelProps): ShadowRoot {
  host ??= document.createElement('div');
  document.body.append(host);
  const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  act(() => render(<Panel {...p} />, root));
  return root;
}

const all = (root: ParentNode, testid: string) => [...root.querySelectorAll<HTMLElement>(`[data-testid="${testid}"]`)];
const one = (root: ParentNode, testid: string) => {
  const found = all(root, testid);
  expect(found, testid).toHaveLength(1);
  return found[0];
};
const click = (el: Element) => act(() => (el as HTMLElement).click());

function relatedFrom(n: number, clause: Clause, score: number): RelatedView {
  const doc = seedDoc(n);
  return { planId: `plan-${n}`, planTitle: doc.metadata.title!, clauseId: clause.id, path: clause.path, text: clause.text || clause.heading, score };
}

describe('Panel: metadata', () => {
  it('shows the title and every metadata field of the seed, the raw 文号 on hover', () => {
    const doc = seedDoc(0);
    const root = mount(props(doc));
    const card = one(root, 'pl-metadata');
    expect(card.querySelector('[data-field="title"]')!.textContent).toBe(doc.metadata.title);
    const rows = metadataRows(doc.metadata);
    expect(card.querySelectorAll('.pl-meta-row')).toHaveLength(rows.length);
    for (const row of rows) {
      const el = card.querySelector(`[data-field="${row.field}"]`)!;
      expect(el.querySelector('dt')!.textContent).toBe(t('zh-CN', row.label));
      for (const v of row.values) expect(el.querySelector('dd')!.textContent).toContain(v);
    }
    // 主送机关 values contain 、 themselves (市政府各委、办、局): whole values are set apart with ,.
    expect(card.querySelector('[data-field="recipients"] dd')!.textContent).toBe(doc.metadata.recipients.join(t('zh-CN', 'list.separatorWide')));
    expect(doc.metadata.recipients.some((r) => r.includes('、'))).toBe(true);
    const num = card.querySelector('[data-field="docNumber"] dd')!;
    expect(num.textContent).toBe(doc.metadata.docNumber!.normalized);
    expect(num.getAttribute('title')).toContain(doc.metadata.docNumber!.raw);
    expect(card.querySelector('[data-field="validity"]')).toBeNull(); // not stated by the page: omitted
  });

  it('lists attachments as a list', () => {
    const doc = edited(seedDoc(4), (d) => {
      d.metadata.attachments = ['沈阳市促进大数据发展三年行动计划(2016-2018年)', '国务院关于印发促进大数据发展行动纲要的通知'];
    });
    const root = mount(props(doc));
    const items = one(root, 'pl-metadata').querySelectorAll('[data-field="attachments"] li');
    expect([...items].map((li) => li.textContent)).toEqual(doc.metadata.attachments);
  });
});

describe('Panel: outline', () => {
  it('has one outline item per clause for every seed, indented by depth', () => {
    for (let n = 0; n < SEED_FILES.length; n++) {
      const doc = seedDoc(n);
      const root = mount(props(doc));
      const items = all(root, 'pl-outline-item');
      const clauses = walk(doc.clauses);
      expect(items.length, SEED_FILES[n]).toBe(countClauses(doc.clauses));
      expect(items.map((li) => li.dataset.clauseId)).toEqual(clauses.map((c) => c.id));
      items.forEach((li, i) => expect(li.classList.contains(`pl-depth-${Math.min(clauses[i].level, 6)}`)).toBe(true));
      if (!clauses.length) expect(all(root, 'pl-outline')).toHaveLength(0);
    }
  });

  it('calls onSelectClause with the clause id on click, and marks the current clause', () => {
    const doc = seedDoc(4);
    const clauses = walk(doc.clauses);
    const target = clauses[clauses.length - 1];
    const p = props(doc, { currentClauseId: target.id });
    const root = mount(p);
    const item = all(root, 'pl-outline-item').find((li) => li.dataset.clauseId === target.id)!;
    const button = item.querySelector('.pl-clause')!;
    expect(button.textContent).toBe(target.label + target.heading);
    click(button);
    expect(p.onSelectClause).toHaveBeenCalledWith(target.id);
    const current = root.querySelectorAll('[aria-current]');
    expect(current).toHaveLength(1);
    expect(current[0].closest('li')!.dataset.clauseId).toBe(target.id);
  });

  it('shows the lead department chip and, disclosed, all departments of the note', () => {
    const doc = seedDoc(1);
    const clause = walk(doc.clauses).find((c) => c.responsibility)!;
    const root = mount(props(doc));
    const item = all(root, 'pl-outline-item').find((li) => li.dataset.clauseId === clause.id)!;
    expect(item.querySelector('.pl-chip-lead')!.textContent).toBe(clause.responsibility!.lead[0]);
    const disclosure = item.querySelector('button[aria-expanded]')!;
    expect(disclosure.getAttribute('aria-expanded')).toBe('false');
    expect(item.querySelector('.pl-details')).toBeNull();
    click(disclosure);
    const again = all(root, 'pl-outline-item').find((li) => li.dataset.clauseId === clause.id)!;
    expect(again.querySelector('button[aria-expanded]')!.getAttribute('aria-expanded')).toBe('true');
    const details = again.querySelector('.pl-details')!;
    expect(again.querySelector('button[aria-expanded]')!.getAttribute('aria-controls')).toBe(details.id);
    expect(details.querySelector('[data-field="lead"] dd')!.textContent).toBe(clause.responsibility!.lead.join('、'));
    expect(details.querySelector('[data-field="responsible"] dd')!.textContent).toBe(clause.responsibility!.responsible.join('、'));
    expect(details.querySelector('[data-field="cooperating"]')).toBeNull(); // the note names none
    // Clauses with nothing to disclose have no disclosure button.
    const plain = all(root, 'pl-outline-item').find((li) => li.dataset.clauseId !== clause.id)!;
    expect(plain.querySelector('button[aria-expanded]')).toBeNull();
  });

  it('shows the related count badge and, disclosed, the related clauses best first, each opening its plan', () => {
    const doc = seedDoc(0);
    const target = walk(doc.clauses)[2];
    const other = walk(seedDoc(4).clauses);
    const related = { [target.id]: [relatedFrom(4, other[1], 0.62), relatedFrom(4, other[4], 0.875)] };
    const p = props(doc, { related });
    const root = mount(p);
    const badges = all(root, 'pl-related-count');
    expect(badges).toHaveLength(1);
    expect(badges[0].textContent).toBe('2');
    expect(badges[0].getAttribute('aria-label')).toBe(t('zh-CN', 'outline.relatedCount', { count: 2 }));
    const item = badges[0].closest('li')!;
    expect(item.dataset.clauseId).toBe(target.id);
    click(item.querySelector('button[aria-expanded]')!);
    const rows = all(root, 'pl-related-item');
    expect(rows.map((r) => r.dataset.clauseId)).toEqual([other[4].id, other[1].id]);
    const best = rows[0];
    expect(best.querySelector('.pl-related-plan')!.textContent).toBe(seedDoc(4).metadata.title);
    expect(best.querySelector('.pl-related-path')!.textContent).toBe(other[4].path.join(' '));
    expect(best.querySelector('.pl-score')!.textContent).toBe(percent(0.875));
    expect(best.querySelector('.pl-related-text')!.textContent!.length).toBeGreaterThan(0);
    click(best.querySelector('button')!);
    expect(p.onOpenPlan).toHaveBeenCalledWith('plan-4', other[4].id);
    // Collapsing again hides the list.
    click(item.querySelector('button[aria-expanded]')!);
    expect(all(root, 'pl-related-item')).toHaveLength(0);
  });
});

describe('Panel: citations', () => {
  it('shows resolved citations as links to the saved plan', () => {
    const doc = seedDoc(1);
    const title = doc.citations[0].title!;
    const views: CitationView[] = doc.citations.map((_, index) => ({ index, resolvedPlanId: 'plan-gf40', resolvedTitle: title, self: false, alsoCitedBy: [] }));
    const p = props(doc, { citations: views });
    const root = mount(p);
    const [cite] = all(root, 'pl-citation'); // cited twice: one entry, two occurrences
    expect(all(root, 'pl-citation')).toHaveLength(1);
    expect(cite.dataset.resolved).toBe('true');
    expect(cite.querySelector('.pl-cite-title')!.textContent).toBe(`《${title}》`);
    expect(cite.querySelector('.pl-cite-number')!.textContent).toBe(doc.citations[0].docNumber!.normalized);
    expect(cite.textContent).not.toContain(t('zh-CN', 'citations.unresolved'));
    click(cite.querySelector('.pl-link')!);
    expect(p.onOpenPlan).toHaveBeenCalledWith('plan-gf40');
    click(cite.querySelector('.pl-cite-text')!);
    expect(p.onSelectCitation).toHaveBeenLastCalledWith(0);
    click(cite.querySelector('.pl-occurrence')!);
    expect(p.onSelectCitation).toHaveBeenLastCalledWith(1);
  });

  it('marks unresolved citations 未收录 with the saved plans that cite them too, and self-citations 本文件', () => {
    const doc = seedDoc(0);
    const citing = seedDoc(3);
    const views: CitationView[] = [
      { index: 0, resolvedPlanId: null, resolvedTitle: null, self: true, alsoCitedBy: [] },
      { index: 1, resolvedPlanId: null, resolvedTitle: null, self: false, alsoCitedBy: [{ planId: 'plan-3', title: citing.metadata.title! }] },
      { index: 2, resolvedPlanId: null, resolvedTitle: null, self: false, alsoCitedBy: [] },
    ];
    const p = props(doc, { citations: views });
    const root = mount(p);
    const cites = all(root, 'pl-citation');
    expect(cites.map((c) => c.dataset.resolved)).toEqual(['false', 'false', 'false']);
    expect(cites[0].textContent).toContain(t('zh-CN', 'citations.self'));
    expect(cites[0].textContent).not.toContain(t('zh-CN', 'citations.unresolved'));
    expect(cites[1].textContent).toContain(t('zh-CN', 'citations.unresolved'));
    expect(cites[1].textContent).toContain(t('zh-CN', 'citations.alsoCitedBy', { count: 1 }));
    const also = cites[1].querySelectorAll('.pl-also li');
    expect(also).toHaveLength(1);
    expect(also[0].textContent).toBe(citing.metadata.title);
    click(also[0].querySelector('button')!);
    expect(p.onOpenPlan).toHaveBeenCalledWith('plan-3');
    expect(cites[2].querySelector('.pl-also')).toBeNull();
    expect(cites[2].querySelector('.pl-cite-title')!.textContent).toBe(`《${doc.citations[2].title}》`);
    click(cites[2].querySelector('.pl-cite-text')!);
    expect(p.onSelectCitation).toHaveBeenCalledWith(2);
  });

  it('while the library lookup runs, lists the citations without a verdict', () => {
    const doc = seedDoc(0);
    const root = mount(props(doc, { citations: [] }));
    expect(all(root, 'pl-citation')).toHaveLength(doc.citations.length);
    expect(root.textContent).toContain(t('zh-CN', 'citations.loading'));
    expect(root.textContent).not.toContain(t('zh-CN', 'citations.unresolved'));
  });
});

describe('Panel: header, states, locale', () => {
  it('Save button: idle, saving, saved; hidden in reader mode', () => {
    const doc = seedDoc(4);
    const p = props(doc);
    let root = mount(p);
    let save = one(root, 'pl-save');
    expect(save.textContent).toBe('保存到文库');
    click(save);
    expect(p.onSave).toHaveBeenCalledTimes(1);
    root = mount(props(doc, { saving: true }));
    save = one(root, 'pl-save');
    expect(save.textContent).toBe('保存中…');
    expect((save as HTMLButtonElement).disabled).toBe(true);
    root = mount(props(doc, { savedPlanId: 'plan-4' }));
    expect(one(root, 'pl-save').textContent).toBe('已保存');
    root = mount(props(doc, { mode: 'reader', savedPlanId: 'plan-4' }));
    expect(all(root, 'pl-save')).toHaveLength(0);
    expect(all(root, 'pl-outline-item').length).toBe(countClauses(doc.clauses));
  });

  it('names the document kind and site in the header and shows the status message', () => {
    const doc = seedDoc(4);
    const root = mount(props(doc, { status: '已保存到文库' }));
    const kind = root.querySelector('.pl-kind')!.textContent!;
    expect(kind).toContain(t('zh-CN', 'kind.policy'));
    expect(kind).toContain(t('zh-CN', 'site.shenyang'));
    expect(root.querySelector('[role="status"]')!.textContent).toBe('已保存到文库');
  });

  it('switching locale changes the strings', () => {
    const doc = seedDoc(0);
    const seen = new Map<string, string>();
    for (const locale of LOCALES) {
      const root = mount(props(doc, { locale }));
      const titles = [...root.querySelectorAll('.pl-section-title')].map((h) => h.firstChild!.textContent).join('|');
      expect(one(root, 'pl-save').textContent).toBe(t(locale, 'save.idle'));
      expect(root.querySelector('.pl-name')!.textContent).toBe(t(locale, 'app.name'));
      expect(root.querySelector('[data-field="issuers"] dt')!.textContent).toBe(t(locale, 'meta.issuers'));
      expect(one(root, 'pl-toggle').getAttribute('aria-label')).toBe(t(locale, 'panel.collapse'));
      expect(one(root, 'pl-panel').getAttribute('lang')).toBe(locale);
      seen.set(locale, titles);
      // The document's own text does not change with the UI language.
      expect(root.querySelector('[data-field="title"]')!.textContent).toBe(doc.metadata.title);
    }
    expect(new Set(seen.values()).size).toBe(3);
    expect(seen.get('zh-TW')).toContain('基本資訊');
    expect(seen.get('en')).toContain('Metadata');
  });

  it('collapsed, renders only the tab, which calls onToggle', () => {
    const doc = seedDoc(1);
    const p = props(doc, { collapsed: true });
    const root = mount(p);
    const panel = one(root, 'pl-panel');
    expect(panel.querySelectorAll('button')).toHaveLength(1);
    expect(all(root, 'pl-metadata')).toHaveLength(0);
    expect(all(root, 'pl-outline')).toHaveLength(0);
    expect(all(root, 'pl-citation')).toHaveLength(0);
    expect(all(root, 'pl-save')).toHaveLength(0);
    const tab = one(root, 'pl-toggle');
    expect(tab.getAttribute('aria-expanded')).toBe('false');
    expect(tab.getAttribute('aria-label')).toBe(t('zh-CN', 'panel.expand'));
    click(tab);
    expect(p.onToggle).toHaveBeenCalledTimes(1);
    // Expanded, the collapse button calls it too.
    const p2 = props(doc);
    const open = mount(p2);
    click(one(open, 'pl-toggle'));
    expect(p2.onToggle).toHaveBeenCalledTimes(1);
  });
});

describe('Panel: safety and accessibility', () => {
  it('renders hostile page text as literal text, never as markup', () => {
    const doc = edited(seedDoc(1), (d) => {
      d.metadata.title = HOSTILE;
      d.metadata.issuers = [HOSTILE];
      d.metadata.docNumber!.raw = HOSTILE;
      d.clauses[0].heading = HOSTILE;
      d.clauses[0].label = '<b>一、</b>';
      d.citations[0].title = HOSTILE;
    });
    const clause = walk(doc.clauses)[1];
    const related = { [doc.clauses[0].id]: [{ planId: 'p"><img src=x>', planTitle: HOSTILE, clauseId: clause.id, path: [HOSTILE], text: HOSTILE, score: 0.5 }] };
    const views: CitationView[] = [
      { index: 0, resolvedPlanId: 'x', resolvedTitle: HOSTILE, self: false, alsoCitedBy: [] },
      { index: 1, resolvedPlanId: null, resolvedTitle: null, self: false, alsoCitedBy: [{ planId: 'y', title: HOSTILE }] },
    ];
    const root = mount(props(doc, { related, citations: views, status: HOSTILE }));
    click(all(root, 'pl-outline-item')[0].querySelector('button[aria-expanded]')!);
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('b')).toBeNull();
    expect(root.querySelector('[data-field="title"]')!.textContent).toBe(HOSTILE);
    expect(root.querySelector('[data-field="issuers"] dd')!.textContent).toBe(HOSTILE);
    expect(root.querySelector('[data-field="docNumber"] dd')!.getAttribute('title')).toContain(HOSTILE);
    expect(all(root, 'pl-outline-item')[0].querySelector('.pl-clause')!.textContent).toContain(HOSTILE);
    expect(all(root, 'pl-related-item')[0].textContent).toContain(HOSTILE);
    expect(all(root, 'pl-citation')[0].textContent).toContain(HOSTILE);
    expect(root.querySelector('[role="status"]')!.textContent).toBe(HOSTILE);
    // The literal markup is visible text (it appears several times), and no element has an onerror.
    expect(root.textContent!.split(HOSTILE).length).toBeGreaterThan(6);
    expect(root.querySelector('[onerror]')).toBeNull();
  });

  it('uses real buttons with accessible names, lists for lists, and pl- class names', () => {
    const doc = seedDoc(1);
    const clause = walk(doc.clauses).find((c) => c.responsibility)!;
    const related = { [clause.id]: [relatedFrom(4, walk(seedDoc(4).clauses)[2], 0.7)] };
    const root = mount(props(doc, { related, citations: [{ index: 0, resolvedPlanId: 'p', resolvedTitle: 'x', self: false, alsoCitedBy: [] }] }));
    click(all(root, 'pl-related-count')[0].closest('li')!.querySelector('button[aria-expanded]')!);
    const buttons = [...root.querySelectorAll('button')];
    expect(buttons.length).toBeGreaterThan(countClauses(doc.clauses));
    for (const b of buttons) {
      expect(b.getAttribute('type')).toBe('button');
      const name = (b.getAttribute('aria-label') ?? b.textContent ?? '').trim();
      expect(name.length, b.outerHTML.slice(0, 80)).toBeGreaterThan(0);
      if (!b.textContent!.replace(/[▸▾»]/g, '').trim()) expect(b.getAttribute('aria-label')).toBeTruthy();
    }
    for (const testid of ['pl-outline-item', 'pl-related-item', 'pl-citation']) {
      for (const el of all(root, testid)) expect(el.tagName).toBe('LI');
    }
    for (const el of root.querySelectorAll('[class]')) {
      for (const cls of el.classList) expect(cls.startsWith('pl-'), cls).toBe(true);
    }
    // Every class the markup uses has a rule in the stylesheet (catches renames on one side only).
    const used = new Set([...root.querySelectorAll('[class]')].flatMap((el) => [...el.classList]));
    // Hooks for the lead and for state (no rule of their own) are listed; anything else unstyled is a slip.
    const hooks = /^pl-(cite-(pending|resolved|unresolved|self)|save-(idle|saved)|mode-(page|reader)|section-\w+|current|outline-item|meta-row|depts-row|related-item|chip-lead|clause-summary|brand|metadata)$/;
    const unstyled = [...used].filter((cls) => !hooks.test(cls) && !PANEL_CSS.includes(`.${cls}`));
    expect(unstyled).toEqual([]);
  });
});
