import { buildASTSchema, getNamedType, isInterfaceType, isObjectType, isUnionType, parse, type GraphQLNamedType } from 'graphql';
import { isKnownPolicy, isKnownScope } from './requirements';
import { fieldKey, readAuthorizationRules } from './schema-policies';

/**
 * R20, deny by default: every field reachable from Query and Mutation (through objects,
 * interfaces and unions, entity fields of every subgraph included) with no rule of its own nor
 * of its parent type, as `Type.field`, except the deliberately public ones.
 */
export function unprotectedFields(supergraphSdl: string, publicFields: ReadonlySet<string>): string[] {
  const document = parse(supergraphSdl);
  const schema = buildASTSchema(document, { assumeValidSDL: true });
  const rules = readAuthorizationRules(document);
  const unprotected: string[] = [];
  const seen = new Set<string>();
  const pending: GraphQLNamedType[] = [schema.getQueryType(), schema.getMutationType()].filter((type) => type != null);

  for (let type = pending.pop(); type; type = pending.pop()) {
    if (seen.has(type.name)) continue;
    seen.add(type.name);
    if (isUnionType(type) || isInterfaceType(type)) pending.push(...schema.getPossibleTypes(type));
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    const typeRuled = (rules.types.get(type.name)?.length ?? 0) > 0;
    for (const field of Object.values(type.getFields())) {
      const key = fieldKey(type.name, field.name);
      const ruled = typeRuled || (rules.fields.get(key)?.length ?? 0) > 0;
      if (!ruled && !publicFields.has(key)) unprotected.push(key);
      pending.push(getNamedType(field.type));
    }
  }
  return unprotected.sort();
}

/** Scopes and policies the supergraph names but the gateway cannot grant: typos that deny everyone. */
export function unknownRequirementNames(supergraphSdl: string): string[] {
  const rules = readAuthorizationRules(supergraphSdl);
  const unknown = new Set<string>();
  for (const requirements of [...rules.types.values(), ...rules.fields.values()]) {
    for (const requirement of requirements) {
      if (requirement.kind === 'scopes') requirement.anyOf.flat().filter((scope) => !isKnownScope(scope)).forEach((scope) => unknown.add(`scope ${scope}`));
      if (requirement.kind === 'policies') requirement.anyOf.flat().filter((name) => !isKnownPolicy(name)).forEach((name) => unknown.add(`policy ${name}`));
    }
  }
  return [...unknown].sort();
}
