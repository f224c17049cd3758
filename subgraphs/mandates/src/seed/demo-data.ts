import { stableId } from '@pgamr/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Dossier, DossierStatus } from '../dossier/dossier.entity';

interface DemoDossier {
  key: string;
  organizationKey: string;
  serviceCode: string;
  title: string;
  requestedAmount: string;
  status: DossierStatus;
}

/** Applications of the demo municipalities (identity's and services' natural keys). */
export const DEMO_DOSSIERS: readonly DemoDossier[] = [
  { key: 'MAG-TECQ-2024', organizationKey: 'MUN-45072', serviceCode: 'TECQ', title: "Réfection de la rue Principale Ouest", requestedAmount: '1250000.00', status: DossierStatus.Draft },
  { key: 'MAG-PRIMEAU-2023', organizationKey: 'MUN-45072', serviceCode: 'PRIMEAU', title: "Mise aux normes de l'usine de production d'eau potable", requestedAmount: '4800000.00', status: DossierStatus.InReview },
  { key: 'MAG-PRABAM-2023', organizationKey: 'MUN-45072', serviceCode: 'PRABAM', title: "Rénovation de l'hôtel de ville", requestedAmount: '350000.00', status: DossierStatus.Accepted },
  { key: 'SHE-RECIM-2024', organizationKey: 'MUN-43027', serviceCode: 'RÉCIM', title: 'Agrandissement du centre communautaire', requestedAmount: '2100000.00', status: DossierStatus.Submitted },
  { key: 'LEV-FIMEAU-2024', organizationKey: 'MUN-25213', serviceCode: 'FIMEAU', title: "Remplacement de conduites d'aqueduc", requestedAmount: '3300000.00', status: DossierStatus.Draft },
];

/** Inserts the demo dossiers that are missing; never overwrites what users changed. */
export async function seedMandatesDemoData(em: EntityManager): Promise<void> {
  const base = Date.parse('2024-03-01T14:00:00Z');
  await em.upsertMany(
    Dossier,
    DEMO_DOSSIERS.map((dossier, index) => ({
      id: stableId('dossier', dossier.key),
      organizationId: stableId('organization', dossier.organizationKey),
      serviceId: stableId('online-service', dossier.serviceCode),
      title: dossier.title,
      requestedAmount: dossier.requestedAmount,
      status: dossier.status,
      createdAt: new Date(base - index * 86_400_000),
    })),
    { onConflictFields: ['id'], onConflictAction: 'ignore' },
  );
}
