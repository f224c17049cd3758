import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, validate } from 'graphql';
import { apiSchemaOf } from '../../compose/api-schema';
import { looksEnglish } from '../../compose/schema-rules';
import { EXAMPLE_GROUPS } from './examples';

const REPOSITORY = path.resolve(__dirname, '..', '..', '..', '..');
const schema = apiSchemaOf(readFileSync(path.join(REPOSITORY, 'supergraph.graphql'), 'utf8'));
const examples = EXAMPLE_GROUPS.flatMap((group) => group.examples);

describe('GraphiQL example operations', () => {
  it('lists examples for the analysts', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(examples.map((example) => [example.title, example] as const))('%s is valid against the committed API schema', (_title, example) => {
    const errors = validate(schema, parse(example.document));
    expect(errors.map((error) => error.message)).toEqual([]);
  });

  it('each example is one named operation, under a name no other example uses', () => {
    const names = examples.map((example) => {
      const operations = parse(example.document).definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
      expect(operations).toHaveLength(1);
      expect(operations[0]?.name?.value).toEqual(expect.any(String));
      return operations[0]?.name?.value;
    });
    expect(new Set(names).size).toBe(names.length);
  });

  it('titles and descriptions are French, and no two examples share a title', () => {
    for (const group of EXAMPLE_GROUPS) expect(looksEnglish(group.title)).toBe(false);
    for (const example of examples) {
      expect(example.title.trim()).not.toBe('');
      expect(example.description.trim()).not.toBe('');
      expect(looksEnglish(`${example.title} ${example.description}`)).toBe(false);
    }
    expect(new Set(examples.map((example) => example.title)).size).toBe(examples.length);
  });
});
