import { badUserInput, conflict, isUuid, notFound, recordAudit, requireViewer, type Viewer } from '@pgamr/kit';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { MandatesAuditAction } from '../audit/audit-actions';
import type { MandatesContext } from '../context';
import { compareAmounts, normalizedAmount } from '../money';
import { ensureMayCreateDossier, ensureMayDecideDossier, ensureMayEditDossier, ensureMayReviewDossier, ensureMaySubmitDossier, type DossierAccess } from '../policy';
import { Dossier, DossierStatus, DossierStatusChange } from './dossier.entity';
import { accessToDossier } from './readable-dossiers';
import { quebecToday } from '../calendar';
import { raiseDossierStatusChanged } from '../events';
import { mandatairesInForceOn } from '../mandate/mandate.repository';
import { formKindOf, missingFormFields, parseDossierForm, type FormKind } from './program-forms';

export interface DossierFields {
  title?: string | null;
  /** Dollars as the Money scalar gives them: an exact decimal string. */
  requestedAmount?: string | null;
  form?: Record<string, unknown> | null;
}

/** The same answer for a dossier that does not exist and one the caller may not see (R15, R20). */
export const dossierNotFound = () => notFound("Ce dossier n'existe pas ou vous n'y avez pas accès.");

function parseTitle(title: string): string {
  const trimmed = title.trim();
  if (trimmed.length < 3 || trimmed.length > 300) {
    throw badUserInput('Le titre doit compter entre 3 et 300 caractères.', { field: 'input.title' });
  }
  return trimmed;
}

/**
 * An amount in dollars, positive: exact from the input to the numeric(14,2) column. The Money
 * scalar already holds it to the cent and below a thousand billion.
 */
function parseAmount(amount: string): string {
  if (compareAmounts(amount, '0') <= 0) {
    throw badUserInput('Le montant demandé doit être plus grand que zéro.', { field: 'input.requestedAmount' });
  }
  return normalizedAmount(amount);
}

const snapshot = (dossier: Dossier) => ({ status: dossier.status, title: dossier.title, requestedAmount: dossier.requestedAmount });

/**
 * R17: a dossier's move to `to`, with its history, its audit entry (R21) and its event (issue 19),
 * all in the caller's transaction. The mandataires told are those in force before the move, which
 * closes their mandates when it closes the dossier (R16).
 */
async function changeStatus(em: EntityManager, viewer: Viewer, dossier: Dossier, to: DossierStatus, now: Date, reason: string | null = null): Promise<void> {
  const before = snapshot(dossier);
  const mandataireIds = await mandatairesInForceOn(em, dossier, quebecToday(now));
  const from = dossier.status;
  em.create(DossierStatusChange, { dossier, fromStatus: from, toStatus: to, changedBy: viewer.userId, reason });
  dossier.status = to;
  raiseDossierStatusChanged(em, dossier, { from, to, mandataireIds }, now);
  recordAudit(em, viewer, {
    action: MandatesAuditAction.DossierStatusChanged,
    organizationId: dossier.organizationId,
    serviceId: dossier.serviceId,
    targetType: 'Dossier',
    targetId: dossier.id,
    before,
    after: { ...snapshot(dossier), ...(reason ? { reason } : {}) },
  });
}

/**
 * R17: an organization's user holding the USER right on a program's service opens a dossier in
 * it, as a draft. Mandataires work only on dossiers they were mandated on, so they create none.
 */
export async function createDossier(
  context: MandatesContext,
  input: { organizationId: string; serviceId: string; title: string; requestedAmount: string; form?: Record<string, unknown> | null },
): Promise<Dossier> {
  const viewer = requireViewer(context.auth);
  ensureMayCreateDossier(viewer, await context.rights(), input);
  const kind = formKindOf(input.serviceId);
  if (!kind) throw badUserInput("Ce service en ligne ne reçoit pas de dossiers de demande d'aide financière.", { field: 'input.serviceId' });
  const fields = {
    title: parseTitle(input.title),
    requestedAmount: parseAmount(input.requestedAmount),
    form: input.form ? parseDossierForm(kind, input.form) : {},
  };
  return context.em.transactional(async (em) => {
    const dossier = em.create(Dossier, { ...fields, organizationId: input.organizationId, serviceId: input.serviceId, createdBy: viewer.userId });
    em.create(DossierStatusChange, { dossier, fromStatus: null, toStatus: DossierStatus.Draft, changedBy: viewer.userId });
    recordAudit(em, viewer, {
      action: MandatesAuditAction.DossierCreated,
      organizationId: dossier.organizationId,
      serviceId: dossier.serviceId,
      targetType: 'Dossier',
      targetId: dossier.id,
      after: snapshot(dossier),
    });
    return dossier;
  });
}

