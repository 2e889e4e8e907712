// Metadata lines in plain-text copies of pages: `  2. [發文機構] 北京市人民政府` lists and `发文字号：…` lines.
import type { FieldPair } from '../sites/profile';

// Labels a metadata line may carry, both scripts; the value may be empty (首都之窗 lists empty fields).
const LABEL =
  '(?:主[题題]分[类類]|[发發]文机[构構关關]|[发發]布机[构構关關]|[联聯]合[发發]文[单單]位|[实實]施日期|生效日期|成文日期|[发發]文字[号號]|文[号號]|[废廢]止日期|失效日期|[发發][布佈]日期|[发發]文日期|有效性|[时時]效性|文件[来來]源|索\\s*引\\s*[号號]|主\\s*[题題]\\s*[词詞]|[标標]\\s*[题題])';
const BRACKETED = new RegExp(`^\\s*(?:\\d{1,2}[.、．]\\s*)?[\\[【［](${LABEL})[\\]】］]\\s*(.{0,200})$`);
const COLON = new RegExp(`^\\s*(${LABEL})\\s*[:：]\\s*(.{0,200})$`);

export interface TextFields {
  pairs: FieldPair[];
  /** Indexes of the lines that were metadata (not content). */
  lines: Set<number>;
}

/**
 * Finds metadata lines near the top of a plain-text page. Only the first 60 lines are looked at:
 * metadata blocks sit above the document, and a body sentence must never be taken for one.
 */
export function fieldsFromTextLines(lines: string[]): TextFields {
  const pairs: FieldPair[] = [];
  const used = new Set<number>();
  const limit = Math.min(lines.length, 60);
  for (let i = 0; i < limit; i++) {
    const line = lines[i];
    const bracketed = BRACKETED.exec(line);
    const m = bracketed ?? COLON.exec(line);
    if (!m) continue;
    // A colon line must be short: `文号：京政发〔2016〕57号`, not a sentence that starts with a label.
    if (!bracketed && m[2].length > 60) continue;
    pairs.push({ label: m[1], value: m[2].trim() });
    used.add(i);
  }
  return { pairs, lines: used };
}
