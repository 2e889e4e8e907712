// Which site profile a host name belongs to; the cheapest detection signal.
import type { SiteId } from '../types';

/** Site profile for a host name (lower-cased, port ignored). */
export function siteForHost(host: string | null | undefined): SiteId {
  if (!host) return 'none';
  const h = host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
  if (h === 'www.beijing.gov.cn' || h === 'beijing.gov.cn') return 'beijing';
  if (h === 'www.gov.cn' || h === 'gov.cn' || h === 'big5.www.gov.cn') return 'govcn';
  if (h === 'www.shanghai.gov.cn' || h === 'shanghai.gov.cn') return 'shanghai';
  if (h === 'www.shenyang.gov.cn' || h === 'shenyang.gov.cn') return 'shenyang';
  if (h.endsWith('.gov.cn')) return 'generic';
  return 'none';
}

/** Host of a URL, or null when it does not parse. */
export function hostOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}
