import { createRequire } from 'node:module';
import { context, propagation } from '@opentelemetry/api';

/** Whether this process traces: the gateway asks on every subgraph call. */
let tracingStarted = false;

export interface Tracing {
  /** Sends the spans still buffered, then stops. */
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry tracing for this process only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set:
 * otherwise nothing is built, nothing is sent anywhere and the SDK is not even loaded (it is
 * imported here, on demand), so a process that does not trace pays neither its start time nor
 * its memory. Incoming and outgoing node http carry the W3C `traceparent`; callers that use
 * undici's fetch add {@link traceHeaders} themselves, so one trace follows a request from the
 * gateway through the subgraphs. Await the result before building the server.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): Promise<Tracing> | undefined {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  return startTracer(env.OTEL_SERVICE_NAME ?? serviceName);
}

async function startTracer(serviceName: string): Promise<Tracing> {
  // The tracer provider, span processor and exporter alone, not @opentelemetry/sdk-node, which
  // brings the metrics, logs, gRPC and protobuf exporters along.
  const [{ NodeTracerProvider }, { BatchSpanProcessor }, { OTLPTraceExporter }, { registerInstrumentations }, { HttpInstrumentation }, { resourceFromAttributes }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/instrumentation'),
      import('@opentelemetry/instrumentation-http'),
      import('@opentelemetry/resources'),
    ]);
  const provider = new NodeTracerProvider({
    // Only what is configured here: no resource detector probes cloud metadata addresses.
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    // Reads OTEL_EXPORTER_OTLP_ENDPOINT (and _HEADERS…) itself and posts to <endpoint>/v1/traces;
    // the processor reads OTEL_BSP_* for its batching.
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  // The global tracer provider, AsyncLocalStorage context and W3C trace context propagation.
  provider.register();
  // The undici instrumentation installed beside this kit needs another @opentelemetry/api than
  // the one hoisted for it (it fails at construction): fetch callers use traceHeaders() instead.
  const unregister = registerInstrumentations({ tracerProvider: provider, instrumentations: [new HttpInstrumentation()] });
  tracingStarted = true;
  // Node's http is already loaded by then; requiring it again lets the instrumentation patch it.
  const requireCore = createRequire(__filename);
  requireCore('node:http');
  requireCore('node:https');
  return {
    shutdown: async () => {
      unregister();
      await provider.shutdown();
    },
  };
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
