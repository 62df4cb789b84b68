// Tables for batch/v1 kinds.

import { groupKindKey, type KubeObject } from '../meta.ts';
import { registerPrinter, type Printer } from '../printers.ts';
import { formatLabelSelector, type LabelSelector } from '../../machinery/labels.ts';
import { humanDuration, translateTimestampSince } from '../../machinery/duration.ts';
import { age, ageColumn, arr, column, containerCells, containersColumn, imagesColumn, int, nameColumn, nameOf, printBool, rec, spec, status, str } from './common.ts';

function conditionTrue(o: KubeObject, type: string): boolean {
  const c = arr(status(o).conditions).find((x) => x.type === type);
  return c?.status === 'True';
}

export function jobStatus(job: KubeObject): string {
  if (conditionTrue(job, 'Complete')) return 'Complete';
  if (conditionTrue(job, 'Failed')) return 'Failed';
  if (job.metadata.deletionTimestamp) return 'Terminating';
  if (conditionTrue(job, 'Suspended')) return 'Suspended';
  if (conditionTrue(job, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

export function jobCompletions(job: KubeObject): string {
  const sp = spec(job);
  const succeeded = int(status(job).succeeded);
  if (sp.completions !== undefined && sp.completions !== null) return `${succeeded}/${int(sp.completions)}`;
  const parallelism = int(sp.parallelism);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

export function jobDuration(job: KubeObject, now: number): string {
  const st = status(job);
  const start = Date.parse(str(st.startTime));
  if (Number.isNaN(start)) return '';
  const end = Date.parse(str(st.completionTime));
  return humanDuration((Number.isNaN(end) ? now : end) - start);
}

const jobPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Status', 'Status of the job.'),
    column('Completions', 'The number of pods which reached phase Succeeded.'),
    column('Duration', 'Time required to complete the job.'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    column('Selector', 'A label query over pods that should match the pod count.', 'string', 1),
  ],
  cells(job, now) {
    const sp = spec(job);
    const [names, images] = containerCells(rec(rec(sp.template).spec));
    return [nameOf(job), jobStatus(job), jobCompletions(job), jobDuration(job, now), age(job, now), names, images, formatLabelSelector(sp.selector as LabelSelector | undefined)];
  },
};

const cronJobPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Schedule', 'The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    column('Timezone', 'The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones.'),
    column('Suspend', 'This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.', 'boolean'),
    column('Active', 'A list of pointers to currently running jobs.', 'integer'),
    column('Last Schedule', 'Information when was the last time the job was successfully scheduled.'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    column('Selector', 'A label query over pods that should match the pod count.', 'string', 1),
  ],
  cells(cj, now) {
    const sp = spec(cj);
    const st = status(cj);
    const jobSpec = rec(rec(sp.jobTemplate).spec);
    const [names, images] = containerCells(rec(rec(jobSpec.template).spec));
    const last = str(st.lastScheduleTime) ? translateTimestampSince(str(st.lastScheduleTime), now) : '<none>';
    return [
      nameOf(cj),
      str(sp.schedule),
      str(sp.timeZone) || '<none>',
      printBool(sp.suspend),
      arr(st.active).length,
      last,
      age(cj, now),
      names,
      images,
      formatLabelSelector(jobSpec.selector as LabelSelector | undefined),
    ];
  },
};

registerPrinter(groupKindKey('batch', 'Job'), jobPrinter);
registerPrinter(groupKindKey('batch', 'CronJob'), cronJobPrinter);
