import { AUDITING_FIRM_KIND, badUserInput, conflict, EventType, isUuid, notFound, recordAudit, requireViewer, type Viewer } from '@pgamr/kit';
import { LockMode, ref } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { MandatesAuditAction } from '../audit/audit-actions';
import type { MandatesContext } from '../context';
import { CLOSED_STATUSES, Dossier } from '../dossier/dossier.entity';
import { Mandate, MandateDossier, type MandateLevel } from './mandate.entity';
import { quebecToday } from '../calendar';
import { raiseMandateEvent } from '../events';
import { isDossierless } from '../perform';
import {
  ensureMayGiveMandate,
  ensureMayPassOnAtLevel,
  ensureMayPassOnDossiers,
  ensureMayPassOnForPeriod,
  ensureMayPassOnMandate,
  ensureMayRevokeMandate,
  maySeeMandate,
} from '../policy';

const MAX_DOSSIERS_PER_MANDATE = 50;
const isoDate = z.iso.date();

/** The same answer for a mandate that does not exist and one the caller may not see. */
const mandateNotFound = () => notFound("Ce mandat n'existe pas ou vous n'y avez pas accès.");

function parseDate(value: string, field: string): string {
  if (!isoDate.safeParse(value).success) throw badUserInput('Une date au format AAAA-MM-JJ est attendue.', { field });
  return value;
}

/** Mandate dates: from today on, and the end (if any) not before the start. */
function parsePeriod(startsOn: string, endsOn: string | null | undefined, today: string): { startsOn: string; endsOn: string | null } {
  parseDate(startsOn, 'input.startsOn');
  if (endsOn != null) parseDate(endsOn, 'input.endsOn');
  if (startsOn < today) throw badUserInput("Un mandat ne peut commencer avant aujourd'hui.", { field: 'input.startsOn' });
  if (endsOn != null && endsOn < startsOn) throw badUserInput('La date de fin du mandat doit suivre sa date de début.', { field: 'input.endsOn' });
  return { startsOn, endsOn: endsOn ?? null };
}

function parseDossierIds(ids: readonly string[]): string[] {
  const unique = [...new Set(ids)];
  if (unique.length === 0) throw badUserInput('Un mandat porte sur au moins un dossier.', { field: 'input.dossierIds' });
  if (unique.length > MAX_DOSSIERS_PER_MANDATE) {
    throw badUserInput(`Un mandat porte sur au plus ${MAX_DOSSIERS_PER_MANDATE} dossiers.`, { field: 'input.dossierIds' });
  }
  return unique;
}

/** R13: PERFORM's audit mandate names no dossier (see isDossierless). */
function parseNoDossiers(ids: readonly string[] | null | undefined): string[] {
  if (ids && ids.length > 0) throw badUserInput('Un mandat PERFORM porte sur les rapports financiers de l’organisation, sur aucun dossier.', { field: 'dossierIds' });
  return [];
}

/** R15: the mandataire is named by their clicSÉQUR code and must be an active user of a firm. */
async function findMandataire(context: MandatesContext, code: string) {
  const mandataire = await context.directory.findFirmUser(code.trim());
  if (!mandataire) {
    throw badUserInput("Ce code clicSÉQUR n'est pas celui d'un utilisateur actif d'une firme.", { field: 'input.mandataireCode' });
  }
  return mandataire;
}

const snapshot = (mandate: Mandate, dossierIds: readonly string[]) => ({
  mandataireId: mandate.mandataireId,
  firmOrganizationId: mandate.firmOrganizationId,
  level: mandate.level,
  startsOn: mandate.startsOn,
  endsOn: mandate.endsOn ?? null,
  dossierIds: [...dossierIds],
  parentId: mandate.parent?.id ?? null,
});

/** The event each way of creating a mandate raises (issue 19). */
const CREATION_EVENTS = {
  [MandatesAuditAction.MandateGranted]: EventType.MandateGranted,
  [MandatesAuditAction.MandateDelegated]: EventType.MandatePassedOn,
} as const;

