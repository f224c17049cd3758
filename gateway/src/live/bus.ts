import { createEventBus, type EventBus } from '@pgamr/kit';
import type { Logger } from 'pino';
import type { LiveConfig } from './config';
import type { LiveNotifications } from './index';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

/**
 * Connects to the event bus and follows it for the live streams. The first attempt is awaited
 * (a gateway that starts with its bus up serves streams at once); while the bus cannot be
 * reached, attempts go on in the background with a growing wait, and new streams are refused as
 * retryable (queries are served all along).
 */
export async function followEventBus(live: LiveNotifications, config: LiveConfig['bus'], logger: Logger): Promise<{ close(): Promise<void> }> {
  if (!config.natsUrl && !config.databaseUrl) return { close: async () => undefined };
  let bus: EventBus | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const attempt = async (attempts: number): Promise<void> => {
    try {
      bus = await createEventBus(config, logger);
      if (stopped) return await bus.close();
      await live.follow(bus);
    } catch (error) {
      await bus?.close().catch(() => undefined);
      bus = undefined;
      if (stopped) return;
      const waitMs = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempts - 1));
      logger.warn({ err: error, attempts, retryInMs: waitMs }, 'live notifications: the event bus cannot be followed yet; new streams are refused as retryable');
      retry = setTimeout(() => void attempt(attempts + 1), waitMs);
      retry.unref();
    }
  };
  await attempt(1);
  return {
    close: async () => {
      stopped = true;
      clearTimeout(retry);
      await bus?.close();
    },
  };
}
