import type { Mandate } from './mandate.entity';

/** The status of a mandate on a given day (R16: it ends by itself at its end date or when its dossiers close). */
export enum MandateStatus {
  Scheduled = 'SCHEDULED',
  Active = 'ACTIVE',
  Expired = 'EXPIRED',
  Ended = 'ENDED',
  Revoked = 'REVOKED',
}

/** `openDossierCount` is null for a mandate on no dossier (PERFORM's), which does not end with them. */
export function mandateStatus(mandate: Mandate, today: string, openDossierCount: number | null): MandateStatus {
  if (mandate.revokedAt) return MandateStatus.Revoked;
  if (mandate.endsOn && mandate.endsOn < today) return MandateStatus.Expired;
  if (openDossierCount === 0) return MandateStatus.Ended;
  return mandate.startsOn > today ? MandateStatus.Scheduled : MandateStatus.Active;
}
