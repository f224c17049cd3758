/**
 * @apollo/gateway reports usage data to Apollo and probes cloud metadata addresses at
 * construction unless APOLLO_TELEMETRY_DISABLED is set. Nothing may leave the machine, so the
 * gateway sets it itself, in every mode. Imported first by server.ts, and called again right
 * before the gateway is built so no import order can defeat it.
 */
export function disableApolloTelemetry(): void {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
}

disableApolloTelemetry();
