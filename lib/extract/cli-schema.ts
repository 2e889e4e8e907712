// The extraction CLI's JSON schema (documented in README.md): stable field names, fields only ever added.
import type { Citation, Clause, DocNumber, ExtractedDoc } from '../types';

export interface CliDocNumber {
  raw: string;
  normalized: string;
  issuerCode: string;
  year: number | null;
  serial: number;
  form: DocNumber['form'];
}

export interface CliClause {
  id: string;
  label: string;
  kind: Clause['kind'];
  level: number;
  heading: string;
  text: string;
  path: string[];
  start: number;
  end: number;
  responsibility: { lead: string[]; responsible: string[]; cooperating: string[]; raw: string } | null;
  children: CliClause[];
}

export interface CliCitation {
  text: string;
  title: string | null;
  docNumber: CliDocNumber | null;
  kind: Citation['kind'];
  aliasOf: string | null;
  issues: string | null;
  nested: string[];
  start: number;
  end: number;
}

export interface CliResult {
  file: string;
  url: string | null;
  kind: ExtractedDoc['detection']['kind'];
  genre: ExtractedDoc['detection']['genre'];
  site: ExtractedDoc['detection']['site'];
  score: number;
  signals: string[];
  title: string | null;
  docNumber: CliDocNumber | null;
  issuers: string[];
  jointIssuers: string[];
  dates: { written: string | null; published: string | null; effective: string | null; repealed: string | null };
  validity: string | null;
  topics: string[];
  keywords: string[];
  indexNumber: string | null;
  source: string | null;
  recipients: string[];
  signature: string[];
  attachments: string[];
  clauses: CliClause[];
  citations: CliCitation[];
  flags: ExtractedDoc['flags'];
  textLength: number;
  text?: string;
}

export interface CliError {
  file: string;
  error: string;
}

function docNumber(n: DocNumber | null): CliDocNumber | null {
  return n
    ? { raw: n.raw, normalized: n.normalized, issuerCode: n.issuerCode, year: n.year, serial: n.serial, form: n.form }
    : null;
}

function clause(c: Clause): CliClause {
  const r = c.responsibility;
  return {
    id: c.id,
    label: c.label,
    kind: c.kind,
    level: c.level,
    heading: c.heading,
    text: c.text,
    path: c.path,
    start: c.start,
    end: c.end,
    responsibility: r ? { lead: r.lead, responsible: r.responsible, cooperating: r.cooperating, raw: r.raw } : null,
    children: c.children.map(clause),
  };
}

export function toCliResult(file: string, doc: ExtractedDoc, withText = false): CliResult {
  const m = doc.metadata;
  const out: CliResult = {
    file,
    url: doc.url,
    kind: doc.detection.kind,
    genre: doc.detection.genre,
    site: doc.detection.site,
    score: doc.detection.score,
    signals: doc.detection.signals,
    title: m.title,
    docNumber: docNumber(m.docNumber),
    issuers: m.issuers,
    jointIssuers: m.jointIssuers,
    dates: { ...m.dates },
    validity: m.validity,
    topics: m.topics,
    keywords: m.keywords,
    indexNumber: m.indexNumber,
    source: m.source,
    recipients: m.recipients,
    signature: m.signature,
    attachments: m.attachments,
    clauses: doc.clauses.map(clause),
    citations: doc.citations.map((c) => ({
      text: c.text,
      title: c.title,
      docNumber: docNumber(c.docNumber),
      kind: c.kind,
      aliasOf: c.aliasOf,
      issues: c.issues,
      nested: c.nested,
      start: c.start,
      end: c.end,
    })),
    flags: doc.flags,
    textLength: doc.text.length,
  };
  if (withText) out.text = doc.text;
  return out;
}
