import { ServiceCode, stableId } from '@pgamr/kit';

/** PERFORM, in the catalog every environment is seeded with. */
export const PERFORM_SERVICE_ID = stableId('online-service', ServiceCode.Perform);

/**
 * R13 [design]: PERFORM has no dossiers. Its mandate is the audit engagement of a firme de
 * vérificateur on the organization's financial reports as a whole, named on no dossier; it is
 * what lets the répondant municipal make the mandataire external auditor.
 */
export const isDossierless = (serviceId: string): boolean => serviceId === PERFORM_SERVICE_ID;
