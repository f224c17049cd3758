import { ServiceCode, stableId } from '@pgamr/kit';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Dossier, DossierStatus, DossierStatusChange } from '../dossier/dossier.entity';
import { Mandate, MandateDossier, MandateLevel } from '../mandate/mandate.entity';
import { seedFinancialReportsDemoData } from './financial-reports';

interface DemoDossier {
  key: string;
  organizationKey: string;
  serviceCode: ServiceCode;
  title: string;
  requestedAmount: string;
  status: DossierStatus;
  /** The clicSÉQUR code of the user who opened it (identity's demo users). */
  createdBy: string;
  form: Record<string, unknown>;
}

/** Applications of the demo municipalities (identity's and services' natural keys). */
export const DEMO_DOSSIERS: readonly DemoDossier[] = [
  {
    key: 'MAG-TECQ-2024', organizationKey: 'MUN-45072', serviceCode: ServiceCode.Tecq, title: 'Réfection de la rue Principale Ouest',
    requestedAmount: '1250000.00', status: DossierStatus.Draft, createdBy: 'MAG0000002',
    form: { population: 28_500, priority: 'LOCAL_ROADS' },
  },
  {
    key: 'MAG-TECQ-2025', organizationKey: 'MUN-45072', serviceCode: ServiceCode.Tecq, title: "Remplacement de l'aqueduc de la rue des Pins",
    requestedAmount: '640000.00', status: DossierStatus.Draft, createdBy: 'MAG0000002',
    form: { population: 28_500, priority: 'DRINKING_WATER', plannedWorkStartsOn: '2026-05-01' },
  },
  {
    key: 'MAG-PRIMEAU-2023', organizationKey: 'MUN-45072', serviceCode: ServiceCode.Primeau, title: "Mise aux normes de l'usine de production d'eau potable",
    requestedAmount: '4800000.00', status: DossierStatus.InReview, createdBy: 'MAG0000001',
    form: { infrastructureType: 'DRINKING_WATER', populationServed: 27_000, plannedWorkStartsOn: '2025-04-01', plannedWorkEndsOn: '2026-11-30' },
  },
  {
    key: 'MAG-PRABAM-2023', organizationKey: 'MUN-45072', serviceCode: ServiceCode.Prabam, title: "Rénovation de l'hôtel de ville",
    requestedAmount: '350000.00', status: DossierStatus.Accepted, createdBy: 'MAG0000001',
    form: { buildingName: 'Hôtel de ville de Magog', buildingUse: 'ADMINISTRATIVE', floorArea: 2_400, plannedWorkStartsOn: '2024-06-01', plannedWorkEndsOn: '2024-12-15' },
  },
  {
    key: 'SHE-RECIM-2024', organizationKey: 'MUN-43027', serviceCode: ServiceCode.Recim, title: 'Agrandissement du centre communautaire',
    requestedAmount: '2100000.00', status: DossierStatus.Draft, createdBy: 'SHE0000001',
    form: { buildingName: 'Centre communautaire de Fleurimont', buildingUse: 'COMMUNITY' },
  },
  {
    key: 'SHE-RECIM-2023', organizationKey: 'MUN-43027', serviceCode: ServiceCode.Recim, title: 'Réaménagement de la bibliothèque Éva-Senécal',
    requestedAmount: '3900000.00', status: DossierStatus.Submitted, createdBy: 'SHE0000001',
    form: { buildingName: 'Bibliothèque Éva-Senécal', buildingUse: 'CULTURAL', floorArea: 5_200, plannedWorkStartsOn: '2025-09-01', plannedWorkEndsOn: '2027-03-31' },
  },
  {
    key: 'LEV-FIMEAU-2024', organizationKey: 'MUN-25213', serviceCode: ServiceCode.Fimeau, title: "Remplacement de conduites d'aqueduc",
    requestedAmount: '3300000.00', status: DossierStatus.Draft, createdBy: 'MAG0000001',
    form: {},
  },
];

interface DemoMandate {
  key: string;
  organizationKey: string;
  serviceCode: ServiceCode;
  dossierKeys: string[];
  firmKey: string;
  mandataire: string;
  mandataireName: string;
  grantedBy: string;
  level: MandateLevel;
  startsOn: string;
  endsOn: string | null;
}

