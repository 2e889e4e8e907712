// The Policy Lens side panel: header with Save, then metadata, clause outline and citations (or a collapsed tab).
import { t } from '../lib/i18n/messages';
import { CitationList } from './CitationList';
import { MetadataCard } from './MetadataCard';
import { Outline } from './Outline';
import { citationGroups, countClauses, docKindKeys, type PanelProps } from './view-model';

export type { PanelProps } from './view-model';

function SaveButton({ locale, saving, savedPlanId, onSave }: Pick<PanelProps, 'locale' | 'saving' | 'savedPlanId' | 'onSave'>) {
  const state = saving ? 'saving' : savedPlanId ? 'saved' : 'idle';
  const label = t(locale, state === 'saving' ? 'save.saving' : state === 'saved' ? 'save.saved' : 'save.idle');
  return (
    <button
      type="button"
      class={`pl-save pl-save-${state}`}
      data-testid="pl-save"
      data-state={state}
      disabled={state !== 'idle'}
      aria-busy={state === 'saving' ? 'true' : undefined}
      title={state === 'saved' ? t(locale, 'save.savedHint') : undefined}
      onClick={onSave}
    >
      {label}
    </button>
  );
}

export function Panel(props: PanelProps) {
  const { doc, locale } = props;
  if (props.collapsed) {
    return (
      <div class={`pl-root pl-collapsed pl-mode-${props.mode}`} data-testid="pl-panel" data-collapsed="true" lang={locale}>
        <button type="button" class="pl-tab" data-testid="pl-toggle" aria-expanded="false" aria-label={t(locale, 'panel.expand')} onClick={props.onToggle}>
          <span aria-hidden="true">{t(locale, 'app.name')}</span>
        </button>
      </div>
    );
  }
  const kind = docKindKeys(doc.detection)
    .map((k) => t(locale, k))
    .filter(Boolean)
    .join(' · ');
  const clauseCount = countClauses(doc.clauses ?? []);
  // Counted as cited documents, as listed (one entry for a document cited several times).
  const citationCount = citationGroups(doc, props.citations ?? []).length;
  return (
    <aside class={`pl-root pl-panel pl-mode-${props.mode}`} data-testid="pl-panel" data-collapsed="false" aria-label={t(locale, 'panel.label')} lang={locale}>
      <header class="pl-header">
        <div class="pl-brand">
          <h1 class="pl-name">{t(locale, 'app.name')}</h1>
          {kind && (
            <p class="pl-kind" title={kind}>
              {kind}
            </p>
          )}
        </div>
        <div class="pl-actions">
          {props.mode === 'page' && (
            <SaveButton locale={locale} saving={props.saving} savedPlanId={props.savedPlanId} onSave={props.onSave} />
          )}
          <button
            type="button"
            class="pl-icon-button"
            data-testid="pl-toggle"
            aria-expanded="true"
            aria-label={t(locale, 'panel.collapse')}
            title={t(locale, 'panel.collapse')}
            onClick={props.onToggle}
          >
            <span aria-hidden="true">»</span>
          </button>
        </div>
      </header>
      <p class="pl-status" role="status" aria-live="polite">
        {props.status ?? ''}
      </p>
      <div class="pl-body">
        <section class="pl-section pl-section-metadata">
          <h2 class="pl-section-title">{t(locale, 'section.metadata')}</h2>
          <MetadataCard metadata={doc.metadata} locale={locale} />
        </section>
        <section class="pl-section pl-section-outline">
          <h2 class="pl-section-title">
            {t(locale, 'section.outline')}
            {clauseCount > 0 && <span class="pl-count">{t(locale, 'section.count', { count: clauseCount })}</span>}
          </h2>
          <Outline
            clauses={doc.clauses ?? []}
            related={props.related ?? {}}
            currentClauseId={props.currentClauseId}
            locale={locale}
            onSelectClause={props.onSelectClause}
            onOpenPlan={props.onOpenPlan}
          />
        </section>
        <section class="pl-section pl-section-citations">
          <h2 class="pl-section-title">
            {t(locale, 'section.citations')}
            {citationCount > 0 && <span class="pl-count">{t(locale, 'section.count', { count: citationCount })}</span>}
          </h2>
          <CitationList
            doc={doc}
            citations={props.citations ?? []}
            locale={locale}
            onOpenPlan={props.onOpenPlan}
            onSelectCitation={props.onSelectCitation}
          />
        </section>
      </div>
    </aside>
  );
}
