import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { fieldKey, readAuthorizationRules, withoutSecurityFeatures } from './schema-policies';

const committedSupergraph = readFileSync(path.resolve(__dirname, '..', '..', '..', 'supergraph.graphql'), 'utf8');

describe('the supergraph security features', () => {
  it('reads field and type rules as composition emits them', () => {
    const rules = readAuthorizationRules(committedSupergraph);
    expect(rules.fields.get(fieldKey('Mutation', 'nameRse'))).toEqual([{ kind: 'authenticated' }, { kind: 'scopes', anyOf: [['CSE_AGENT']] }]);
    expect(rules.types.get('Dossier')).toEqual([{ kind: 'authenticated' }, { kind: 'policies', anyOf: [['personal_password']] }]);
    expect(rules.fields.has(fieldKey('Mutation', 'signIn'))).toBe(false);
  });

  it('gives @apollo/gateway a supergraph it loads, which it refuses with the security features in', () => {
    expect(() => Supergraph.build(committedSupergraph)).toThrow(/SECURITY but is unsupported/);
    const stripped = withoutSecurityFeatures(committedSupergraph);
    expect(() => Supergraph.build(stripped)).not.toThrow();
    expect(stripped).not.toMatch(/@authenticated|@requiresScopes|@policy|requiresScopes__Scope|policy__Policy/);
    expect(readAuthorizationRules(stripped).fields.size).toBe(0);
  });
});
