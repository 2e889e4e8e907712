// Where the tests' inputs live: the project's seeds and test pages, and the shared gov.cn fixtures (which a machine may lack).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// import.meta.url, not __dirname: support modules also run as ESM under tsx (npm run bench).
const HERE = path.dirname(fileURLToPath(import.meta.url));

/** seeds/: the five real documents the library starts with. */
export const SEEDS_DIR = path.resolve(HERE, '../../seeds');
/** tests/pages/: our own test pages (site templates, non-policy pages, hostile ones). */
export const PAGES_DIR = path.resolve(HERE, '../pages');
/** ../shared/fixtures/govcn: 20 real gov.cn pages and expected.json, the values of their own metadata tables. */
export const GOVCN_DIR = path.resolve(HERE, '../../../shared/fixtures/govcn');
/** Whether the gov.cn fixtures are here (tests over them are skipped, and say so, when not). */
export const HAS_GOVCN = existsSync(path.join(GOVCN_DIR, 'expected.json'));
