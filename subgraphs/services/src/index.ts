import { runSubgraph } from '@pgamr/kit';
import { servicesSubgraph } from './server';

runSubgraph(servicesSubgraph, 4002);
