import { runSubgraph } from '@pgamr/kit';
import { createIdentitySubgraph } from './server';
import { readIdentitySettings } from './settings';

runSubgraph(createIdentitySubgraph(readIdentitySettings()), 4001);
