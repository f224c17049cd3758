import { readFileSync } from 'node:fs';
import path from 'node:path';
import { citingTests, enforcedBy, policyFunctions, policyFunctionsOf, REPOSITORY, RULE_IDS, RULES_DOC, rulesDocProblems, testNamesOf } from '../scripts/rules/rules-doc';

// Issue 15: docs/rules.md states R1–R23 with, for each, the policy functions and the tests that
// enforce it; generated from the code (npm run docs:rules), so it stays true.

describe('docs/rules.md lists every rule with its policy functions and tests (R1–R23)', () => {
  const doc = readFileSync(path.join(REPOSITORY, RULES_DOC), 'utf8');
  const functions = policyFunctions();
  const tests = citingTests();

  it('holds every rule, each policy function under the rules it cites, each test file that names a rule: nothing stale', () => {
    expect(rulesDocProblems(doc, functions, tests)).toEqual([]);
  });

  it('reads every subgraph policy module, and each of them decides something', () => {
    const subgraphs = new Set(functions.map((fn) => fn.subgraph));
    expect([...subgraphs].sort()).toEqual(expect.arrayContaining(['identity', 'mandates', 'road-aid', 'services']));
    expect(functions.find((fn) => fn.subgraph === 'identity' && fn.name === 'ensureMayManageUser')?.rules).toEqual(['R2']);
  });

  it('the README links the rules inside the repository, not a file outside it', () => {
    const readme = readFileSync(path.join(REPOSITORY, 'README.md'), 'utf8');
    expect(readme).toContain('(docs/rules.md)');
    expect(readme).not.toContain('../shared/domain.md');
  });

  it('fails on a policy function that cites no rule, a rule with no section, and a stale block', () => {
    const uncited = policyFunctionsOf('example', 'subgraphs/example/src/policy.ts', '/** Whoever. */\nexport const mayDoAnything = () => true;\n');
    expect(uncited).toEqual([{ subgraph: 'example', name: 'mayDoAnything', file: 'subgraphs/example/src/policy.ts', rules: [] }]);
    const withoutR7 = doc.replace(/^### R7 — /m, '### Seven — ');
    const stale = doc.replace(enforcedBy('R2', functions, tests.get('R2') ?? []), enforcedBy('R2', [], tests.get('R2') ?? []));
    expect(stale).not.toEqual(doc);
    const problems = rulesDocProblems(withoutR7, [...functions, ...uncited], tests).concat(rulesDocProblems(stale, functions, tests));
    expect(problems).toEqual([
      `${RULES_DOC} has no section "### R7 — …"`,
      'subgraphs/example/src/policy.ts: mayDoAnything cites no rule id in its doc comment',
      `${RULES_DOC} is stale: run npm run docs:rules`,
    ]);
  });

  it('finds the rules a test cites in its describe and it names, template titles included', () => {
    const names = testNamesOf('x.test.ts', "describe('R15: mandates', () => { it.each([1])(`R16 level %s`, () => {}); it('plain', () => {}); });");
    expect(names).toEqual(['R15: mandates', 'R16 level %s', 'plain']);
    expect(RULE_IDS).toHaveLength(23);
  });
});
