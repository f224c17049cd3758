import { badUserInput, requireViewer } from '@pgamr/kit';
import type { RoadAidContext } from '../context';
import { ensureMayFileApplication } from '../policy';
import { RoadAidApplication } from '../road-aid-application/road-aid-application.entity';

interface CreateRoadAidApplicationInput {
  organizationId: string;
  fiscalYear: number;
  roadSegmentName: string;
  lengthKm: number;
  /** The Money scalar's exact decimal string, two decimals ("142500.00"); at most 12 digits of dollars, as the column holds. */
  requestedAmount: string;
}

/** An amount above zero, read on its digits: never through a binary float. */
const isPositiveAmount = (amount: string) => !amount.startsWith('-') && /[1-9]/.test(amount);

/** Why the input cannot be an application (the field, as its argument path, and a French message), or null when it can. */
function invalidInput(input: CreateRoadAidApplicationInput): { field: string; message: string } | null {
  const problem = (field: string, message: string) => ({ field: `input.${field}`, message });
  if (!Number.isInteger(input.fiscalYear) || input.fiscalYear < 2000 || input.fiscalYear > 2100) return problem('fiscalYear', "L'exercice financier doit être une année de 2000 à 2100.");
  const segment = input.roadSegmentName.trim();
  if (segment.length === 0 || segment.length > 300) return problem('roadSegmentName', 'Le nom du tronçon doit compter de 1 à 300 caractères.');
  if (!(input.lengthKm > 0 && input.lengthKm <= 1000)) return problem('lengthKm', "La longueur du tronçon doit être de plus de 0 km et d'au plus 1 000 km.");
  if (!isPositiveAmount(input.requestedAmount)) return problem('requestedAmount', 'Le montant demandé doit être de plus de 0 $.');
  return null;
}

export const Mutation = {
  createRoadAidApplication: async (_: unknown, { input }: { input: CreateRoadAidApplicationInput }, context: RoadAidContext) => {
    const viewer = requireViewer(context.auth);
    ensureMayFileApplication(viewer, await context.rights(), input.organizationId);
    const invalid = invalidInput(input);
    if (invalid) throw badUserInput(invalid.message, { field: invalid.field });
    const roadAidApplication = context.em.create(RoadAidApplication, {
      organizationId: input.organizationId,
      fiscalYear: input.fiscalYear,
      roadSegmentName: input.roadSegmentName.trim(),
      lengthKm: Math.round(input.lengthKm * 100) / 100,
      requestedAmount: input.requestedAmount,
      createdBy: viewer.userId,
    });
    await context.em.flush();
    return { roadAidApplication };
  },
};
