import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fullFitError } from './fit-error.ts';
import { Code, type Status } from './framework/status.ts';

// kube-scheduler sorts the "count reason" strings as strings, so "2 node(s)…" comes before "3 Insufficient…".
test("counts reasons over nodes and sorts them, as kube-scheduler's FitError does", () => {
  const cpu: Status = { code: Code.Unschedulable, reasons: ['Insufficient cpu'] };
  const taint: Status = { code: Code.UnschedulableAndUnresolvable, reasons: ['node(s) had untolerated taint {key: value}'] };
  const statuses = new Map([
    ['a', cpu],
    ['b', cpu],
    ['c', cpu],
    ['d', taint],
    ['e', taint],
  ]);
  assert.equal(
    fullFitError(5, statuses, 'preemption: 0/5 nodes are available: 5 No preemption victims found for incoming pod.'),
    '0/5 nodes are available: 2 node(s) had untolerated taint {key: value}, 3 Insufficient cpu. preemption: 0/5 nodes are available: 5 No preemption victims found for incoming pod.',
  );
  assert.equal(fullFitError(5, new Map(), '', 'pod has unbound immediate PersistentVolumeClaims'), '0/5 nodes are available: pod has unbound immediate PersistentVolumeClaims.');
});
