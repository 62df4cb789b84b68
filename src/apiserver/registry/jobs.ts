// Jobs: the selector and pod labels Kubernetes generates from the Job's uid.

import { defaultJobSelector } from '../../api/defaulting/batch.ts';
import type { Strategy } from './strategy.ts';

export const jobStrategy: Strategy = {
  generation: true,
  prepareForCreate(job) {
    job.status = {};
    defaultJobSelector(job);
  },
};
