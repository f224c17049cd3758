import { runSubgraph } from '@pgamr/kit';
import { roadAidSubgraph } from './server';

runSubgraph(roadAidSubgraph, 4004);
