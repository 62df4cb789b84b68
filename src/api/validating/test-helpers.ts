// Test helper: default then validate, returning messages as kubectl prints them.

import '../defaulting/all.ts';
import './all.ts';
import { applyDefaults } from '../defaults.ts';
import { validateObject } from '../validation.ts';
import type { KubeObject } from '../meta.ts';
import { formatFieldError } from '../../machinery/status.ts';

// eslint-style loose typing: tests poke into plain JSON freely.
export type Any = Record<string, any>;

export function check(groupKind: string, obj: Any, old?: Any): string[] {
  applyDefaults(groupKind, obj as KubeObject);
  if (old) applyDefaults(groupKind, old as KubeObject);
  return validateObject(groupKind, obj as KubeObject, old as KubeObject | undefined).map(formatFieldError);
}
