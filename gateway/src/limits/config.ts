import { GATEWAY_LIMITS, readOperationLimits, type OperationLimitsConfig } from '@pgamr/kit/limits';
import { z } from 'zod';

/** Who may introspect the schema and read field suggestions in validation errors. */
export type IntrospectionPolicy = 'on' | 'staff' | 'off';

/** The kit's operation limits (GATEWAY_MAX_DEPTH…), and who may see the schema. */
export interface GatewayLimitsConfig extends OperationLimitsConfig {
  introspection: IntrospectionPolicy;
}

const introspectionSchema = z.enum(['on', 'staff', 'off']).optional();

/**
 * The operation limits, from the environment. Production shows the schema (introspection and
 * "Did you mean …" suggestions) to signed-in ministry staff only; development to everyone.
 */
export function readGatewayLimits(env: NodeJS.ProcessEnv, issues: string[], production: boolean): GatewayLimitsConfig {
  const limits = readOperationLimits(env, 'GATEWAY', GATEWAY_LIMITS, issues);
  const introspection = introspectionSchema.safeParse(env.GATEWAY_INTROSPECTION);
  if (!introspection.success) issues.push('GATEWAY_INTROSPECTION: on, staff ou off attendu');
  return { ...limits, introspection: (introspection.success ? introspection.data : undefined) ?? (production ? 'staff' : 'on') };
}
