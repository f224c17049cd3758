import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { frenchValidationMessages } from '../environment';
import { SectorCode } from './sectors';
import { ServiceRole } from './vocabulary';

/** A catalog code as the portal shows it (`TECQ`, `RÉCIM`, `MAJ-CLIENTELE`): `stableId('online-service', code)` is its id. */
const serviceCode = z.string().regex(/^[\p{Lu}0-9][\p{Lu}0-9-]{0,29}$/u, 'un code en majuscules de 30 caractères au plus est attendu');
const directionCode = z.string().regex(/^[A-Z][A-Z0-9-]{0,19}$/, 'un code de direction en majuscules de 20 caractères au plus est attendu');
const text = (max: number) => z.string().trim().min(1).max(max);

/** A direction that owns services, with the support contact the API gives for them (R7, R22); lengths are the catalog's columns. */
const directionSchema = z.strictObject({
  ministry: text(200),
  name: text(200),
  support: z.strictObject({ phone: text(30), email: z.email().max(254) }),
});

const serviceSchema = z.strictObject({
  code: serviceCode,
  name: text(200),
  description: text(2000),
  sector: z.enum(SectorCode),
  direction: directionCode,
});

/** A right for demonstrations, by the demo data sets' codes (clicSÉQUR code, organization code). */
const demoRightSchema = z.strictObject({
  user: z.string().regex(/^[A-Z0-9]{1,20}$/),
  organization: z.string().regex(/^[A-Z0-9-]{1,30}$/),
  service: serviceCode,
  role: z.enum(ServiceRole),
});

/**
 * What a subgraph declares about the online services it serves (R7, R23): their catalog entries,
 * their owning directions, and rights for demonstrations. The services subgraph owns the catalog
 * and checks a declaration again when it receives one; this schema is the contract both sides share.
 */
export const catalogDeclarationSchema = z
  .strictObject({
    directions: z.record(directionCode, directionSchema),
    services: z.array(serviceSchema).min(1),
    demoRights: z.array(demoRightSchema).default([]),
  })
  .superRefine((declaration, context) => {
    const codes = new Set<string>();
    declaration.services.forEach((service, index) => {
      if (codes.has(service.code)) context.addIssue({ code: 'custom', path: ['services', index, 'code'], message: `le service ${service.code} est déclaré deux fois` });
      codes.add(service.code);
      if (!Object.hasOwn(declaration.directions, service.direction)) {
        context.addIssue({ code: 'custom', path: ['services', index, 'direction'], message: `la direction ${service.direction} n'est pas déclarée` });
      }
    });
    // A subgraph gives demonstration rights on its own services only, never on another's.
    declaration.demoRights.forEach((right, index) => {
      if (!codes.has(right.service)) {
        context.addIssue({ code: 'custom', path: ['demoRights', index, 'service'], message: `le service ${right.service} n'est pas un service de cette déclaration` });
      }
    });
  });

export type CatalogDeclaration = z.output<typeof catalogDeclarationSchema>;
export type CatalogDirection = CatalogDeclaration['directions'][string];
export type CatalogService = CatalogDeclaration['services'][number];
export type CatalogDemoRight = CatalogDeclaration['demoRights'][number];

/** The problems of a declaration, one `path: message` each in French; empty when it is valid. */
export function catalogDeclarationIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || '(déclaration)'}: ${issue.message}`);
}

/** The name of the declaration file, at the root of a subgraph's folder beside `schema.graphql`. */
export const CATALOG_FILE = 'catalog.json';

/**
 * A subgraph's catalog declaration, read once from the `catalog.json` at the root of its folder
 * and checked; throws with every problem listed, so a mistake stops the start (and its test).
 */
export function loadCatalogDeclaration(subgraphSourceDir: string): CatalogDeclaration {
  const file = path.join(subgraphSourceDir, '..', CATALOG_FILE);
  frenchValidationMessages();
  const parsed = catalogDeclarationSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`Déclaration de catalogue invalide (${file}) :\n- ${catalogDeclarationIssues(parsed.error).join('\n- ')}`);
  return parsed.data;
}
