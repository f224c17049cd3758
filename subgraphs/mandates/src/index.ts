import { runSubgraph } from '@pgamr/kit';
import { mandatesSubgraph } from './server';

runSubgraph(mandatesSubgraph, 4003);
