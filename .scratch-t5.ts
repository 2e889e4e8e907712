import { parseHTML } from 'linkedom';
import { blocksFromDocument } from './lib/page/blocks';
import { profileFor } from './lib/sites/profile';
for (const [name, html] of [
  ['tables', '<html><body>' + '<table><tr><td>'.repeat(2000) + '<p>深层表格文本，内容。</p>' + '</td></tr></table>'.repeat(2000) + '</body></html>'],
  ['divs', '<html><body>' + '<div>'.repeat(5000) + '<p>深层</p>' + '</div>'.repeat(5000) + '</body></html>'],
  ['flat', '<html><body><div>' + '<p>第一条　内容，内容。</p><span>发布日期：2016</span>'.repeat(20000) + '</div></body></html>'],
  ['li', '<html><body><ul>' + '<li>[发文机构] 北京</li>'.repeat(5000) + '</ul></body></html>'],
] as const) {
  const t0 = Date.now();
  const d = parseHTML(html).document as any;
  const t1 = Date.now();
  for (const id of ['generic','govcn','beijing'] as const) {
    const t = Date.now();
    const p = profileFor(id);
    const r = blocksFromDocument(d, p); p.fields(d); p.title(d);
    console.log(name, id, 'parse', t1-t0, 'ms', Date.now()-t, r.blocks.length, r.blocks[0]?.text.slice(0,20));
  }
}
