/**
 * Road-aid's own service codes: those its catalog.json declares (R23), typed for its code. A
 * ministry's codes live in its own subgraph, not in the kit's portal vocabulary; a test checks
 * that this list and the declaration agree.
 */
export const RoadAidServiceCode = {
  /** Programme d'aide à la voirie locale. */
  Pavl: 'PAVL',
} as const;
export type RoadAidServiceCode = (typeof RoadAidServiceCode)[keyof typeof RoadAidServiceCode];
