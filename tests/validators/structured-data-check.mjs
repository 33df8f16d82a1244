// structured-data-check.mjs PATH...  (run through structured-data-check.sh, which sets the env)
//
// Adobe's @adobe/structured-data-validator, which encodes Google's structured-data rules, on
// every `.jsonld` file given or found (recursively) under a folder given. Each file is put in a
// page as the `<script type="application/ld+json">` a site would embed, read back by
// @marbec/web-auto-extractor (the input the validator documents), and validated against the
// schema.org vocabulary at $FOLIO_SCHEMAORG_VOCABULARY, offline.
// Every issue, error or warning, is printed as `FILE: SEVERITY ROOT > PATH [FIELDS]: MESSAGE`.
// Exit 0 when no file has an issue, 1 otherwise, 2 on a setup problem.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

function setupError(message) {
  console.error(`structured-data-check: ${message}`);
  process.exit(2);
}

async function importTool(name) {
  const tools = process.env.FOLIO_NODE_TOOLS;
  if (!tools) setupError('FOLIO_NODE_TOOLS is not set: run tests/validators/install.sh');
  try {
    const require = createRequire(join(tools, 'package.json'));
    return (await import(pathToFileURL(require.resolve(name)).href)).default;
  } catch (e) {
    setupError(`cannot load ${name} from ${tools}: ${e.message}`);
  }
}

function jsonldFiles(path) {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const child = join(path, entry.name);
      if (entry.isDirectory()) return jsonldFiles(child);
      return entry.name.endsWith('.jsonld') ? [child] : [];
    });
}

// `<` escaped in every string, so no text can close the script element it is embedded in.
function page(data) {
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<!DOCTYPE html><html><head><script type="application/ld+json">${json}</script></head><body></body></html>`;
}

function describePath(path) {
  return (path || [])
    .map((step) => {
      const name = step.property ?? step.type ?? '?';
      const type = step.property && step.type ? `(${step.type})` : '';
      const index = step.length > 1 || step.index > 0 ? `[${step.index}]` : '';
      return `${name}${type}${index}`;
    })
    .join(' > ');
}

const args = process.argv.slice(2);
if (args.length === 0) setupError('usage: structured-data-check.sh PATH...');
const vocabularyPath = process.env.FOLIO_SCHEMAORG_VOCABULARY;
if (!vocabularyPath) setupError('FOLIO_SCHEMAORG_VOCABULARY is not set: run tests/validators/install.sh');
let vocabulary;
try {
  vocabulary = JSON.parse(readFileSync(vocabularyPath, 'utf8'));
} catch (e) {
  setupError(`cannot read the schema.org vocabulary ${vocabularyPath}: ${e.message}`);
}
const Validator = await importTool('@adobe/structured-data-validator');
const Extractor = await importTool('@marbec/web-auto-extractor');

let files;
try {
  files = args.flatMap(jsonldFiles);
} catch (e) {
  setupError(e.message);
}
const validator = new Validator(vocabulary);
let issues = 0;
for (const file of files) {
  let data;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    console.log(`${file}: ERROR not JSON: ${e.message}`);
    issues += 1;
    continue;
  }
  const extracted = new Extractor({ addLocation: false, embedSource: false }).parse(page(data));
  for (const issue of await validator.validate(extracted)) {
    const fields = issue.fieldNames?.length ? ` [${issue.fieldNames.join(', ')}]` : '';
    console.log(`${file}: ${issue.severity} ${describePath(issue.path) || issue.rootType}${fields}: ${issue.issueMessage}`);
    issues += 1;
  }
}
console.log(`structured-data-check: ${files.length} files, ${issues} issues`);
process.exit(issues === 0 && files.length > 0 ? 0 : 1);
