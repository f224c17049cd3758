import { badUserInput } from '@pgamr/kit';
import type { MutationResolvers } from '../generated/resolvers-types';
import { countUnread, markRead, MAX_IDS_PER_MARK } from '../notification/notification.repository';
import { readerOf } from '../reader';

export const Mutation = {
  /** R20: marks read what the reader sees among the ids (or all of it); the others are ignored without a word. */
  markNotificationsRead: async (_, { input }, context) => {
    const reader = await readerOf(context);
    const all = input.all === true;
    if (all === Boolean(input.ids)) {
      throw badUserInput('Donnez soit la liste des notifications à marquer (`ids`), soit `all: true`, mais pas les deux.', { field: 'input' });
    }
    if (input.ids && input.ids.length > MAX_IDS_PER_MARK) {
      throw badUserInput(`Au plus ${MAX_IDS_PER_MARK} notifications à la fois.`, { field: 'input.ids' });
    }
    await markRead(context.em, reader, all ? { all: true } : { ids: input.ids ?? [] }, context.clock.now());
    return { unreadCount: await countUnread(context.em, reader) };
  },
} satisfies MutationResolvers;
