import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

// docs/rules.md states the domain rules in the team's words; under each, a block generated from
// the code says which policy functions enforce it and which tests cite it. `npm run docs:rules`
// rewrites the blocks; tests/rules-doc.test.ts fails when one is stale or a rule is left out.

export const REPOSITORY = path.resolve(__dirname, '..', '..');
export const RULES_DOC = 'docs/rules.md';
export const RULE_IDS = Array.from({ length: 23 }, (_, index) => `R${index + 1}`);

const POLICY_MODULE = 'src/policy.ts';
const RULE_ID = /\bR(\d{1,2})\b/g;

export interface PolicyFunction {
  subgraph: string;
  name: string;
  rules: string[];
  /** Relative to the repository, with forward slashes. */
  file: string;
}

export interface CitingTests {
  file: string;
  /** Names of the describe/it blocks that cite the rule. */
  names: string[];
}

const ruleIdsIn = (text: string): string[] => [...new Set([...text.matchAll(RULE_ID)].map((match) => `R${Number(match[1])}`))];

const relative = (file: string): string => path.relative(REPOSITORY, file).split(path.sep).join('/');

/** The product subgraphs with a policy module (every npm workspace under subgraphs/ but the kit). */
export function policyModules(): Array<{ subgraph: string; file: string }> {
  const workspaces = (JSON.parse(readFileSync(path.join(REPOSITORY, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
  return workspaces
    .filter((workspace) => workspace.startsWith('subgraphs/') && workspace !== 'subgraphs/kit')
    .map((workspace) => ({ subgraph: path.basename(workspace), file: `${workspace}/${POLICY_MODULE}` }));
}

/** The JSDoc text written just above a declaration. */
function jsDocOf(node: ts.Node, source: ts.SourceFile): string {
  return (ts.getLeadingCommentRanges(source.text, node.getFullStart()) ?? [])
    .map((range) => source.text.slice(range.pos, range.end))
    .filter((comment) => comment.startsWith('/**'))
    .join('\n');
}

const isExported = (node: ts.Node): boolean =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword);

/** Every exported declaration of a policy module, with the rule ids its JSDoc cites. */
export function policyFunctionsOf(subgraph: string, file: string, text: string): PolicyFunction[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: PolicyFunction[] = [];
  for (const statement of source.statements) {
    if (!isExported(statement)) continue;
    const names = ts.isVariableStatement(statement)
      ? statement.declarationList.declarations.map((declaration) => declaration.name.getText(source))
      : ts.isFunctionDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)
        ? [statement.name?.getText(source) ?? 'default']
        : [];
    for (const name of names) found.push({ subgraph, name, file, rules: ruleIdsIn(jsDocOf(statement, source)) });
  }
  return found;
}

export function policyFunctions(): PolicyFunction[] {
  return policyModules().flatMap(({ subgraph, file }) => policyFunctionsOf(subgraph, file, readFileSync(path.join(REPOSITORY, file), 'utf8')));
}

const TEST_ROOTS = ['tests', 'gateway/src', 'gateway/test', 'subgraphs'];
// tests/subgraph-scaffold.e2e.ts generates a throw-away subgraph under subgraphs/scaffold-check-*
// while other test files run beside it: its tests are not the product's.
const isTestFile = (file: string): boolean =>
  /\.(test|e2e)\.ts$/.test(file) && !file.includes('/node_modules/') && !file.includes('/support/') && !file.startsWith('subgraphs/scaffold-check-');

function testFiles(): string[] {
  return TEST_ROOTS.flatMap((root) =>
    readdirSync(path.join(REPOSITORY, root), { recursive: true, encoding: 'utf8' })
      .map((entry) => relative(path.join(REPOSITORY, root, entry)))
      .filter(isTestFile),
  ).sort();
}

const TEST_BLOCKS = new Set(['describe', 'it', 'test']);

/** The callee's base name: `it`, `describe.each(…)`, `it.concurrent` all count. */
function blockName(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text;
  if (ts.isPropertyAccessExpression(expression)) return blockName(expression.expression);
  if (ts.isCallExpression(expression)) return blockName(expression.expression);
  return undefined;
}

/** The names of a test file's describe/it/test blocks. */
export function testNamesOf(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const names: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && TEST_BLOCKS.has(blockName(node.expression) ?? '')) {
      const [title] = node.arguments;
      if (title && (ts.isStringLiteral(title) || ts.isNoSubstitutionTemplateLiteral(title) || ts.isTemplateExpression(title))) {
        names.push(ts.isTemplateExpression(title) ? title.getText(source).slice(1, -1) : title.text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

/** For each rule, the test files whose describe/it names cite it. */
export function citingTests(): Map<string, CitingTests[]> {
  const byRule = new Map<string, CitingTests[]>(RULE_IDS.map((rule) => [rule, []]));
  for (const file of testFiles()) {
    const names = testNamesOf(file, readFileSync(path.join(REPOSITORY, file), 'utf8'));
    for (const rule of RULE_IDS) {
      const citing = names.filter((name) => ruleIdsIn(name).includes(rule));
      if (citing.length > 0) byRule.get(rule)?.push({ file, names: citing });
    }
  }
  return byRule;
}

const START = (rule: string) => `<!-- enforced-by ${rule} -->`;
const END = (rule: string) => `<!-- /enforced-by ${rule} -->`;

/** The generated block of one rule: its policy functions, by subgraph, and the tests that cite it. */
export function enforcedBy(rule: string, functions: readonly PolicyFunction[], tests: readonly CitingTests[]): string {
  const mine = functions.filter((fn) => fn.rules.includes(rule));
  const bySubgraph = new Map<string, PolicyFunction[]>();
  for (const fn of mine) bySubgraph.set(fn.subgraph, [...(bySubgraph.get(fn.subgraph) ?? []), fn]);
  const policy =
    mine.length === 0
      ? '- Policy: no access decision of its own (see above).'
      : [...bySubgraph.entries()]
          .map(([subgraph, fns]) => `- Policy, [${subgraph}](../${fns[0]?.file}): ${fns.map((fn) => `\`${fn.name}\``).join(', ')}`)
          .join('\n');
  const tested = tests.map((test) => `[${test.file}](../${test.file}) (${test.names.length})`).join(', ');
  return [START(rule), policy, `- Tests citing ${rule}: ${tested || 'none'}`, END(rule)].join('\n');
}

/** The document with every rule's block regenerated; a rule whose markers are missing is left for the check to report. */
export function withEnforcedBy(doc: string, functions: readonly PolicyFunction[], tests: ReadonlyMap<string, CitingTests[]>): string {
  return RULE_IDS.reduce((text, rule) => {
    const start = text.indexOf(START(rule));
    const end = text.indexOf(END(rule));
    if (start < 0 || end < start) return text;
    return text.slice(0, start) + enforcedBy(rule, functions, tests.get(rule) ?? []) + text.slice(end + END(rule).length);
  }, doc);
}

/** What is wrong with the document and the code it describes, in words; empty when all holds. */
export function rulesDocProblems(doc: string, functions: readonly PolicyFunction[], tests: ReadonlyMap<string, CitingTests[]>): string[] {
  const problems: string[] = [];
  for (const rule of RULE_IDS) {
    if (!new RegExp(`^### ${rule} — `, 'm').test(doc)) problems.push(`${RULES_DOC} has no section "### ${rule} — …"`);
    if (!doc.includes(START(rule)) || !doc.includes(END(rule))) problems.push(`${RULES_DOC} has no generated block for ${rule}`);
    if ((tests.get(rule) ?? []).length === 0) problems.push(`no test names ${rule} in its describe or it`);
  }
  for (const fn of functions) {
    if (fn.rules.length === 0) problems.push(`${fn.file}: ${fn.name} cites no rule id in its doc comment`);
    for (const rule of fn.rules) if (!RULE_IDS.includes(rule)) problems.push(`${fn.file}: ${fn.name} cites ${rule}, which is not a rule`);
  }
  if (withEnforcedBy(doc, functions, tests) !== doc) problems.push(`${RULES_DOC} is stale: run npm run docs:rules`);
  return problems;
}
