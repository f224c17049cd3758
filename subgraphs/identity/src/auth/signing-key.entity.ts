import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import type { JWK } from 'jose';

/**
 * An ES256 key pair for access tokens. Which key signs and which keys are published follow from
 * the times alone: a key is published from creation until `retiresAt`, and signs once
 * `activatesAt` has passed (the newest such key), so rotation needs no state machine.
 */
export class SigningKey {
  [OptionalProps]?: 'createdAt';
  kid!: string;
  publicJwk!: JWK;
  privateJwk!: JWK;
  createdAt: Date = new Date();
  activatesAt!: Date;
  retiresAt?: Date | null;
}

export const SigningKeySchema = new EntitySchema<SigningKey>({
  class: SigningKey,
  tableName: 'signing_key',
  properties: {
    kid: { type: 'string', length: 64, primary: true },
    publicJwk: { type: 'json' },
    privateJwk: { type: 'json', lazy: true },
    createdAt: { type: 'datetime' },
    activatesAt: { type: 'datetime' },
    retiresAt: { type: 'datetime', nullable: true },
  },
});
