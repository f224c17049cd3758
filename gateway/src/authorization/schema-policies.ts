import {
  Kind,
  parse,
  print,
  valueFromASTUntyped,
  visit,
  type ConstDirectiveNode,
  type DefinitionNode,
  type DirectiveNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
} from 'graphql';

/**
 * One requirement of the federation security specs. Every requirement found on an element must
 * hold; inside one, `anyOf` is an OR of AND groups, as the specs define it.
 */
export type Requirement =
  | { kind: 'authenticated' }
  | { kind: 'scopes'; anyOf: string[][] }
  | { kind: 'policies'; anyOf: string[][] };

export interface AuthorizationRules {
  /** What a type requires, for its own fields and for every field that returns it. */
  types: ReadonlyMap<string, readonly Requirement[]>;
  /** What one field requires, keyed `Type.field`. */
  fields: ReadonlyMap<string, readonly Requirement[]>;
}

type RequirementKind = Requirement['kind'];

/** The security specs composition links into the supergraph, by URL prefix (any version). */
const SECURITY_SPECS: ReadonlyArray<{ urlPrefix: string; defaultName: string; kind: RequirementKind; argument?: string }> = [
  { urlPrefix: 'https://specs.apollo.dev/authenticated/', defaultName: 'authenticated', kind: 'authenticated' },
  { urlPrefix: 'https://specs.apollo.dev/requiresScopes/', defaultName: 'requiresScopes', kind: 'scopes', argument: 'scopes' },
  { urlPrefix: 'https://specs.apollo.dev/policy/', defaultName: 'policy', kind: 'policies', argument: 'policies' },
];

export const fieldKey = (typeName: string, fieldName: string): string => `${typeName}.${fieldName}`;

/**
 * Reads `@authenticated`, `@requiresScopes` and `@policy` from a supergraph SDL. The gateway's API
 * schema drops them, so the supergraph is the only place they survive. A supergraph may rename a
 * spec's directive (`@link(url: …, as: "…")`): names come from its `@link`s, not from habit.
 */
export function readAuthorizationRules(supergraphSdl: string | DocumentNode): AuthorizationRules {
  const document = typeof supergraphSdl === 'string' ? parse(supergraphSdl) : supergraphSdl;
  const directiveKinds = securityDirectiveNames(document);
  const types = new Map<string, Requirement[]>();
  const fields = new Map<string, Requirement[]>();
  const add = (map: Map<string, Requirement[]>, key: string, found: Requirement[]) => {
    if (found.length > 0) map.set(key, [...(map.get(key) ?? []), ...found]);
  };

  for (const definition of document.definitions) {
    if (!isNamedTypeDefinition(definition)) continue;
    const typeName = definition.name.value;
    add(types, typeName, requirementsOf(definition.directives, directiveKinds));
    const typeFields: readonly (FieldDefinitionNode | InputValueDefinitionNode)[] = 'fields' in definition && definition.fields ? definition.fields : [];
    for (const field of typeFields) {
      add(fields, fieldKey(typeName, field.name.value), requirementsOf(field.directives, directiveKinds));
    }
  }
  return { types, fields };
}

/**
 * The supergraph without its security features (their `@link`s, directives and the scalars they
 * own). `@apollo/gateway` refuses to load a supergraph that links a SECURITY feature it does not
 * enforce; it gets this copy, once the gateway has read the rules and enforces them itself.
 */
export function withoutSecurityFeatures(supergraphSdl: string): string {
  const document = parse(supergraphSdl);
  const names = securityDirectiveNames(document);
  if (names.size === 0) return supergraphSdl;
  const ownedPrefixes = [...names.keys()].map((name) => `${name}__`);
  const stripped = visit(document, {
    Directive: (directive) => (names.has(directive.name.value) || securitySpecOfLink(directive) ? null : undefined),
    DirectiveDefinition: (definition) => (names.has(definition.name.value) ? null : undefined),
    ScalarTypeDefinition: (definition) => (ownedPrefixes.some((prefix) => definition.name.value.startsWith(prefix)) ? null : undefined),
  });
  return print(stripped);
}

function securityDirectiveNames(document: DocumentNode): Map<string, (typeof SECURITY_SPECS)[number]> {
  const names = new Map<string, (typeof SECURITY_SPECS)[number]>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      const spec = securitySpecOfLink(link);
      if (spec) names.set(stringArgument(link, 'as') ?? spec.defaultName, spec);
    }
  }
  return names;
}

function securitySpecOfLink(directive: DirectiveNode): (typeof SECURITY_SPECS)[number] | undefined {
  if (directive.name.value !== 'link') return undefined;
  const url = stringArgument(directive, 'url');
  return url ? SECURITY_SPECS.find((candidate) => url.startsWith(candidate.urlPrefix)) : undefined;
}

function requirementsOf(
  directives: readonly ConstDirectiveNode[] | undefined,
  directiveKinds: Map<string, (typeof SECURITY_SPECS)[number]>,
): Requirement[] {
  return (directives ?? []).flatMap((directive): Requirement[] => {
    const spec = directiveKinds.get(directive.name.value);
    if (!spec) return [];
    if (spec.kind === 'authenticated') return [{ kind: 'authenticated' }];
    const argument = directive.arguments?.find((candidate) => candidate.name.value === spec.argument);
    const anyOf = argument ? (valueFromASTUntyped(argument.value) as string[][]) : [];
    return [{ kind: spec.kind, anyOf }];
  });
}

function stringArgument(directive: DirectiveNode, name: string): string | undefined {
  const argument = directive.arguments?.find((candidate) => candidate.name.value === name);
  return argument?.value.kind === Kind.STRING ? argument.value.value : undefined;
}

const NAMED_TYPE_KINDS = new Set<string>([
  Kind.OBJECT_TYPE_DEFINITION,
  Kind.OBJECT_TYPE_EXTENSION,
  Kind.INTERFACE_TYPE_DEFINITION,
  Kind.INTERFACE_TYPE_EXTENSION,
  Kind.SCALAR_TYPE_DEFINITION,
  Kind.SCALAR_TYPE_EXTENSION,
  Kind.ENUM_TYPE_DEFINITION,
  Kind.ENUM_TYPE_EXTENSION,
]);

function isNamedTypeDefinition(definition: DefinitionNode): definition is DefinitionNode & {
  name: { value: string };
  directives?: readonly ConstDirectiveNode[];
} {
  return NAMED_TYPE_KINDS.has(definition.kind);
}
