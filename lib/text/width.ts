// Full-width / half-width folding and whitespace handling for matching keys.

/** Full-width ASCII (！..～) to half-width, ideographic space to a space. Length-preserving. */
export function foldWidth(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xff01 && c <= 0xff5e) out += String.fromCharCode(c - 0xfee0);
    else if (c === 0x3000 || c === 0xa0) out += ' ';
    else out += s[i];
  }
  return out;
}

/** Collapse runs of whitespace (including ideographic space) to one space and trim. */
export function squashSpace(s: string): string {
  return s.replace(/[\s\u3000\u00a0]+/g, ' ').trim();
}

/** Remove all whitespace: Chinese titles broken over lines carry stray spaces. */
export function stripSpace(s: string): string {
  return s.replace(/[\s\u3000\u00a0\u200b\ufeff]+/g, '');
}
