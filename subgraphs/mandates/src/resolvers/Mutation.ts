import { readableDossier } from '../dossier/readable-dossiers';
import type { MandatesContext } from '../context';
import type { Dossier as DossierEntity } from '../dossier/dossier.entity';
import { DossierStatus } from '../dossier/dossier.entity';
import { createDossier, decideDossier, startDossierReview, submitDossier, updateDossier, type DossierFields } from '../dossier/dossier.service';
import type { MandateLevel } from '../mandate/mandate.entity';
import { delegateMandate, grantMandate, revokeMandate } from '../mandate/mandate.service';

// API v1: each mutation takes one `input` and answers a payload naming what it changed.

/** A dossier returned by a mutation is read like any other: a mandataire's read is disclosed. */
const dossierPayload = async (context: MandatesContext, change: Promise<DossierEntity>) => ({ dossier: await readableDossier(context, await change) });

type DossierIdInput = { input: { dossierId: string } };

export const Mutation = {
  createDossier: (
    _: unknown,
    { input }: { input: { organizationId: string; serviceId: string; title: string; requestedAmount: string; form?: Record<string, unknown> | null } },
    context: MandatesContext,
  ) => dossierPayload(context, createDossier(context, input)),
  updateDossier: (_: unknown, { input }: { input: { dossierId: string } & DossierFields }, context: MandatesContext) =>
    dossierPayload(context, updateDossier(context, input)),
  submitDossier: (_: unknown, { input }: DossierIdInput, context: MandatesContext) => dossierPayload(context, submitDossier(context, input.dossierId)),
  startDossierReview: (_: unknown, { input }: DossierIdInput, context: MandatesContext) =>
    dossierPayload(context, startDossierReview(context, input.dossierId)),
  decideDossier: (
    _: unknown,
    { input }: { input: { dossierId: string; decision: 'ACCEPTED' | 'REFUSED'; reason?: string | null } },
    context: MandatesContext,
  ) =>
    dossierPayload(
      context,
      decideDossier(context, { ...input, decision: input.decision === 'ACCEPTED' ? DossierStatus.Accepted : DossierStatus.Refused }),
    ),
  grantMandate: async (
    _: unknown,
    { input }: { input: { organizationId: string; serviceId: string; dossierIds: string[]; mandataireCode: string; level: MandateLevel; startsOn: string; endsOn?: string | null } },
    context: MandatesContext,
  ) => ({ mandate: await grantMandate(context, input) }),
  delegateMandate: async (
    _: unknown,
    { input }: { input: { mandateId: string; mandataireCode: string; level: MandateLevel; startsOn?: string | null; endsOn?: string | null; dossierIds?: string[] | null } },
    context: MandatesContext,
  ) => ({ mandate: await delegateMandate(context, input) }),
  revokeMandate: async (_: unknown, { input }: { input: { mandateId: string } }, context: MandatesContext) => ({
    mandate: await revokeMandate(context, input.mandateId),
  }),
};
