// Which saved plan a document is: one identity key per document, whatever its script or URL noise.
import { titleKey } from '../text/key';
import type { ExtractedDoc } from '../types';

/** Query parameters that only track how a reader arrived; they never change which page it is. */
const TRACKING_PARAM = /^(utm_[a-z_]*|spm|from|share[a-z_]*|isappinstalled|fbclid|gclid|wxfrom|scene|clicktime|enterid|_t)$/i;

/**
 * Identity key of a document:
 * - `no:<DocNumber.normalized>` when it has a 文号 (the strongest identity a policy has);
 * - else `title:<titleKey(title)>|<titleKey(first issuer, or first signer)>` (script-independent);
 * - else `url:<host+path+query minus tracking params>`;
 * - else `text:<hash of the text>` so two different untitled snippets never merge.
 */
export function planKey(doc: ExtractedDoc): string {
  const m = doc.metadata;
  const no = m.docNumber?.normalized?.trim();
  if (no) return `no:${no}`;
  const title = m.title ? titleKey(m.title) : '';
  if (title) {
    const issuer = m.issuers.find((s) => s.trim()) ?? m.signature.find((s) => s.trim()) ?? '';
    return `title:${title}|${issuer ? titleKey(issuer) : ''}`;
  }
  const url = doc.url ? normalizeUrl(doc.url) : '';
  if (url) return `url:${url}`;
  return `text:${hashString(doc.text)}`;
}

/**
 * URL as an identity: host (lower case, default port dropped) + path + query without tracking
 * parameters; scheme and #fragment dropped (gov sites serve the same page over http and https).
 * An unparsable URL is kept as written, minus its fragment.
 */
export function normalizeUrl(url: string): string {
  const raw = url.trim();
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return raw.replace(/#.*$/s, '');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return raw.replace(/#.*$/s, '');
  const kept = [...u.searchParams].filter(([k]) => !TRACKING_PARAM.test(k));
  const query = kept.length ? '?' + new URLSearchParams(kept).toString() : '';
  return `${u.host.toLowerCase()}${u.pathname}${query}`;
}

/** A 53-bit string hash (cyrb53) as base-36: for change detection and fallback keys, not security. */
export function hashString(s: string, seed = 0): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}
