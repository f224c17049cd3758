import { randomUUID } from 'node:crypto';
import { EntitySchema, OptionalProps, PrimaryKeyProp, type Ref } from '@mikro-orm/core';
import type { Dossier } from '../dossier/dossier.entity';

/** R16: what a mandataire may do on the mandated dossiers, each level including the ones before. */
export enum MandateLevel {
  /** Read. */
  Consultation = 'CONSULTATION',
  /** Read and edit the form. */
  Preparation = 'PREPARATION',
  /** Also submit. */
  Transmission = 'TRANSMISSION',
}

const LEVEL_ORDER: readonly MandateLevel[] = [MandateLevel.Consultation, MandateLevel.Preparation, MandateLevel.Transmission];

/** A level read from a row (the column's check constraint holds it to these values). */
export function mandateLevelOf(value: unknown): MandateLevel {
  const level = LEVEL_ORDER.find((known) => known === value);
  if (!level) throw new Error(`unknown mandate level in a row: ${String(value)}`);
  return level;
}

/** Whether `level` allows at least what `required` allows. */
export const levelAllows = (level: MandateLevel, required: MandateLevel): boolean =>
  LEVEL_ORDER.indexOf(level) >= LEVEL_ORDER.indexOf(required);

/**
 * R15, R16: an organization's mandate to a firm's user on named dossiers of one service, from a
 * start date to an optional end date (calendar days in Québec, `YYYY-MM-DD`). A sub-delegation
 * by the firm is a mandate too, with its parent: revoking the parent revokes it.
 */
export class Mandate {
  [OptionalProps]?: 'id' | 'grantedAt';
  id: string = randomUUID();
  /** The mandating organization (identity's id). */
  organizationId!: string;
  /** The service the dossiers belong to (services' id). */
  serviceId!: string;
  /** The firm the mandataire works for. */
  firmOrganizationId!: string;
  mandataireId!: string;
  /** The mandataire's name as identity's directory gave it at the grant: the mandating organization may not read the user (R20). */
  mandataireName!: string;
  level!: MandateLevel;
  startsOn!: string;
  endsOn?: string | null;
  /** The mandate this one was passed on from, inside the firm (R16). */
  parent?: Ref<Mandate> | null;
  grantedBy!: string;
  grantedAt: Date = new Date();
  revokedAt?: Date | null;
  revokedBy?: string | null;
}

export const MandateSchema = new EntitySchema<Mandate>({
  class: Mandate,
  tableName: 'mandate',
  indexes: [
    // R15: a mandataire's mandates in force, read on each of their requests (findActiveCoverage).
    { properties: ['mandataireId', 'revokedAt'] },
    // Keyset pages, newest first, ending with the id that breaks ties: User.mandates,
    // Organization.mandatesGiven and Organization.mandatesReceived.
    { properties: ['mandataireId', 'grantedAt', 'id'] },
    { properties: ['organizationId', 'grantedAt', 'id'] },
    { properties: ['firmOrganizationId', 'grantedAt', 'id'] },
  ],
  properties: {
    id: { type: 'uuid', primary: true },
    organizationId: { type: 'uuid' },
    serviceId: { type: 'uuid' },
    firmOrganizationId: { type: 'uuid' },
    mandataireId: { type: 'uuid' },
    mandataireName: { type: 'string', length: 201 },
    level: { enum: true, items: () => MandateLevel },
    startsOn: { type: 'date' },
    endsOn: { type: 'date', nullable: true },
    parent: { kind: 'm:1', entity: 'Mandate', ref: true, nullable: true, index: true },
    grantedBy: { type: 'uuid' },
    grantedAt: { type: 'datetime' },
    revokedAt: { type: 'datetime', nullable: true },
    revokedBy: { type: 'uuid', nullable: true },
  },
});

/** One dossier named in a mandate. */
export class MandateDossier {
  [PrimaryKeyProp]?: ['mandate', 'dossier'];
  mandate!: Ref<Mandate>;
  dossier!: Ref<Dossier>;
}

export const MandateDossierSchema = new EntitySchema<MandateDossier>({
  class: MandateDossier,
  tableName: 'mandate_dossier',
  properties: {
    mandate: { kind: 'm:1', entity: 'Mandate', ref: true, primary: true },
    // Who is mandated on a dossier: looked up from the dossier's side too.
    dossier: { kind: 'm:1', entity: 'Dossier', ref: true, primary: true, index: true },
  },
});
