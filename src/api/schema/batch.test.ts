import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { batchTypes } from './batch.ts';
import type { FieldDef } from './types.ts';

function fieldOf(typeName: string, name: string): FieldDef {
  const t = batchTypes.find((x) => x.name === `io.k8s.api.batch.v1.${typeName}`);
  assert.ok(t, `type ${typeName} exists`);
  const f = t.fields.find((x) => x.name === name);
  assert.ok(f, `${typeName}.${name} exists`);
  return f;
}

describe('batch/v1 schema', () => {
  it('uses the proto tags of generated.proto', () => {
    const tags: [string, string, number][] = [
      ['JobSpec', 'parallelism', 1],
      ['JobSpec', 'template', 6],
      ['JobSpec', 'backoffLimit', 7],
      ['JobSpec', 'podFailurePolicy', 11],
      ['JobSpec', 'backoffLimitPerIndex', 12],
      ['JobSpec', 'managedBy', 15],
      ['JobSpec', 'successPolicy', 16],
      ['JobStatus', 'terminating', 11],
      ['JobStatus', 'ready', 9],
      ['JobCondition', 'lastTransitionTime', 4],
      ['CronJobSpec', 'jobTemplate', 5],
      ['CronJobSpec', 'timeZone', 8],
      ['CronJobStatus', 'lastScheduleTime', 4],
      ['CronJobStatus', 'lastSuccessfulTime', 5],
      ['PodFailurePolicyOnExitCodesRequirement', 'values', 3],
    ];
    for (const [t, f, n] of tags) assert.equal(fieldOf(t, f).protoTag, n, `${t}.${f}`);
  });

  it('marks what the OpenAPI marks required', () => {
    assert.equal(fieldOf('JobSpec', 'template').required, true);
    assert.equal(fieldOf('CronJobSpec', 'schedule').required, true);
    assert.equal(fieldOf('CronJobSpec', 'jobTemplate').required, true);
    assert.equal(fieldOf('JobSpec', 'selector').required, undefined);
  });

  it('keeps Job conditions merged by type in patches but atomic for apply', () => {
    const c = fieldOf('JobStatus', 'conditions');
    assert.equal(c.patchStrategy, 'merge');
    assert.equal(c.patchMergeKey, 'type');
    assert.equal(c.listType, 'atomic');
    assert.equal(fieldOf('UncountedTerminatedPods', 'failed').listType, 'set');
    assert.deepEqual(fieldOf('PodFailurePolicyOnExitCodesRequirement', 'values').type, { kind: 'array', items: { kind: 'scalar', scalar: 'int32' } });
    assert.deepEqual(fieldOf('JobSpec', 'activeDeadlineSeconds').type, { kind: 'scalar', scalar: 'int64' });
    assert.deepEqual(fieldOf('CronJobSpec', 'startingDeadlineSeconds').type, { kind: 'scalar', scalar: 'int64' });
  });
});
