import { test } from 'node:test';
import assert from 'node:assert/strict';
import './all.ts';
import { resources } from '../scheme.ts';
import { groupKindKey } from '../meta.ts';
import { validateObject } from '../validation.ts';

test('every resource of the scheme has a validator that checks object meta', () => {
  for (const r of resources) {
    const errs = validateObject(groupKindKey(r.group, r.kind), { metadata: {} });
    assert.ok(
      errs.some((e) => e.field === 'metadata.name'),
      `${groupKindKey(r.group, r.kind)} is not validated`,
    );
  }
});
