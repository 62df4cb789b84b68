import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../meta.ts';
import { podPrinter, summarizePod } from './pod.ts';

const now = Date.parse('2024-05-01T12:00:00Z');
const ago = (ms: number): string => new Date(now - ms).toISOString();
const MIN = 60_000;

function pod(specPart: Record<string, unknown>, statusPart: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', creationTimestamp: ago(10 * MIN), ...meta },
    spec: { containers: [{ name: 'a', image: 'busybox' }], ...specPart },
    status: statusPart,
  };
}

const running = { running: { startedAt: ago(MIN) } };

describe('pod table', () => {
  it('shows a running pod with ready counts and the wide columns', () => {
    const p = pod(
      { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }], nodeName: 'n1' },
      {
        phase: 'Running',
        podIPs: [{ ip: '10.0.0.5' }],
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [
          { name: 'a', ready: true, restartCount: 0, state: running },
          { name: 'b', ready: false, restartCount: 0, state: running },
        ],
      },
    );
    assert.deepEqual(podPrinter.cells(p, now), ['p', '1/2', 'Running', '0', '10m', '10.0.0.5', 'n1', '<none>', '<none>']);
    assert.equal(podPrinter.columns.length, 9);
    assert.deepEqual(
      podPrinter.columns.filter((c) => c.priority === 1).map((c) => c.name),
      ['IP', 'Node', 'Nominated Node', 'Readiness Gates'],
    );
  });

  it('shows a pending pod with no statuses', () => {
    const p = pod({}, { phase: 'Pending' });
    assert.deepEqual(podPrinter.cells(p, now).slice(0, 4), ['p', '0/1', 'Pending', '0']);
    assert.deepEqual(podPrinter.cells(p, now).slice(5), ['<none>', '<none>', '<none>', '<none>']);
  });

  it('shows CrashLoopBackOff with restarts and the time of the last one', () => {
    const p = pod({}, {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'a',
          ready: false,
          restartCount: 3,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(5 * MIN) } },
        },
      ],
    });
    assert.deepEqual(summarizePod(p, now), { ready: '0/1', reason: 'CrashLoopBackOff', restarts: '3 (5m ago)' });
  });

  it('shows Completed, and the terminated exit code when there is no reason', () => {
    const done = pod({}, { phase: 'Succeeded', containerStatuses: [{ name: 'a', restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] });
    assert.equal(summarizePod(done, now).reason, 'Completed');
    const killed = pod({}, { phase: 'Failed', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 137, signal: 9 } } }] });
    assert.equal(summarizePod(killed, now).reason, 'Signal:9');
    const exited = pod({}, { phase: 'Failed', containerStatuses: [{ name: 'a', state: { terminated: { exitCode: 2 } } }] });
    assert.equal(summarizePod(exited, now).reason, 'ExitCode:2');
  });

  it('turns Completed back into Running/NotReady while another container runs', () => {
    const statuses = [
      { name: 'a', ready: true, state: running },
      { name: 'b', ready: false, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
    ];
    const spec = { containers: [{ name: 'a' }, { name: 'b' }] };
    assert.equal(summarizePod(pod(spec, { phase: 'Running', containerStatuses: statuses, conditions: [{ type: 'Ready', status: 'True' }] }), now).reason, 'Running');
    assert.equal(summarizePod(pod(spec, { phase: 'Running', containerStatuses: statuses }), now).reason, 'NotReady');
  });

  it('shows init container progress and failures', () => {
    const spec = { initContainers: [{ name: 'i1' }, { name: 'i2' }] };
    const progressing = pod(spec, {
      phase: 'Pending',
      initContainerStatuses: [
        { name: 'i1', state: { terminated: { exitCode: 0 } } },
        { name: 'i2', state: { running: {} } },
      ],
      containerStatuses: [{ name: 'a', state: { waiting: { reason: 'PodInitializing' } } }],
    });
    assert.equal(summarizePod(progressing, now).reason, 'Init:1/2');
    const failing = pod(spec, {
      phase: 'Pending',
      initContainerStatuses: [{ name: 'i1', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } }],
    });
    assert.deepEqual(summarizePod(failing, now), { ready: '0/1', reason: 'Init:CrashLoopBackOff', restarts: '2' });
    const errored = pod(spec, { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { terminated: { exitCode: 1, reason: 'Error' } } }] });
    assert.equal(summarizePod(errored, now).reason, 'Init:Error');
  });

  it('counts restartable init containers (sidecars) in READY', () => {
    const p = pod(
      { initContainers: [{ name: 'side', restartPolicy: 'Always' }] },
      {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }],
        initContainerStatuses: [{ name: 'side', started: true, ready: true, restartCount: 1, state: running }],
        containerStatuses: [{ name: 'a', ready: true, restartCount: 0, state: running }],
      },
    );
    assert.deepEqual(summarizePod(p, now), { ready: '2/2', reason: 'Running', restarts: '1' });
  });

  it('shows Terminating, Unknown for lost nodes, and SchedulingGated', () => {
    const deleting = { deletionTimestamp: ago(MIN) };
    assert.equal(summarizePod(pod({}, { phase: 'Running' }, deleting), now).reason, 'Terminating');
    assert.equal(summarizePod(pod({}, { phase: 'Succeeded' }, deleting), now).reason, 'Succeeded');
    assert.equal(summarizePod(pod({}, { phase: 'Running', reason: 'NodeLost' }, deleting), now).reason, 'Unknown');
    const gated = pod({}, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] });
    assert.equal(summarizePod(gated, now).reason, 'SchedulingGated');
    assert.equal(summarizePod(pod({}, { phase: 'Failed', reason: 'Evicted' }), now).reason, 'Evicted');
  });

  it('counts readiness gates', () => {
    const p = pod(
      { readinessGates: [{ conditionType: 'x/one' }, { conditionType: 'x/two' }] },
      { phase: 'Running', conditions: [{ type: 'x/one', status: 'True' }, { type: 'x/two', status: 'False' }] },
    );
    assert.equal(podPrinter.cells(p, now)[8], '1/2');
  });

  it('prints <unknown> age without a creation timestamp', () => {
    const p = pod({}, {}, { creationTimestamp: undefined });
    delete p.metadata.creationTimestamp;
    assert.equal(podPrinter.cells(p, now)[4], '<unknown>');
  });
});
