// `npm run docs:errors`: writes the error catalog's table into the README, between its markers.
// `npm test` fails when the README's table is not what the catalog generates.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withErrorCatalog } from '../error-catalog';

const README = path.resolve(__dirname, '..', '..', '..', '..', 'README.md');

const before = readFileSync(README, 'utf8');
const after = withErrorCatalog(before);
if (after === before) {
  console.log('README.md: the error catalog table is up to date.');
} else {
  writeFileSync(README, after);
  console.log('README.md: the error catalog table was rewritten from subgraphs/kit/src/error-catalog.ts.');
}
