import { createRequire } from 'node:module';
import { context, propagation } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeSDK } from '@opentelemetry/sdk-node';

/** Whether this process traces: the gateway asks on every subgraph call. */
let tracingStarted = false;

export interface Tracing {
  /** Sends the spans still buffered, then stops. */
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry tracing for this process only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set:
 * otherwise nothing is built and nothing is sent anywhere. Incoming and outgoing node http carry
 * the W3C `traceparent`; callers that use undici's fetch add {@link traceHeaders} themselves, so
 * one trace follows a request from the gateway through the subgraphs.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): Tracing | undefined {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ?? serviceName,
    // Reads OTEL_EXPORTER_OTLP_ENDPOINT (and _HEADERS…) itself and posts to <endpoint>/v1/traces.
    traceExporter: new OTLPTraceExporter(),
    // The undici instrumentation installed beside this kit needs another @opentelemetry/api than
    // the one hoisted for it (it fails at construction): fetch callers use traceHeaders() instead.
    instrumentations: [new HttpInstrumentation()],
    // Only what is configured here: no resource detector probes cloud metadata addresses.
    resourceDetectors: [],
  });
  sdk.start();
  tracingStarted = true;
  // Node's http is already loaded by then; requiring it again lets the instrumentation patch it.
  const requireCore = createRequire(__filename);
  requireCore('node:http');
  requireCore('node:https');
  return { shutdown: () => sdk.shutdown() };
}

/**
 * The W3C trace context of the current request (`traceparent`…) to add to an outgoing call;
 * empty when tracing is off.
 */
export function traceHeaders(): Record<string, string> {
  // The no-op propagator would still walk the active context on every call.
  if (!tracingStarted) return {};
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}
