// `npm run docs:rules`: rewrites docs/rules.md's generated blocks (policy functions and tests of
// each rule) from the code, and says what else is missing. npm test fails while either is off.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { citingTests, policyFunctions, REPOSITORY, RULES_DOC, rulesDocProblems, withEnforcedBy } from './rules-doc';

const file = path.join(REPOSITORY, RULES_DOC);
const before = readFileSync(file, 'utf8');
const functions = policyFunctions();
const tests = citingTests();
const after = withEnforcedBy(before, functions, tests);
if (after !== before) writeFileSync(file, after);
console.log(after === before ? `${RULES_DOC}: up to date.` : `${RULES_DOC}: blocks rewritten from the policy modules and the tests.`);
const problems = rulesDocProblems(after, functions, tests);
for (const problem of problems) console.error(problem);
process.exitCode = problems.length > 0 ? 1 : 0;
