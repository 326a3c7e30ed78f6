/** The queue topics of Nubo's services, as Nova's `compute`, `scheduler`, `conductor`. */
export const Topics = {
  scheduler: 'scheduler',
  conductor: 'conductor',
  compute: 'compute',
} as const;
