// The library's IndexedDB schema (Dexie): plans, their clause and citation rows, highlights, meta; versioned.
import Dexie, { type Table, type Transaction } from 'dexie';
import type { XrefClauseRow, XrefTermRow } from '../xref/related';
import type { SearchDocRow, SearchTermRow } from '../search/index';
import type {
  Citation,
  Clause,
  DocGenre,
  ExtractedDoc,
  PageKind,
  SiteId,
} from '../types';

/** Where a plan's current content came from. */
export type PlanSource = 'seed' | 'page' | 'import';

/** An ExtractedDoc as kept on its plan row: clauses and citations live in their own tables. */
export type StoredDoc = Omit<ExtractedDoc, 'clauses' | 'citations'>;

/** One saved document. Light columns are copies of doc fields, for listing and indexes. */
export interface PlanRow {
  /** Random id, stable across export/import and devices (highlights point at it). */
  id: string;
  /** Identity (lib/library/identity.ts planKey): saving the same document again updates this row. */
  key: string;
  /** DocNumber.normalized, e.g. 京政发〔2016〕57号; null when the document has no 文号. */
  docNumberKey: string | null;
  /** titleKey(metadata.title); null when there is no title. */
  titleKey: string | null;
  title: string | null;
  issuers: string[];
  site: SiteId;
  kind: PageKind;
  genre: DocGenre | null;
  url: string | null;
  /** ISO dates from the metadata (发布日期, 成文日期). */
  published: string | null;
  written: string | null;
  /** Epoch ms: first saved, last content change, last opened by the reader (null: never). */
  savedAt: number;
  updatedAt: number;
  viewedAt: number | null;
  source: PlanSource;
  doc: StoredDoc;
}

/** One clause of a plan, flattened out of the clause tree (the Clause fields minus id/children). */
export interface ClauseRow extends Omit<Clause, 'id' | 'children'> {
  planId: string;
  /** Clause.id, unique within the plan (a repeated id gets a ~n suffix so no row is lost). */
  clauseId: string;
  /** clauseId of the parent clause; null at top level. */
  parentId: string | null;
  /** Pre-order position in the tree, to rebuild it in document order. */
  order: number;
}

/** One citation of a plan (all Citation fields), with the keys that "which plans cite X" queries use. */
export interface CitationRow extends Citation {
  planId: string;
  /** Position in ExtractedDoc.citations. */
  index: number;
  /** titleKey(title); null for a bare 文号. */
  titleKey: string | null;
  /** Keys of every title this citation names: title, issues (印发《X》), aliasOf, nested titles. */
  titleKeys: string[];
  /** docNumber.normalized; null when the citation has no 文号. */
  docNumberKey: string | null;
}

/** A reader's highlight on a plan (used by a later issue; the table exists from version 1). */
export interface HighlightRow {
  id: string;
  /** Plan it was made on. Kept when the plan is deleted (then `orphaned` is true). */
  planId: string;
  /** PlanRow.key of that plan, so a re-saved document gets its orphaned highlights back. */
  planKey: string | null;
  url: string | null;
  /** The highlighted text and a little context on each side, to re-anchor it when offsets move. */
  quote: string;
  prefix: string;
  suffix: string;
  /** Offsets in ExtractedDoc.text. */
  start: number;
  end: number;
  clauseId: string | null;
  color: string;
  note: string;
  tags: string[];
  createdAt: number;
  updatedAt: number;
  deviceId: string;
  /** Incremented on every change (for sync). */
  version: number;
  /** Tombstone for sync: a deleted highlight stays as a row. */
  deleted: boolean;
  /** True while its plan is not in the library. */
  orphaned: boolean;
}

export interface MetaRow {
  key: string;
  value: unknown;
}

/** One schema version: the stores it declares and how existing rows are carried over. */
export interface SchemaStep {
  version: number;
  stores: Record<string, string | null>;
  upgrade?: (tx: Transaction) => void | PromiseLike<unknown>;
}

/**
 * Every schema version, oldest first. To change the schema, append
 * `{ version: n, stores: {...changed tables...}, upgrade: (tx) => ... }` and bump nothing else:
 * SCHEMA_VERSION follows, and tests/library-db.test.ts upgrades from every older version.
 * Never edit a step that has shipped.
 */
export const SCHEMA_STEPS: readonly SchemaStep[] = [
  {
    version: 1,
    stores: {
      plans: 'id, &key, docNumberKey, titleKey, savedAt, viewedAt',
      clauses: '[planId+clauseId], planId',
      citations: '[planId+index], planId, *titleKeys, docNumberKey',
      highlights: 'id, planId, planKey, url, updatedAt, *tags',
      meta: 'key',
      // Derived indexes, rebuilt from plans when missing; row types live with the code that owns them.
      xrefTerms: 'term', // lib/xref: postings per 3-gram, title keys, plan records, stats (XrefTermRow)
      xrefClauses: 'no, planId', // lib/xref: each indexed clause by its postings number (XrefClauseRow)
      searchTerms: '[term+seg], seg', // lib/search: packed postings per key gram and index segment
      searchDocs: 'planId', // lib/search: where each plan is indexed
    },
  },
];

export const SCHEMA_VERSION = SCHEMA_STEPS[SCHEMA_STEPS.length - 1].version;

export const DEFAULT_LIBRARY_NAME = 'policy-lens';

/** IndexedDB implementation to use instead of the global one (fake-indexeddb in Node). */
export interface IndexedDBDeps {
  indexedDB: IDBFactory;
  IDBKeyRange: typeof IDBKeyRange;
}

export interface LibraryOptions {
  deps?: IndexedDBDeps;
  /** Declare only the versions up to this one (migration tests open an old schema). */
  upTo?: number;
}

export class LibraryDB extends Dexie {
  plans!: Table<PlanRow, string>;
  clauses!: Table<ClauseRow, [string, string]>;
  citations!: Table<CitationRow, [string, number]>;
  highlights!: Table<HighlightRow, string>;
  meta!: Table<MetaRow, string>;
  searchTerms!: Table<SearchTermRow, [string, number]>;
  searchDocs!: Table<SearchDocRow, string>;
  xrefTerms!: Table<XrefTermRow, string>;
  xrefClauses!: Table<XrefClauseRow, number>;

  constructor(name: string = DEFAULT_LIBRARY_NAME, options: LibraryOptions = {}) {
    super(name, options.deps ? { indexedDB: options.deps.indexedDB, IDBKeyRange: options.deps.IDBKeyRange } : {});
    const upTo = options.upTo ?? SCHEMA_VERSION;
    for (const step of SCHEMA_STEPS) {
      if (step.version > upTo) break;
      const v = this.version(step.version).stores(step.stores);
      if (step.upgrade) v.upgrade(step.upgrade);
    }
    // Runs once, when the database is created: remembers which schema it was born with.
    this.on('populate', (tx) => {
      tx.table('meta').put({ key: 'schema', value: { createdVersion: Math.min(upTo, SCHEMA_VERSION), createdAt: Date.now() } });
    });
  }
}

/** Open (creating or upgrading) the library. Resolves once the database is usable. */
export async function openLibrary(
  name: string = DEFAULT_LIBRARY_NAME,
  deps?: IndexedDBDeps,
  options: Omit<LibraryOptions, 'deps'> = {},
): Promise<LibraryDB> {
  const db = new LibraryDB(name, { ...options, deps });
  await db.open();
  return db;
}