/**
 * The firm Génie-Conseil Estrie works for two municipalities: Julien on a Magog TECQ dossier,
 * Amélie on a Sherbrooke RÉCIM dossier, each mandated by the local manager of the service. R13:
 * Magog's répondant municipal gave Geneviève, of the firme de vérificateur Vérification comptable
 * Estrie, the audit mandate on its financial reports (PERFORM, no dossier), which is what makes
 * her Magog's external auditor (services' demo rights).
 */
export const DEMO_MANDATES: readonly DemoMandate[] = [
  {
    key: 'MAG-TECQ-GCE1', organizationKey: 'MUN-45072', serviceCode: ServiceCode.Tecq, dossierKeys: ['MAG-TECQ-2024'], firmKey: 'FIRM-GCE',
    mandataire: 'GCE0000001', mandataireName: 'Julien Côté', grantedBy: 'MAG0000001', level: MandateLevel.Preparation, startsOn: '2024-03-15', endsOn: null,
  },
  {
    key: 'SHE-RECIM-GCE2', organizationKey: 'MUN-43027', serviceCode: ServiceCode.Recim, dossierKeys: ['SHE-RECIM-2024'], firmKey: 'FIRM-GCE',
    mandataire: 'GCE0000002', mandataireName: 'Amélie Bouchard', grantedBy: 'SHE0000001', level: MandateLevel.Consultation, startsOn: '2024-04-01', endsOn: '2030-12-31',
  },
  {
    key: 'MAG-PERFORM-VCE1', organizationKey: 'MUN-45072', serviceCode: ServiceCode.Perform, dossierKeys: [], firmKey: 'FIRM-VCE',
    mandataire: 'VCE0000001', mandataireName: 'Geneviève Paquette', grantedBy: 'MAG0000001', level: MandateLevel.Consultation, startsOn: '2022-01-10', endsOn: null,
  },
];

const userId = (code: string) => stableId('user', code);

/** Inserts the demo dossiers and mandates that are missing; never overwrites what users changed. */
export async function seedMandatesDemoData(em: EntityManager): Promise<void> {
  const base = Date.parse('2024-03-01T14:00:00Z');
  const dossiers = DEMO_DOSSIERS.map((dossier, index) => ({
    id: stableId('dossier', dossier.key),
    organizationId: stableId('organization', dossier.organizationKey),
    serviceId: stableId('online-service', dossier.serviceCode),
    title: dossier.title,
    requestedAmount: dossier.requestedAmount,
    status: dossier.status,
    form: dossier.form,
    createdBy: userId(dossier.createdBy),
    createdAt: new Date(base - index * 86_400_000),
    updatedAt: new Date(base - index * 86_400_000),
  }));
  await em.upsertMany(Dossier, dossiers, { onConflictFields: ['id'], onConflictAction: 'ignore' });
  await em.upsertMany(
    DossierStatusChange,
    dossiers.map((dossier) => ({
      id: stableId('dossier-status-change', `${dossier.id}:${dossier.status}`),
      dossier: dossier.id,
      fromStatus: null,
      toStatus: dossier.status,
      changedBy: dossier.createdBy,
      changedAt: dossier.createdAt,
    })),
    { onConflictFields: ['id'], onConflictAction: 'ignore' },
  );
  await em.upsertMany(
    Mandate,
    DEMO_MANDATES.map((mandate) => ({
      id: stableId('mandate', mandate.key),
      organizationId: stableId('organization', mandate.organizationKey),
      serviceId: stableId('online-service', mandate.serviceCode),
      firmOrganizationId: stableId('organization', mandate.firmKey),
      mandataireId: userId(mandate.mandataire),
      mandataireName: mandate.mandataireName,
      level: mandate.level,
      startsOn: mandate.startsOn,
      endsOn: mandate.endsOn,
      grantedBy: userId(mandate.grantedBy),
      grantedAt: new Date(`${mandate.startsOn}T13:00:00Z`),
    })),
    { onConflictFields: ['id'], onConflictAction: 'ignore' },
  );
  await em.upsertMany(
    MandateDossier,
    DEMO_MANDATES.flatMap((mandate) =>
      mandate.dossierKeys.map((key) => ({ mandate: stableId('mandate', mandate.key), dossier: stableId('dossier', key) })),
    ),
    { onConflictFields: ['mandate', 'dossier'], onConflictAction: 'ignore' },
  );
  await seedFinancialReportsDemoData(em);
}
