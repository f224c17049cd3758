import { geographyFor, regionalBodiesOf, requireViewer } from '@pgamr/kit';
import type { QueryResolvers } from '../generated/resolvers-types';
import { dossierStatistics } from '../dossier/dossier-statistics';
import { findReadableDossierPage } from '../dossier/dossier.repository';
import { mandateStatistics } from '../mandate/mandate-statistics';
import { ensureMayReadDossierStatistics, ensureMayReadMandateStatistics } from '../policy';
import { readableDossier } from '../dossier/readable-dossiers';
import { visibleMandate } from './Mandate';

export const Query = {
  /** A dossier the caller may not read is answered as absent: its existence is not revealed (R15, R20). */
  dossier: async (_, { id }, context) => {
    requireViewer(context.auth);
    return readableDossier(context, await context.loaders.dossierById.load(id));
  },
  dossiers: (_, args, context) => {
    requireViewer(context.auth);
    return findReadableDossierPage(context, 'all', args.filter, args);
  },
  mandate: (_, { id }, context) => visibleMandate(context, id),
  /** Issue 18: figures over the dossiers the reader could list, never beyond (R15, R20). */
  dossierStatistics: async (_, { groupBy, filter }, context) => {
    const viewer = requireViewer(context.auth);
    const readable = ensureMayReadDossierStatistics(viewer, await context.rights(), await regionalBodiesOf(viewer, context.directory));
    const question = filter ?? {};
    const geography = await geographyFor(context.directory, groupBy, question);
    return dossierStatistics(context.em, readable, groupBy, question, context.clock.now(), geography);
  },
  /** Issue 18: figures over the mandates the reader could see, as a manager only (R15, R16, R20). */
  mandateStatistics: async (_, { groupBy, filter }, context) => {
    const visible = ensureMayReadMandateStatistics(requireViewer(context.auth), await context.rights());
    return mandateStatistics(context.em, visible, groupBy, filter ?? {}, context.clock.now());
  },
} satisfies QueryResolvers;