/**
 * Runs a change on one dossier, locked for the transaction, after checking what the caller may
 * do on it *inside* the transaction (`ensure`, from policy.ts). A dossier the caller may not read
 * is answered as absent.
 */
async function changeDossier<T>(
  context: MandatesContext,
  dossierId: string,
  ensure: (access: DossierAccess) => void,
  change: (em: EntityManager, dossier: Dossier, viewer: Viewer) => T | Promise<T>,
): Promise<T> {
  const viewer = requireViewer(context.auth);
  if (!isUuid(dossierId)) throw dossierNotFound();
  // What the access rule reads (rights, mandates) is read before the transaction holds a
  // connection: the request's loaders keep it, and the embedded database has one connection.
  await Promise.all([context.rights(), context.loaders.activeCoverageByMandataire.load(viewer.userId)]);
  return context.em.transactional(async (em) => {
    const dossier = await em.findOne(Dossier, dossierId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!dossier) throw dossierNotFound();
    const access = await accessToDossier(context, dossier);
    if (!access.read) throw dossierNotFound();
    ensure(access);
    return change(em, dossier, viewer);
  });
}

const formKindOfDossier = (dossier: Dossier): FormKind => {
  const kind = formKindOf(dossier.serviceId);
  if (!kind) throw new Error(`dossier ${dossier.id} is in a service without a form`);
  return kind;
};

/** R16, R17: the organization's users, and mandataires from *préparation* up, fill a draft. */
export function updateDossier(context: MandatesContext, input: { dossierId: string } & DossierFields): Promise<Dossier> {
  return changeDossier(
    context,
    input.dossierId,
    ensureMayEditDossier,
    (_em, dossier) => {
      if (dossier.status !== DossierStatus.Draft) throw conflict('Seul un dossier en préparation peut être modifié.');
      if (input.title != null) dossier.title = parseTitle(input.title);
      if (input.requestedAmount != null) dossier.requestedAmount = parseAmount(input.requestedAmount);
      if (input.form != null) dossier.form = parseDossierForm(formKindOfDossier(dossier), input.form);
      return dossier;
    },
  );
}

/** R16, R17: the organization's users, and mandataires at *transmission*, submit a complete draft. */
export function submitDossier(context: MandatesContext, dossierId: string): Promise<Dossier> {
  return changeDossier(
    context,
    dossierId,
    ensureMaySubmitDossier,
    async (em, dossier, viewer) => {
      if (dossier.status !== DossierStatus.Draft) throw conflict('Ce dossier a déjà été transmis.');
      const missing = missingFormFields(formKindOfDossier(dossier), dossier.form);
      if (missing.length > 0) {
        throw badUserInput(`Le formulaire est incomplet : il manque ${missing.join(', ')}.`, { field: 'form', missing });
      }
      await changeStatus(em, viewer, dossier, DossierStatus.Submitted, context.clock.now());
      return dossier;
    },
  );
}

/** R17: the owner's staff take a submitted dossier into review. */
export function startDossierReview(context: MandatesContext, dossierId: string): Promise<Dossier> {
  return changeDossier(
    context,
    dossierId,
    ensureMayReviewDossier,
    async (em, dossier, viewer) => {
      if (dossier.status !== DossierStatus.Submitted) throw conflict("Seul un dossier transmis peut être mis à l'analyse.");
      await changeStatus(em, viewer, dossier, DossierStatus.InReview, context.clock.now());
      return dossier;
    },
  );
}

/** R17: the owner's staff accept or refuse a dossier under review, which closes it (and ends its mandates, R16). */
export function decideDossier(
  context: MandatesContext,
  input: { dossierId: string; decision: DossierStatus.Accepted | DossierStatus.Refused; reason?: string | null },
): Promise<Dossier> {
  const reason = input.reason?.trim() || null;
  if (input.decision === DossierStatus.Refused && (!reason || reason.length < 5)) {
    throw badUserInput('Un refus doit être motivé (au moins 5 caractères).', { field: 'input.reason' });
  }
  if (reason && reason.length > 1000) throw badUserInput('Le motif ne peut dépasser 1 000 caractères.', { field: 'input.reason' });
  return changeDossier(
    context,
    input.dossierId,
    ensureMayDecideDossier,
    async (em, dossier, viewer) => {
      if (dossier.status !== DossierStatus.InReview) throw conflict("Seul un dossier à l'analyse peut être accepté ou refusé.");
      await changeStatus(em, viewer, dossier, input.decision, context.clock.now(), reason);
      return dossier;
    },
  );
}
