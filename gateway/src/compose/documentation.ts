import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLArgument,
  type GraphQLSchema,
} from 'graphql';

const isDocumented = (description: string | null | undefined): boolean => (description ?? '').trim() !== '';

/**
 * Every element of the schema a client can see but nobody described: types (built-in scalars and
 * introspection types aside, GraphQL documents those), their fields and field arguments, input
 * fields and enum values, as `Type`, `Type.field`, `Type.field(argument:)` or `Enum.VALUE`,
 * sorted. A blank description counts as none.
 */
export function undocumentedElements(schema: GraphQLSchema): string[] {
  const undocumented: string[] = [];
  const reportArguments = (owner: string, args: readonly GraphQLArgument[]): void => {
    for (const argument of args) {
      if (!isDocumented(argument.description)) undocumented.push(`${owner}(${argument.name}:)`);
    }
  };

  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    if (!isDocumented(type.description)) undocumented.push(type.name);

    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        const key = `${type.name}.${field.name}`;
        if (!isDocumented(field.description)) undocumented.push(key);
        reportArguments(key, field.args);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (!isDocumented(field.description)) undocumented.push(`${type.name}.${field.name}`);
      }
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) {
        if (!isDocumented(value.description)) undocumented.push(`${type.name}.${value.name}`);
      }
    }
  }
  return undocumented.sort();
}
