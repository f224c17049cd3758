import { catalogDeclarationIssues, catalogDeclarationSchema } from './declaration';

const valid = {
  directions: {
    DGAT: {
      ministry: 'Ministère des Transports et de la Mobilité durable',
      name: "Direction générale de l'aide financière aux municipalités en transport",
      support: { phone: '418 643-6940', email: 'pavl@transports.gouv.qc.ca' },
    },
  },
  services: [{ code: 'PAVL', name: "Programme d'aide à la voirie locale", description: 'Demandes.', sector: 'INFRASTRUCTURES', direction: 'DGAT' }],
  demoRights: [{ user: 'MAG0000002', organization: 'MUN-45072', service: 'PAVL', role: 'USER' }],
};

const issuesOf = (declaration: unknown): string[] => {
  const parsed = catalogDeclarationSchema.safeParse(declaration);
  return parsed.success ? [] : catalogDeclarationIssues(parsed.error);
};

describe('a subgraph catalog declaration (R7, R23)', () => {
  it('accepts a service with its declared direction and demo rights on it; demo rights are optional', () => {
    expect(issuesOf(valid)).toEqual([]);
    const { demoRights: _omitted, ...withoutDemoRights } = valid;
    expect(catalogDeclarationSchema.parse(withoutDemoRights).demoRights).toEqual([]);
  });

  it("refuses demo rights on another subgraph's service: a subgraph gives demonstration rights on its own services only", () => {
    expect(issuesOf({ ...valid, demoRights: [{ ...valid.demoRights[0], service: 'TECQ' }] })).toEqual([
      "demoRights.0.service: le service TECQ n'est pas un service de cette déclaration",
    ]);
  });

  it('refuses a sector outside the kit vocabulary, an undeclared direction, a service declared twice, an unknown key', () => {
    const service = valid.services[0]!;
    expect(issuesOf({ ...valid, services: [{ ...service, sector: 'MARITIME' }] })).toEqual([expect.stringMatching(/^services\.0\.sector: /)]);
    expect(issuesOf({ ...valid, services: [{ ...service, direction: 'DGI' }] })).toEqual(["services.0.direction: la direction DGI n'est pas déclarée"]);
    expect(issuesOf({ ...valid, services: [service, service] })).toEqual(['services.1.code: le service PAVL est déclaré deux fois']);
    expect(issuesOf({ ...valid, services: [{ ...service, owner: 'DGAT' }] })).toHaveLength(1);
  });

  it("refuses what the catalog's columns could not hold", () => {
    const service = valid.services[0]!;
    expect(issuesOf({ ...valid, services: [{ ...service, code: 'pavl' }], demoRights: [] })).toEqual([expect.stringMatching(/^services\.0\.code: /)]);
    expect(issuesOf({ ...valid, services: [{ ...service, name: 'x'.repeat(201) }] })).toEqual([expect.stringMatching(/^services\.0\.name: /)]);
    const support = { phone: '418 643-6940', email: 'pas-un-courriel' };
    expect(issuesOf({ ...valid, directions: { DGAT: { ...valid.directions.DGAT, support } } })).toEqual([expect.stringMatching(/^directions\.DGAT\.support\.email: /)]);
  });
});
