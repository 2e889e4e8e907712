// CLI: `npm run extract -- FILE... [--url URL] [--text]` prints the pipeline's JSON for each file.
import fs from 'node:fs';
import { parseHTML } from 'linkedom';
import { extractFromBytes } from '../lib/extract/from-file';
import { toCliResult, type CliError, type CliResult } from '../lib/extract/cli-schema';

function usage(): never {
  console.error('usage: npm run extract -- FILE... [--url URL] [--text]');
  process.exit(2);
}

const args = process.argv.slice(2);
const files: string[] = [];
let url: string | null = null;
let withText = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--url') url = args[++i] ?? usage();
  else if (args[i] === '--text') withText = true;
  else if (args[i] === '--help' || args[i] === '-h') usage();
  else files.push(args[i]);
}
if (files.length === 0) usage();

const parse = (html: string) => parseHTML(html).document as unknown as Document;
const results: Array<CliResult | CliError> = [];
let failures = 0;
for (const file of files) {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new Error(`${file}: not a file`);
    const bytes = new Uint8Array(fs.readFileSync(file));
    const doc = extractFromBytes(file, bytes, parse, url);
    results.push(toCliResult(file, doc, withText));
  } catch (e) {
    failures++;
    const message = (e as Error).message.startsWith(file) ? (e as Error).message : `${file}: ${(e as Error).message}`;
    console.error(`error: ${message}`);
    results.push({ file, error: message });
  }
}
process.stdout.write(JSON.stringify(results.length === 1 ? results[0] : results, null, 2) + '\n');
// exitCode, not exit(): exit() would cut off stdout when it is a pipe.
process.exitCode = failures === results.length ? 1 : 0;
