import { readableDossier } from '../access/record-access';
import type { MandatesContext } from '../context';
import type { Dossier as DossierEntity } from '../dossier/dossier.entity';
import { DossierStatus } from '../dossier/dossier.entity';
import { createDossier, decideDossier, startDossierReview, submitDossier, updateDossier, type DossierFields } from '../dossier/dossier.service';
import type { MandateLevel } from '../mandate/mandate.entity';
import { delegateMandate, grantMandate, revokeMandate } from '../mandate/mandate.service';

/** A dossier returned by a mutation is read like any other: a mandataire's read is disclosed. */
const returned = async (context: MandatesContext, change: Promise<DossierEntity>) => readableDossier(context, await change);

export const Mutation = {
  createDossier: (
    _: unknown,
    { input }: { input: { organizationId: string; serviceId: string; title: string; requestedAmount: number; form?: Record<string, unknown> | null } },
    context: MandatesContext,
  ) => returned(context, createDossier(context, input)),
  updateDossier: (_: unknown, { input }: { input: { dossierId: string } & DossierFields }, context: MandatesContext) =>
    returned(context, updateDossier(context, input)),
  submitDossier: (_: unknown, { dossierId }: { dossierId: string }, context: MandatesContext) =>
    returned(context, submitDossier(context, dossierId)),
  startDossierReview: (_: unknown, { dossierId }: { dossierId: string }, context: MandatesContext) =>
    returned(context, startDossierReview(context, dossierId)),
  decideDossier: (
    _: unknown,
    { input }: { input: { dossierId: string; decision: 'ACCEPTED' | 'REFUSED'; reason?: string | null } },
    context: MandatesContext,
  ) =>
    returned(
      context,
      decideDossier(context, { ...input, decision: input.decision === 'ACCEPTED' ? DossierStatus.Accepted : DossierStatus.Refused }),
    ),
  grantMandate: (
    _: unknown,
    { input }: { input: { organizationId: string; serviceId: string; dossierIds: string[]; mandataireCode: string; level: MandateLevel; startsOn: string; endsOn?: string | null } },
    context: MandatesContext,
  ) => grantMandate(context, input),
  delegateMandate: (
    _: unknown,
    { input }: { input: { mandateId: string; mandataireCode: string; level: MandateLevel; startsOn?: string | null; endsOn?: string | null; dossierIds?: string[] | null } },
    context: MandatesContext,
  ) => delegateMandate(context, input),
  revokeMandate: (_: unknown, { mandateId }: { mandateId: string }, context: MandatesContext) => revokeMandate(context, mandateId),
};
