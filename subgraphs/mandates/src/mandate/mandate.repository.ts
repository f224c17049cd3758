import { raw, type FilterObject, type FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CLOSED_STATUSES, type Dossier } from '../dossier/dossier.entity';
import { Mandate, MandateDossier, mandateLevelOf, type MandateLevel } from './mandate.entity';
import { isDossierless } from '../perform';

/** A dossier an active mandate lets its mandataire work on, at the mandate's level. */
export interface MandateCoverage {
  mandataireId: string;
  mandateId: string;
  dossierId: string;
  level: MandateLevel;
}

/**
 * R15, R16: the one definition of a mandate in force on a dossier today: not revoked, inside its
 * dates (calendar days in Québec), on a dossier still open. `mandate` and `dossier` only narrow
 * it (whose mandates, which dossiers), so that what a mandataire may open and what the
 * organization is shown as in force can never drift apart.
 */
function inForce(today: string, mandate: FilterObject<Mandate>, dossier: FilterObject<Dossier>): FilterObject<MandateDossier> {
  return { mandate: inDates(today, mandate), dossier: { ...dossier, status: { $nin: [...CLOSED_STATUSES] } } };
}

/**
 * The mandate's own part of being in force: not revoked, and today inside its dates. With an open
 * dossier (the dossier's part, above), it is what Dossier.activeMandates lists.
 */
export const inDates = (today: string, mandate: FilterObject<Mandate>): FilterQuery<Mandate> => ({
  ...mandate,
  revokedAt: null,
  startsOn: { $lte: today },
  $or: [{ endsOn: null }, { endsOn: { $gte: today } }],
});

/**
 * The same definition for the mandates of one dossier already read (Dossier.activeMandates): none
 * once the dossier is closed, otherwise those of `mandate` not revoked and inside their dates.
 */
export const inForceOnDossier = (today: string, dossier: Pick<Dossier, 'status'>, mandate: FilterObject<Mandate> = {}): FilterQuery<Mandate> | null =>
  CLOSED_STATUSES.includes(dossier.status) ? null : inDates(today, mandate);

/** The coverage statement's SQL and values, for the values it was written with. */
interface Statement {
  sql: string;
  bindings: readonly unknown[];
}

// The coverage statement is asked on every request, and MikroORM's query builder took 8 to 12 % of
// the subgraph's CPU writing it (issue 16). It is written once per number of mandataires from the
// definition above, with stand-ins for the day and the ids; each request puts its own values in
// their places. The definition stays the only statement of the rule.
const TODAY_STAND_IN = '0001-01-01';
const standInId = (index: number) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
/** Batches of a request's loader hold one mandataire (the caller): only small statements are kept. */
const KEPT_STATEMENTS = 4;
const coverageStatements = new Map<number, Statement>();

function writeCoverageStatement(em: EntityManager, standIns: readonly string[]): Statement {
  const { sql, bindings } = em
    .createQueryBuilder(MandateDossier, 'md')
    .select([
      raw('"m"."mandataire_id" as "mandataire_id"'),
      raw('"md"."mandate_id" as "mandate_id"'),
      raw('"md"."dossier_id" as "dossier_id"'),
      raw('"m"."level" as "level"'),
    ])
    // The joins the definition's conditions on `mandate` and `dossier` name, under these aliases.
    .join('md.mandate', 'm')
    .join('md.dossier', 'd')
    .where(inForce(TODAY_STAND_IN, { mandataireId: { $in: [...standIns] } }, {}))
    .getKnexQuery()
    .toSQL();
  // Every stand-in must be a value of the statement, never written into its text: a value
  // written in the text would not be replaced, and the statement would answer for the stand-in.
  const values = new Set(bindings);
  if ([TODAY_STAND_IN, ...standIns].some((standIn) => !values.has(standIn) || sql.includes(standIn))) {
    throw new Error('the coverage statement does not hold its stand-ins as values');
  }
  return { sql, bindings };
}

/**
 * R15, R16: the dossiers the mandataires' mandates cover now. Read from the database on every
 * request, so a revocation or a closed dossier shows on the very next one. Read as rows (the four
 * columns the rule needs), not entities: hydrating the links and their mandates was a fifth of the
 * subgraph's CPU on a mandataire's list of dossiers (issue 16).
 */
export async function findActiveCoverage(em: EntityManager, mandataireIds: readonly string[], today: string): Promise<MandateCoverage[]> {
  if (mandataireIds.length === 0) return [];
  const standIns = mandataireIds.map((_, index) => standInId(index));
  let statement = coverageStatements.get(standIns.length);
  if (!statement) {
    statement = writeCoverageStatement(em, standIns);
    if (standIns.length <= KEPT_STATEMENTS) coverageStatements.set(standIns.length, statement);
  }
  const idOf = new Map(standIns.map((standIn, index) => [standIn, mandataireIds[index]]));
  const bindings = statement.bindings.map((value) => (value === TODAY_STAND_IN ? today : typeof value === 'string' ? (idOf.get(value) ?? value) : value));
  const rows = await em.execute<Array<Record<string, unknown>>>(statement.sql, bindings);
  return rows.map((row) => ({
    mandataireId: String(row.mandataire_id),
    mandateId: String(row.mandate_id),
    dossierId: String(row.dossier_id),
    level: mandateLevelOf(row.level),
  }));
}

/**
 * R13, R15: a mandate in force today from the organization to this user on this service, the
 * newest first, or null. A mandate on dossiers needs one of them still open (the definition
 * above); PERFORM's audit mandate names none, and is in force inside its dates until revoked.
 */
export async function findMandateInForce(
  em: EntityManager,
  question: { organizationId: string; serviceId: string; mandataireId: string },
  today: string,
): Promise<Mandate | null> {
  const granted = { organizationId: question.organizationId, serviceId: question.serviceId, mandataireId: question.mandataireId };
  const orderBy = { grantedAt: 'desc', id: 'desc' } as const;
  if (isDossierless(question.serviceId)) {
    const [mandate] = await em.find(Mandate, inDates(today, granted), { orderBy, limit: 1 });
    return mandate ?? null;
  }
  const [link] = await em.find(MandateDossier, inForce(today, granted, {}), { populate: ['mandate'], orderBy: { mandate: orderBy }, limit: 1 });
  return link?.mandate.$ ?? null;
}

/**
 * R15, R16: the mandataires of the mandates in force on `dossier` today, by the one definition
 * above (the dossier read as it is now, before a change of status closes it).
 */
export async function mandatairesInForceOn(em: EntityManager, dossier: Dossier, today: string): Promise<string[]> {
  const links = await em.find(MandateDossier, inForce(today, {}, { id: dossier.id, status: dossier.status }), { populate: ['mandate'] });
  return [...new Set(links.map((link) => link.mandate.$.mandataireId))];
}
