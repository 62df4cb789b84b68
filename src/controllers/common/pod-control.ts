// Creating pods from a controller's template and deleting them, with the
// Events Kubernetes records (SuccessfulCreate, FailedCreate, SuccessfulDelete,
// FailedDelete) on the owner.

import type { KubeObject, OwnerReference } from '../../api/meta.ts';
import { resourceForKind } from '../../api/scheme.ts';
import type { Client, EventRecorder } from '../../client/interfaces.ts';
import { isNotFound } from '../../machinery/status.ts';
import type { Pod, PodTemplateSpec } from './types.ts';

const podsResource = resourceForKind('', 'Pod')!;

/** The pod a controller creates: template labels/annotations/spec, generateName `<owner>-`, the owner ref. */
export function podFromTemplate(template: PodTemplateSpec, namespace: string, ownerName: string, ref: OwnerReference | undefined): Pod {
  const meta = template.metadata ?? {};
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { generateName: `${ownerName}-`, namespace },
    spec: structuredClone(template.spec ?? {}),
  };
  if (meta.labels) pod.metadata.labels = { ...meta.labels };
  if (meta.annotations) pod.metadata.annotations = { ...meta.annotations };
  if (meta.finalizers) pod.metadata.finalizers = [...meta.finalizers];
  if (ref) pod.metadata.ownerReferences = [ref];
  return pod;
}

export class PodControl {
  private readonly client: Client;
  private readonly recorder: EventRecorder;
  constructor(client: Client, recorder: EventRecorder) {
    this.client = client;
    this.recorder = recorder;
  }

  /** Creates one pod for `owner`; records SuccessfulCreate or FailedCreate. */
  async createPod(owner: KubeObject, template: PodTemplateSpec, ref: OwnerReference, name?: string): Promise<Pod> {
    const namespace = owner.metadata.namespace ?? 'default';
    const pod = podFromTemplate(template, namespace, owner.metadata.name ?? '', ref);
    if (name) {
      pod.metadata.name = name;
      delete pod.metadata.generateName;
    }
    try {
      const created = await this.client.create<Pod>(podsResource, namespace, pod);
      this.recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
      return created;
    } catch (e) {
      this.recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`);
      throw e;
    }
  }

  /** Deletes a pod; a pod already gone counts as deleted (returns false). */
  async deletePod(owner: KubeObject, namespace: string, name: string): Promise<boolean> {
    try {
      await this.client.delete(podsResource, namespace, name);
      this.recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      this.recorder.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${(e as Error).message}`);
      throw e;
    }
  }
}
