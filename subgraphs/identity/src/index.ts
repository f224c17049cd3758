import { runSubgraph } from '@pgamr/kit';
import { identitySubgraph } from './server';

runSubgraph(identitySubgraph, 4001);
