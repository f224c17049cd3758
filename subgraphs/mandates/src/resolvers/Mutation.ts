import { requiredRecord } from '@pgamr/kit';
import { readableDossier } from '../dossier/readable-dossiers';
import type { MandatesContext } from '../context';
import type { MutationResolvers } from '../generated/resolvers-types';
import type { Dossier as DossierEntity } from '../dossier/dossier.entity';
import { DossierStatus } from '../dossier/dossier.entity';
import { createDossier, decideDossier, startDossierReview, submitDossier, updateDossier } from '../dossier/dossier.service';
import { delegateMandate, grantMandate, revokeMandate } from '../mandate/mandate.service';

// API v1: each mutation takes one `input` and answers a payload naming what it changed.

/**
 * A dossier returned by a mutation is read like any other: a mandataire's read is disclosed. The
 * payload's dossier is non-null: one its author may not read is an internal error.
 */
const dossierPayload = async (context: MandatesContext, change: Promise<DossierEntity>) => ({
  dossier: await requiredRecord(readableDossier(context, await change), 'dossier readable by whoever just changed it'),
});

export const Mutation = {
  createDossier: (_, { input }, context) => dossierPayload(context, createDossier(context, input)),
  updateDossier: (_, { input }, context) =>
    dossierPayload(context, updateDossier(context, input)),
  submitDossier: (_, { input }, context) => dossierPayload(context, submitDossier(context, input.dossierId)),
  startDossierReview: (_, { input }, context) =>
    dossierPayload(context, startDossierReview(context, input.dossierId)),
  decideDossier: (_, { input }, context) =>
    dossierPayload(
      context,
      decideDossier(context, { ...input, decision: input.decision === 'ACCEPTED' ? DossierStatus.Accepted : DossierStatus.Refused }),
    ),
  grantMandate: async (_, { input }, context) => ({ mandate: await grantMandate(context, input) }),
  delegateMandate: async (_, { input }, context) => ({ mandate: await delegateMandate(context, input) }),
  revokeMandate: async (_, { input }, context) => ({
    mandate: await revokeMandate(context, input.mandateId),
  }),
} satisfies MutationResolvers;
