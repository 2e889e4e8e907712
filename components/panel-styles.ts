// The side panel's CSS, as a string the content script and reader page put in a <style> in the shadow root.
import { FONT_FAMILY, LIGHT_PALETTE, ROOT_RULES } from './palette-styles';

/** Above any page element. */
const Z_MAX = 2147483647;
const PANEL_WIDTH = 380;
const INDENT_STEP = 14; // px per outline level
const MAX_INDENT = 6; // must match Outline.tsx

const indents = Array.from(
  { length: MAX_INDENT },
  (_, i) => `.pl-depth-${i + 1} > .pl-outline-row { padding-left: ${i * INDENT_STEP}px; }`,
).join('\n');

export const PANEL_CSS = `
:host { all: initial; }
.pl-root {${LIGHT_PALETTE}
  font-family: ${FONT_FAMILY};
  font-size: 14px;
  line-height: 1.6;
  color: var(--pl-fg);
  text-align: left;
  letter-spacing: normal;
  word-break: normal;
  overflow-wrap: anywhere;
  -webkit-font-smoothing: antialiased;
}${ROOT_RULES}

/* Expanded panel: fixed on the right, full height, its own scroll. */
.pl-panel {
  position: fixed;
  top: 0;
  right: 0;
  bottom: 0;
  width: ${PANEL_WIDTH}px;
  max-width: 100vw;
  z-index: ${Z_MAX};
  display: flex;
  flex-direction: column;
  background: var(--pl-bg);
  border-left: 1px solid var(--pl-line);
  box-shadow: -2px 0 12px rgba(0, 0, 0, 0.12);
}
.pl-body {
  flex: 1 1 auto;
  overflow-y: auto;
  overscroll-behavior: contain;
  padding: 0 16px 24px;
}

/* Collapsed: a small vertical tab on the right edge. */
.pl-tab {
  position: fixed;
  right: 0;
  top: 40%;
  z-index: ${Z_MAX};
  writing-mode: vertical-rl;
  padding: 12px 6px;
  border: 0;
  border-radius: 6px 0 0 6px;
  background: var(--pl-accent);
  color: var(--pl-accent-fg);
  font: inherit;
  font-size: 13px;
  letter-spacing: 0.15em;
  cursor: pointer;
  box-shadow: -1px 1px 6px rgba(0, 0, 0, 0.25);
}

/* Header */
.pl-header {
  display: flex;
  align-items: center;
  justify-content: space-between;
  gap: 8px;
  padding: 10px 16px;
  border-bottom: 1px solid var(--pl-line);
  background: var(--pl-bg);
}
.pl-brand { min-width: 0; }
.pl-name { margin: 0; font-size: 16px; font-weight: 600; line-height: 1.3; color: var(--pl-accent); }
.pl-kind { margin: 0; font-size: 12px; color: var(--pl-muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.pl-actions { display: flex; align-items: center; gap: 6px; flex: none; }
.pl-save {
  font: inherit;
  font-size: 13px;
  padding: 4px 12px;
  border-radius: 4px;
  border: 1px solid var(--pl-accent);
  background: var(--pl-accent);
  color: var(--pl-accent-fg);
  cursor: pointer;
}
.pl-save:disabled { cursor: default; }
.pl-save-saved { background: transparent; color: var(--pl-accent); }
.pl-save-saving { opacity: 0.7; }
.pl-icon-button {
  font: inherit;
  font-size: 16px;
  line-height: 1;
  width: 28px;
  height: 28px;
  border: 1px solid var(--pl-line);
  border-radius: 4px;
  background: transparent;
  color: var(--pl-fg);
  cursor: pointer;
}
.pl-status { margin: 0; padding: 6px 16px; font-size: 13px; background: var(--pl-soft); border-bottom: 1px solid var(--pl-line); }
.pl-status:empty { display: none; }

/* Sections */
.pl-section { padding-top: 14px; }
.pl-section-title {
  margin: 0 0 8px;
  font-size: 13px;
  font-weight: 600;
  color: var(--pl-muted);
  display: flex;
  align-items: baseline;
  gap: 8px;
}
.pl-count { font-weight: 400; font-size: 12px; }
.pl-empty, .pl-note { margin: 0; color: var(--pl-muted); font-size: 13px; }
.pl-note { margin-bottom: 6px; }

/* Metadata */
.pl-doc-title { margin: 0 0 8px; font-size: 15px; font-weight: 600; line-height: 1.5; }
.pl-meta { margin: 0; display: grid; grid-template-columns: fit-content(9em) minmax(0, 1fr); gap: 3px 12px; }
.pl-meta-row { display: contents; }
.pl-meta dt { color: var(--pl-muted); }
.pl-meta dd { margin: 0; min-width: 0; }
.pl-meta dd[title] { text-decoration: underline dotted var(--pl-muted); text-underline-offset: 3px; cursor: help; }
.pl-meta-list { margin: 0; padding-left: 1.4em; }

/* Outline */
.pl-outline, .pl-related, .pl-citations, .pl-also { list-style: none; margin: 0; padding: 0; }
.pl-outline-row { display: flex; align-items: flex-start; gap: 4px; }
${indents}
.pl-disclosure, .pl-disclosure-spacer { flex: none; width: 20px; height: 24px; }
.pl-disclosure {
  border: 0;
  padding: 0;
  background: transparent;
  color: var(--pl-muted);
  font: inherit;
  cursor: pointer;
  border-radius: 3px;
}
.pl-clause {
  flex: 1 1 auto;
  min-width: 0;
  display: flex;
  gap: 4px;
  padding: 1px 4px;
  border: 0;
  border-radius: 3px;
  background: transparent;
  color: inherit;
  font: inherit;
  text-align: left;
  cursor: pointer;
}
.pl-clause:hover { background: var(--pl-soft); }
.pl-clause[aria-current] { background: var(--pl-current); box-shadow: inset 3px 0 0 var(--pl-accent); font-weight: 600; }
.pl-clause-label { flex: none; color: var(--pl-muted); }
.pl-clause-summary { min-width: 0; }
.pl-chip {
  flex: none;
  max-width: 8em;
  overflow: hidden;
  text-overflow: ellipsis;
  white-space: nowrap;
  font-size: 12px;
  line-height: 20px;
  margin-top: 2px;
  padding: 0 6px;
  border-radius: 10px;
  background: var(--pl-soft);
  border: 1px solid var(--pl-line);
  color: var(--pl-muted);
}
.pl-badge {
  flex: none;
  min-width: 20px;
  margin-top: 2px;
  padding: 0 6px;
  border-radius: 10px;
  font-size: 12px;
  line-height: 20px;
  text-align: center;
  background: var(--pl-link);
  color: var(--pl-bg);
}

/* Clause details */
.pl-details { margin: 4px 0 8px 24px; padding: 8px 10px; border-left: 2px solid var(--pl-line); background: var(--pl-soft); border-radius: 0 4px 4px 0; font-size: 13px; }
.pl-depts { margin: 0 0 6px; display: grid; grid-template-columns: fit-content(8em) minmax(0, 1fr); gap: 2px 10px; }
.pl-depts-row { display: contents; }
.pl-depts dt { color: var(--pl-muted); }
.pl-depts dd { margin: 0; }
.pl-details-title { margin: 4px 0; font-weight: 600; color: var(--pl-muted); }
.pl-related-item + .pl-related-item { margin-top: 6px; }
.pl-related-open {
  display: block;
  width: 100%;
  padding: 6px 8px;
  border: 1px solid var(--pl-line);
  border-radius: 4px;
  background: var(--pl-bg);
  color: inherit;
  font: inherit;
  text-align: left;
  cursor: pointer;
}
.pl-related-open:hover { border-color: var(--pl-link); }
.pl-related-head { display: flex; justify-content: space-between; gap: 8px; }
.pl-related-plan { color: var(--pl-link); min-width: 0; }
.pl-score { flex: none; color: var(--pl-muted); font-variant-numeric: tabular-nums; }
.pl-related-path { display: block; color: var(--pl-muted); }
.pl-related-text { display: block; }

/* Citations */
.pl-citation { padding: 6px 0; border-bottom: 1px solid var(--pl-line); }
.pl-citation:last-child { border-bottom: 0; }
.pl-cite-text {
  display: block;
  width: 100%;
  padding: 0;
  border: 0;
  background: transparent;
  color: inherit;
  font: inherit;
  text-align: left;
  cursor: pointer;
}
.pl-cite-text:hover .pl-cite-title { text-decoration: underline; }
.pl-cite-number { margin-left: 4px; color: var(--pl-muted); white-space: nowrap; }
.pl-cite-alias, .pl-occurrences, .pl-cite-state { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 6px; margin-top: 2px; font-size: 12px; color: var(--pl-muted); }
.pl-occurrence {
  font: inherit;
  min-width: 22px;
  padding: 0 4px;
  border: 1px solid var(--pl-line);
  border-radius: 3px;
  background: transparent;
  color: var(--pl-link);
  cursor: pointer;
}
.pl-chip-self { border-color: var(--pl-accent); color: var(--pl-accent); }
.pl-chip-resolved { border-color: var(--pl-link); color: var(--pl-link); }
.pl-chip-missing { border-style: dashed; }
.pl-cite-state .pl-chip { margin-top: 0; }
.pl-also { flex-basis: 100%; padding-left: 1em; }
.pl-link {
  padding: 0;
  border: 0;
  background: transparent;
  color: var(--pl-link);
  font: inherit;
  text-align: left;
  text-decoration: underline;
  text-underline-offset: 2px;
  cursor: pointer;
}

/* Keyboard focus must always show. */
.pl-root button:focus-visible { outline: 2px solid var(--pl-focus); outline-offset: 1px; }
`;
