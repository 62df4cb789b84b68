import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { discoveryTypes } from './discovery.ts';
import type { FieldDef } from './types.ts';

function fieldOf(typeName: string, name: string): FieldDef {
  const t = discoveryTypes.find((x) => x.name === `io.k8s.api.discovery.v1.${typeName}`);
  assert.ok(t, `type ${typeName} exists`);
  const f = t.fields.find((x) => x.name === name);
  assert.ok(f, `${typeName}.${name} exists`);
  return f;
}

describe('discovery.k8s.io/v1 schema', () => {
  it('uses the proto tags of generated.proto', () => {
    assert.equal(fieldOf('EndpointSlice', 'addressType').protoTag, 4);
    assert.equal(fieldOf('EndpointSlice', 'endpoints').protoTag, 2);
    assert.equal(fieldOf('EndpointSlice', 'ports').protoTag, 3);
    assert.equal(fieldOf('Endpoint', 'targetRef').protoTag, 4);
    assert.equal(fieldOf('Endpoint', 'hints').protoTag, 8);
    assert.equal(fieldOf('EndpointPort', 'appProtocol').protoTag, 4);
  });

  it('marks required fields and list types', () => {
    assert.equal(fieldOf('EndpointSlice', 'addressType').required, true);
    assert.equal(fieldOf('EndpointSlice', 'endpoints').required, true);
    assert.equal(fieldOf('Endpoint', 'addresses').listType, 'set');
    assert.equal(fieldOf('EndpointSlice', 'ports').listType, 'atomic');
    assert.equal(discoveryTypes.find((t) => t.name.endsWith('.EndpointPort'))?.atomic, true);
  });
});
