// The metadata card: the document's title and every 发文 field the page states (empty ones omitted).
import type { PolicyMetadata } from '../lib/types';
import { t, type Locale } from '../lib/i18n/messages';
import { metadataRows, oneLine, type MetadataRow } from './view-model';

export interface MetadataCardProps {
  metadata: PolicyMetadata;
  locale: Locale;
}

function Value({ row, locale }: { row: MetadataRow; locale: Locale }) {
  if (row.layout === 'list' && row.values.length > 1) {
    return (
      <ol class="pl-meta-list">
        {row.values.map((v, i) => (
          <li key={i}>{v}</li>
        ))}
      </ol>
    );
  }
  // Organ names often contain 、 themselves (市政府各委、办、局), so whole values are set apart with ,.
  const sep = row.layout === 'path' ? ' / ' : t(locale, 'list.separatorWide');
  return <>{row.values.join(sep)}</>;
}

export function MetadataCard({ metadata, locale }: MetadataCardProps) {
  const rows = metadataRows(metadata);
  const title = metadata.title ? oneLine(metadata.title) : '';
  return (
    <div class="pl-metadata" data-testid="pl-metadata">
      {title && (
        <p class="pl-doc-title" data-field="title">
          {title}
        </p>
      )}
      {rows.length > 0 ? (
        <dl class="pl-meta">
          {rows.map((row) => (
            <div class="pl-meta-row" key={row.field} data-field={row.field}>
              <dt>{t(locale, row.label)}</dt>
              <dd title={row.raw ? t(locale, 'meta.docNumberRaw', { raw: row.raw }) : undefined}>
                <Value row={row} locale={locale} />
              </dd>
            </div>
          ))}
        </dl>
      ) : (
        !title && <p class="pl-empty">{t(locale, 'meta.empty')}</p>
      )}
    </div>
  );
}
