import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventsTypes } from './events.ts';
import type { FieldDef } from './types.ts';

function fieldOf(typeName: string, name: string): FieldDef {
  const t = eventsTypes.find((x) => x.name === `io.k8s.api.events.v1.${typeName}`);
  assert.ok(t, `type ${typeName} exists`);
  const f = t.fields.find((x) => x.name === name);
  assert.ok(f, `${typeName}.${name} exists`);
  return f;
}

describe('events.k8s.io/v1 schema', () => {
  it('uses the proto tags of generated.proto', () => {
    assert.equal(fieldOf('Event', 'eventTime').protoTag, 2);
    assert.equal(fieldOf('Event', 'regarding').protoTag, 8);
    assert.equal(fieldOf('Event', 'note').protoTag, 10);
    assert.equal(fieldOf('Event', 'deprecatedCount').protoTag, 15);
    assert.equal(fieldOf('EventSeries', 'lastObservedTime').protoTag, 2);
  });

  it('types the times as Kubernetes does', () => {
    assert.deepEqual(fieldOf('Event', 'eventTime').type, { kind: 'scalar', scalar: 'microTime' });
    assert.equal(fieldOf('Event', 'eventTime').required, true);
    assert.deepEqual(fieldOf('Event', 'deprecatedFirstTimestamp').type, { kind: 'scalar', scalar: 'time' });
    assert.deepEqual(fieldOf('Event', 'deprecatedSource').type, { kind: 'ref', ref: 'io.k8s.api.core.v1.EventSource' });
  });
});
