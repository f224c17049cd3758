import type { EntityManager } from '@mikro-orm/postgresql';
import { CLOSED_STATUSES } from '../dossier/dossier.entity';
import { quebecToday } from '../calendar';
import { MandateDossier, type MandateLevel } from './mandate.entity';

/** A dossier an active mandate lets its mandataire work on, at the mandate's level. */
export interface MandateCoverage {
  mandataireId: string;
  mandateId: string;
  dossierId: string;
  level: MandateLevel;
}

/**
 * R15, R16: the dossiers the mandataires' mandates cover now: not revoked, inside their dates,
 * on dossiers still open. Read from the database on every request, so a revocation or a closed
 * dossier shows on the very next one.
 */
export async function findActiveCoverage(em: EntityManager, mandataireIds: readonly string[], today = quebecToday()): Promise<MandateCoverage[]> {
  const rows = await em.find(
    MandateDossier,
    {
      mandate: {
        mandataireId: { $in: [...mandataireIds] },
        revokedAt: null,
        startsOn: { $lte: today },
        $or: [{ endsOn: null }, { endsOn: { $gte: today } }],
      },
      dossier: { status: { $nin: [...CLOSED_STATUSES] } },
    },
    { populate: ['mandate'] },
  );
  return rows.map((row) => ({
    mandataireId: row.mandate.$.mandataireId,
    mandateId: row.mandate.id,
    dossierId: row.dossier.id,
    level: row.mandate.$.level,
  }));
}