function createMandate(
  em: EntityManager,
  viewer: Viewer,
  action: keyof typeof CREATION_EVENTS,
  data: Omit<Mandate, 'id' | 'grantedBy'>,
  dossierIds: readonly string[],
): Mandate {
  const mandate = em.create(Mandate, { ...data, grantedBy: viewer.userId });
  raiseMandateEvent(em, CREATION_EVENTS[action], mandate, data.grantedAt);
  for (const dossierId of dossierIds) em.create(MandateDossier, { mandate, dossier: em.getReference(Dossier, dossierId) });
  recordAudit(em, viewer, {
    action,
    organizationId: mandate.organizationId,
    serviceId: mandate.serviceId,
    targetType: 'Mandate',
    targetId: mandate.id,
    after: snapshot(mandate, dossierIds),
  });
  return mandate;
}

/**
 * R15, R16: the organization's local manager (or deputy) or mandate manager for a service
 * mandates a firm's user on named, open dossiers of the organization in that service. R13: in
 * PERFORM, the répondant municipal mandates a firme de vérificateur's user, on no dossier.
 */
export async function grantMandate(
  context: MandatesContext,
  input: { organizationId: string; serviceId: string; dossierIds: string[]; mandataireCode: string; level: MandateLevel; startsOn: string; endsOn?: string | null },
): Promise<Mandate> {
  const viewer = requireViewer(context.auth);
  ensureMayGiveMandate(viewer, await context.rights(), input.organizationId, input.serviceId);
  const period = parsePeriod(input.startsOn, input.endsOn, quebecToday(context.clock.now()));
  const dossierless = isDossierless(input.serviceId);
  const dossierIds = dossierless ? parseNoDossiers(input.dossierIds) : parseDossierIds(input.dossierIds);
  const mandataire = await findMandataire(context, input.mandataireCode);
  // R13: PERFORM's mandate makes its holder eligible as external auditor, a role of firmes de vérificateur only.
  if (dossierless && mandataire.organizationKind !== AUDITING_FIRM_KIND) {
    throw badUserInput("Un mandat PERFORM (mandat de vérification) se donne à un utilisateur d'une firme de vérificateur.", { field: 'mandataireCode' });
  }
  return context.em.transactional(async (em) => {
    const dossiers = dossierIds.length === 0 ? [] : await em.find(Dossier, { id: { $in: dossierIds.filter(isUuid) } }, { lockMode: LockMode.PESSIMISTIC_READ });
    const byId = new Map(dossiers.map((dossier) => [dossier.id, dossier]));
    for (const id of dossierIds) {
      const dossier = byId.get(id);
      if (!dossier || dossier.organizationId !== input.organizationId || dossier.serviceId !== input.serviceId) {
        throw badUserInput("Un des dossiers n'existe pas, ou n'est pas un dossier de votre organisation dans ce service.", { field: 'input.dossierIds', dossierId: id });
      }
      if (CLOSED_STATUSES.includes(dossier.status)) {
        throw conflict('Un des dossiers est fermé : on ne peut plus y donner de mandat.');
      }
    }
    return createMandate(
      em,
      viewer,
      MandatesAuditAction.MandateGranted,
      {
        organizationId: input.organizationId,
        serviceId: input.serviceId,
        firmOrganizationId: mandataire.organizationId,
        mandataireId: mandataire.userId,
        mandataireName: mandataire.displayName,
        level: input.level,
        ...period,
        parent: null,
        grantedAt: context.clock.now(),
      },
      dossierIds,
    );
  });
}

/**
 * R16: a manager of the mandated firm passes a mandate on to a colleague of the same firm, at
 * the same level or below, inside the original's dates, on some or all of its dossiers.
 */
