// @vitest-environment happy-dom
// Finding cleaned document text in the live DOM, across inline elements and whitespace the page keeps.
import { describe, expect, it } from 'vitest';
import { findTextRange } from '../lib/page/dom-ranges';

function el(html: string): Element {
  const div = document.createElement('div');
  div.innerHTML = html; // test fixture only: the code under test never parses page text as HTML
  document.body.append(div);
  return div;
}

describe('findTextRange', () => {
  it('finds a citation split across inline elements and line breaks', () => {
    const root = el('<p>根据<b>《国务院关于印发促进大数据发展行动纲要的通知》</b>（国发〔2015〕\n   50号）总体要求</p>');
    const r = findTextRange(document, root, '《国务院关于印发促进大数据发展行动纲要的通知》（国发〔2015〕50号）');
    expect(r).not.toBeNull();
    expect(r!.toString().replace(/\s+/g, '')).toBe('《国务院关于印发促进大数据发展行动纲要的通知》（国发〔2015〕50号）');
  });

  it('picks the requested occurrence', () => {
    const root = el('<p>《行动计划》提出目标，《行动计划》明确任务。</p>');
    const second = findTextRange(document, root, '《行动计划》', 1)!;
    expect(second.startOffset).toBe('《行动计划》提出目标，'.length);
    expect(findTextRange(document, root, '《行动计划》', 2)).toBeNull();
  });

  it('ignores scripts and returns null for text that is not there', () => {
    const root = el('<p>市金融局牵头<script>var s = "市金融局牵头负责";</script></p>');
    expect(findTextRange(document, root, '市金融局牵头负责')).toBeNull();
    expect(findTextRange(document, root, '   ')).toBeNull();
  });
});
