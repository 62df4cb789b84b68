// Tables for apps/v1 kinds.

import { groupKindKey, parseApiVersion, type KubeObject } from '../meta.ts';
import { registerPrinter, type Printer } from '../printers.ts';
import { formatLabelSelector, selectorFromLabelSelector, type LabelSelector } from '../../machinery/labels.ts';
import {
  age,
  ageColumn,
  column,
  containerCells,
  containersColumn,
  formatLabels,
  imagesColumn,
  int,
  nameColumn,
  nameOf,
  rec,
  spec,
  status,
} from './common.ts';

const templateSpec = (o: KubeObject): unknown => rec(rec(spec(o).template).spec);
const selectorOf = (o: KubeObject): LabelSelector | undefined => spec(o).selector as LabelSelector | undefined;
// Kubernetes defaults replicas to 1; an object read before defaulting shows the same.
const replicasOf = (o: KubeObject): number => (spec(o).replicas === undefined || spec(o).replicas === null ? 1 : int(spec(o).replicas));

function deploymentSelector(o: KubeObject): string {
  try {
    return selectorFromLabelSelector(selectorOf(o)).toString();
  } catch {
    return '<invalid>';
  }
}

const deploymentPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Ready', 'Number of the pod with ready state'),
    column('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    column('Selector', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', 'string', 1),
  ],
  cells(d, now) {
    const st = status(d);
    const [names, images] = containerCells(templateSpec(d));
    return [nameOf(d), `${int(st.readyReplicas)}/${replicasOf(d)}`, int(st.updatedReplicas), int(st.availableReplicas), age(d, now), names, images, deploymentSelector(d)];
  },
};

const replicaSetPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Desired', 'Replicas is the number of desired pods.', 'integer'),
    column('Current', 'Replicas is the most recently observed number of non-terminating pods.', 'integer'),
    column('Ready', 'The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.', 'integer'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    column('Selector', 'Selector is a label query over pods that should match the replica count.', 'string', 1),
  ],
  cells(rs, now) {
    const st = status(rs);
    const [names, images] = containerCells(templateSpec(rs));
    return [nameOf(rs), replicasOf(rs), int(st.replicas), int(st.readyReplicas), age(rs, now), names, images, formatLabelSelector(selectorOf(rs))];
  },
};

const statefulSetPrinter: Printer = {
  columns: [nameColumn(), column('Ready', 'Number of the pod with ready state'), ageColumn(), containersColumn(), imagesColumn()],
  cells(ss, now) {
    const [names, images] = containerCells(templateSpec(ss));
    return [nameOf(ss), `${int(status(ss).readyReplicas)}/${replicasOf(ss)}`, age(ss, now), names, images];
  },
};

const daemonSetPrinter: Printer = {
  columns: [
    nameColumn(),
    column('Desired', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).', 'integer'),
    column('Current', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.', 'integer'),
    column('Ready', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.', 'integer'),
    column('Up-to-date', 'The total number of nodes that are running updated daemon pod', 'integer'),
    column('Available', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)', 'integer'),
    column('Node Selector', "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node."),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    column('Selector', 'A label query over pods that are managed by the daemon set.', 'string', 1),
  ],
  cells(ds, now) {
    const st = status(ds);
    const [names, images] = containerCells(templateSpec(ds));
    return [
      nameOf(ds),
      int(st.desiredNumberScheduled),
      int(st.currentNumberScheduled),
      int(st.numberReady),
      int(st.updatedNumberScheduled),
      int(st.numberAvailable),
      formatLabels(rec(templateSpec(ds)).nodeSelector),
      age(ds, now),
      names,
      images,
      formatLabelSelector(selectorOf(ds)),
    ];
  },
};

/** `statefulset.apps/web` for the controlling owner, `<none>` without one. */
export function controllerName(o: KubeObject): string {
  const ref = (o.metadata.ownerReferences ?? []).find((r) => r.controller === true);
  if (!ref) return '<none>';
  const { group } = parseApiVersion(ref.apiVersion);
  if (!ref.kind) return ref.name;
  return `${(group ? `${ref.kind}.${group}` : ref.kind).toLowerCase()}/${ref.name}`;
}

const controllerRevisionPrinter: Printer = {
  columns: [nameColumn(), column('Controller', 'Controller of the object'), column('Revision', 'Revision indicates the revision of the state represented by Data.'), ageColumn()],
  cells: (cr, now) => [nameOf(cr), controllerName(cr), int(cr.revision), age(cr, now)],
};

const apps: Record<string, Printer> = {
  Deployment: deploymentPrinter,
  ReplicaSet: replicaSetPrinter,
  StatefulSet: statefulSetPrinter,
  DaemonSet: daemonSetPrinter,
  ControllerRevision: controllerRevisionPrinter,
};

for (const [kind, p] of Object.entries(apps)) registerPrinter(groupKindKey('apps', kind), p);