export async function delegateMandate(
  context: MandatesContext,
  input: { mandateId: string; mandataireCode: string; level: MandateLevel; startsOn?: string | null; endsOn?: string | null; dossierIds?: string[] | null },
): Promise<Mandate> {
  const viewer = requireViewer(context.auth);
  if (!isUuid(input.mandateId)) throw mandateNotFound();
  const rights = await context.rights();
  const today = quebecToday(context.clock.now());
  const colleague = await findMandataire(context, input.mandataireCode);
  return context.em.transactional(async (em) => {
    const parent = await em.findOne(Mandate, input.mandateId, { lockMode: LockMode.PESSIMISTIC_READ });
    if (!parent || !maySeeMandate(viewer, rights, parent)) throw mandateNotFound();
    ensureMayPassOnMandate(viewer, parent);
    if (parent.revokedAt || (parent.endsOn && parent.endsOn < today)) throw conflict("Ce mandat n'est plus en vigueur.");
    if (colleague.organizationId !== parent.firmOrganizationId) {
      throw badUserInput("Un mandat ne se transmet qu'à un collègue de la même firme.", { field: 'input.mandataireCode' });
    }
    ensureMayPassOnAtLevel(parent, input.level);
    const startsOn = input.startsOn ?? (parent.startsOn > today ? parent.startsOn : today);
    const endsOn = input.endsOn === undefined || input.endsOn === null ? (parent.endsOn ?? null) : input.endsOn;
    const period = parsePeriod(startsOn, endsOn, today);
    ensureMayPassOnForPeriod(parent, period);
    const dossierIds = isDossierless(parent.serviceId) ? parseNoDossiers(input.dossierIds) : await delegatedDossiers(em, parent, input.dossierIds);
    return createMandate(
      em,
      viewer,
      MandatesAuditAction.MandateDelegated,
      {
        organizationId: parent.organizationId,
        serviceId: parent.serviceId,
        firmOrganizationId: parent.firmOrganizationId,
        mandataireId: colleague.userId,
        mandataireName: colleague.displayName,
        level: input.level,
        ...period,
        parent: ref(parent),
        grantedAt: context.clock.now(),
      },
      dossierIds,
    );
  });
}

/** R16: the dossiers a delegation names: some or all of the parent mandate's dossiers still open. */
async function delegatedDossiers(em: EntityManager, parent: Mandate, requested: readonly string[] | null | undefined): Promise<string[]> {
  const parentDossiers = (await em.find(MandateDossier, { mandate: parent }, { populate: ['dossier'] }))
    .filter((link) => !CLOSED_STATUSES.includes(link.dossier.$.status))
    .map((link) => link.dossier.id);
  const dossierIds = requested ? parseDossierIds(requested) : parentDossiers;
  ensureMayPassOnDossiers(parentDossiers, dossierIds);
  if (dossierIds.length === 0) throw conflict('Les dossiers de ce mandat sont tous fermés.');
  return dossierIds;
}

/**
 * R15: revocation takes effect on the next request, and takes the mandates passed on from this
 * one with it. The mandating organization's managers revoke any of its mandates; the firm's
 * managers revoke the ones passed on inside the firm.
 */
export async function revokeMandate(context: MandatesContext, mandateId: string): Promise<Mandate> {
  const viewer = requireViewer(context.auth);
  if (!isUuid(mandateId)) throw mandateNotFound();
  const rights = await context.rights();
  return context.em.transactional(async (em) => {
    const mandate = await em.findOne(Mandate, mandateId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!mandate || !maySeeMandate(viewer, rights, mandate)) throw mandateNotFound();
    ensureMayRevokeMandate(viewer, rights, mandate);
    if (mandate.revokedAt) throw conflict('Ce mandat est déjà révoqué.');
    const now = context.clock.now();
    let generation = [mandate];
    while (generation.length > 0) {
      for (const revoked of generation) {
        revoked.revokedAt = now;
        revoked.revokedBy = viewer.userId;
        raiseMandateEvent(em, EventType.MandateRevoked, revoked, now);
        recordAudit(em, viewer, {
          action: MandatesAuditAction.MandateRevoked,
          organizationId: revoked.organizationId,
          serviceId: revoked.serviceId,
          targetType: 'Mandate',
          targetId: revoked.id,
          before: { revokedAt: null },
          after: { revokedAt: now.toISOString(), ...(revoked === mandate ? {} : { withParent: mandate.id }) },
        });
      }
      generation = await em.find(Mandate, { parent: { $in: generation.map((m) => m.id) }, revokedAt: null }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    }
    return mandate;
  });
}
