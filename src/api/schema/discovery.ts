// discovery.k8s.io/v1: EndpointSlice. Proto tags follow k8s.io/api/discovery/v1/generated.proto (v1.32).

import { array, boolean, core, field, gvk, int32, map, meta, ref, string, type } from './build.ts';
import { registerTypes } from './index.ts';
import type { TypeDef } from './types.ts';

const discovery = (name: string): string => `io.k8s.api.discovery.v1.${name}`;

export const discoveryTypes: readonly TypeDef[] = [
  type(discovery('EndpointSlice'), 'A subset of the endpoints behind a service.', [
    field('apiVersion', 0, string, 'Versioned schema of this representation of the object.'),
    field('kind', 0, string, 'REST resource this object represents.'),
    field('metadata', 1, ref(meta('ObjectMeta')), 'Standard metadata of the endpoint slice.'),
    field('addressType', 4, string, 'Kind of address held by the slice: IPv4, IPv6 or FQDN.', { required: true, enum: ['FQDN', 'IPv4', 'IPv6'] }),
    field('endpoints', 2, array(ref(discovery('Endpoint'))), 'Endpoints of the slice, at most 1000.', { required: true, listType: 'atomic' }),
    field('ports', 3, array(ref(discovery('EndpointPort'))), 'Ports exposed by every endpoint of the slice.', { listType: 'atomic' }),
  ], { gvk: gvk('discovery.k8s.io', 'v1', 'EndpointSlice') }),
  type(discovery('Endpoint'), 'One backend of a service.', [
    field('addresses', 1, array(string), 'Addresses of the endpoint, of the slice address type.', { required: true, listType: 'set' }),
    field('conditions', 2, ref(discovery('EndpointConditions')), 'Readiness of the endpoint.'),
    field('hostname', 3, string, 'Host name of the endpoint, used in DNS names.'),
    field('targetRef', 4, ref(core('ObjectReference')), 'Object (usually a pod) backing the endpoint.'),
    field('deprecatedTopology', 5, map(string), 'Topology labels kept from v1beta1; not writable in v1.'),
    field('nodeName', 6, string, 'Node hosting the endpoint.'),
    field('zone', 7, string, 'Zone the endpoint is in.'),
    field('hints', 8, ref(discovery('EndpointHints')), 'Hints on how the endpoint should be consumed.'),
  ]),
  type(discovery('EndpointConditions'), 'Readiness of an endpoint.', [
    field('ready', 1, boolean, 'Whether the endpoint should receive traffic; unset means unknown.'),
    field('serving', 2, boolean, 'Like ready, but also set while the endpoint terminates.'),
    field('terminating', 3, boolean, 'Whether the endpoint is terminating.'),
  ]),
  type(discovery('EndpointHints'), 'How an endpoint should be consumed.', [
    field('forZones', 1, array(ref(discovery('ForZone'))), 'Zones that should use this endpoint for topology-aware routing.', { listType: 'atomic' }),
  ]),
  type(discovery('ForZone'), 'A zone that should consume an endpoint.', [
    field('name', 1, string, 'Name of the zone.', { required: true }),
  ]),
  type(discovery('EndpointPort'), 'A port served by the endpoints of a slice.', [
    field('name', 1, string, 'Name of the port, unique within the slice.'),
    field('protocol', 2, string, 'TCP (default), UDP or SCTP.', { enum: ['SCTP', 'TCP', 'UDP'] }),
    field('port', 3, int32, 'Port number; unset means all ports.'),
    field('appProtocol', 4, string, 'Application protocol carried on the port.'),
  ], { atomic: true }),
];

registerTypes(discoveryTypes);
