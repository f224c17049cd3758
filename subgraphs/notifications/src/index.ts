import { runSubgraph } from '@pgamr/kit';
import { notificationsSubgraph } from './server';

runSubgraph(notificationsSubgraph, 4005);
