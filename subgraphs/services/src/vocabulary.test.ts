import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DirectionCode, ServiceCode, ServiceRole } from '@pgamr/kit';
import { Kind, parse } from 'graphql';
import { CATALOG } from './seed/reference-data';

/** The values of an enum of services' SDL, in their order. */
function enumValues(name: string): string[] {
  const document = parse(readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8'));
  const definition = document.definitions.find((node) => node.kind === Kind.ENUM_TYPE_DEFINITION && node.name.value === name);
  if (definition?.kind !== Kind.ENUM_TYPE_DEFINITION) throw new Error(`enum ${name} is not in schema.graphql`);
  return (definition.values ?? []).map((value) => value.name.value);
}

describe("the kit's vocabulary and services' schema and catalog say the same", () => {
  it('R8–R14: the ServiceRole enum has exactly the kit’s ServiceRole values', () => {
    expect(enumValues('ServiceRole')).toEqual(Object.values(ServiceRole));
  });

  it('R13: PerformRole is the PERFORM roles; R11: ManagerRole names service roles', () => {
    expect(enumValues('PerformRole')).toEqual(Object.values(ServiceRole).filter((role) => role.startsWith('PERFORM_')));
    expect(enumValues('ManagerRole')).toEqual([ServiceRole.LocalManager, ServiceRole.MandateManager]);
  });

  it("R7: services' reference catalog has every service code of the vocabulary, owned by its directions", () => {
    expect(CATALOG.map((entry) => entry.code).sort()).toEqual(Object.values(ServiceCode).sort());
    expect([...new Set(CATALOG.map((entry) => entry.direction))].sort()).toEqual(Object.values(DirectionCode).sort());
  });
});
