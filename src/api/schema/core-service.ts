// core/v1 networking kinds: Service (spec, ports, load balancer status) and
// the legacy Endpoints. Field numbers from core/v1 generated.proto.

import { array, boolean, core, field, gvk, int32, intOrString, keyedList, map, meta, ref, string, type } from './build.ts';
import { registerTypes } from './index.ts';
import type { TypeDef } from './types.ts';

const protocols = ['TCP', 'UDP', 'SCTP'] as const;

const service = type(core('Service'), 'A stable virtual address and name for a set of pods.', [
  field('apiVersion', 0, string, 'API version of this object.'),
  field('kind', 0, string, 'Kind of this object.'),
  field('metadata', 1, ref(meta('ObjectMeta')), 'Standard object metadata.'),
  field('spec', 2, ref(core('ServiceSpec')), 'Desired behaviour of the service.'),
  field('status', 3, ref(core('ServiceStatus')), 'Most recently observed state of the service.'),
], { gvk: gvk('', 'v1', 'Service') });

const serviceSpec = type(core('ServiceSpec'), 'What a service exposes and how.', [
  field('ports', 1, array(ref(core('ServicePort'))), 'Ports the service exposes.', {
    patchStrategy: 'merge', patchMergeKey: 'port', listType: 'map', listMapKeys: ['port', 'protocol'],
  }),
  field('selector', 2, map(string), 'Labels of the pods that back the service.', { mapType: 'atomic' }),
  field('clusterIP', 3, string, 'Virtual IP of the service; None makes it headless.'),
  field('clusterIPs', 18, array(string), 'Virtual IPs of the service, one per IP family.', { listType: 'atomic' }),
  field('type', 4, string, 'How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.', {
    enum: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
  }),
  field('externalIPs', 5, array(string), 'Extra IPs on which nodes accept traffic for the service.', { listType: 'atomic' }),
  field('sessionAffinity', 7, string, 'ClientIP or None.', { enum: ['ClientIP', 'None'] }),
  field('loadBalancerIP', 8, string, 'Deprecated requested load balancer IP.'),
  field('loadBalancerSourceRanges', 9, array(string), 'Client CIDRs allowed through the load balancer.', { listType: 'atomic' }),
  field('externalName', 10, string, 'DNS name returned as a CNAME for ExternalName services.'),
  field('externalTrafficPolicy', 11, string, 'Cluster or Local routing of external traffic.', { enum: ['Cluster', 'Local'] }),
  field('healthCheckNodePort', 12, int32, 'Node port serving health checks for Local external traffic.'),
  field('publishNotReadyAddresses', 13, boolean, 'Publish endpoints of pods that are not ready.'),
  field('sessionAffinityConfig', 14, ref(core('SessionAffinityConfig')), 'Settings of session affinity.'),
  field('ipFamilies', 19, array(string), 'IP families of the service: IPv4, IPv6.', { listType: 'atomic' }),
  field('ipFamilyPolicy', 17, string, 'SingleStack, PreferDualStack or RequireDualStack.', { enum: ['SingleStack', 'PreferDualStack', 'RequireDualStack'] }),
  field('allocateLoadBalancerNodePorts', 20, boolean, 'Allocate node ports for LoadBalancer services.'),
  field('loadBalancerClass', 21, string, 'Load balancer implementation that handles the service.'),
  field('internalTrafficPolicy', 22, string, 'Cluster or Local routing of in-cluster traffic.', { enum: ['Cluster', 'Local'] }),
  field('trafficDistribution', 23, string, 'Preference for how traffic reaches endpoints, e.g. PreferClose.'),
]);

const servicePort = type(core('ServicePort'), 'One port of a service.', [
  field('name', 1, string, 'Name of the port, unique in the service.'),
  field('protocol', 2, string, 'TCP, UDP or SCTP; defaults to TCP.', { enum: protocols }),
  field('appProtocol', 6, string, 'Application protocol hint, e.g. http or kubernetes.io/h2c.'),
  field('port', 3, int32, 'Port the service exposes.', { required: true }),
  field('targetPort', 4, intOrString, 'Port number or name on the pods; defaults to port.'),
  field('nodePort', 5, int32, 'Port on every node for NodePort and LoadBalancer services.'),
]);

const serviceStatus = type(core('ServiceStatus'), 'Observed state of a service.', [
  field('loadBalancer', 1, ref(core('LoadBalancerStatus')), 'State of the load balancer, if any.'),
  keyedList('conditions', 2, meta('Condition'), 'type', 'Current conditions of the service.'),
]);

const loadBalancerStatus = type(core('LoadBalancerStatus'), 'State of a load balancer.', [
  field('ingress', 1, array(ref(core('LoadBalancerIngress'))), 'Ingress points of the load balancer.', { listType: 'atomic' }),
]);

const loadBalancerIngress = type(core('LoadBalancerIngress'), 'One ingress point of a load balancer.', [
  field('ip', 1, string, 'IP of the ingress point.'),
  field('hostname', 2, string, 'DNS name of the ingress point.'),
  field('ipMode', 3, string, 'How the IP behaves: VIP or Proxy.', { enum: ['VIP', 'Proxy'] }),
  field('ports', 4, array(ref(core('PortStatus'))), 'Status of each service port.', { listType: 'atomic' }),
]);

const portStatus = type(core('PortStatus'), 'Error state of one service port.', [
  field('port', 1, int32, 'Port number.', { required: true }),
  field('protocol', 2, string, 'TCP, UDP or SCTP.', { required: true, enum: protocols }),
  field('error', 3, string, 'Problem with the port, in CamelCase.'),
]);

const sessionAffinityConfig = type(core('SessionAffinityConfig'), 'Settings of session affinity.', [
  field('clientIP', 1, ref(core('ClientIPConfig')), 'Settings of ClientIP affinity.'),
]);

const clientIPConfig = type(core('ClientIPConfig'), 'Settings of ClientIP session affinity.', [
  field('timeoutSeconds', 1, int32, 'Seconds a session sticks; 1 to 86400, default 10800.'),
]);

const endpoints = type(core('Endpoints'), 'The addresses and ports that implement a service.', [
  field('apiVersion', 0, string, 'API version of this object.'),
  field('kind', 0, string, 'Kind of this object.'),
  field('metadata', 1, ref(meta('ObjectMeta')), 'Standard object metadata.'),
  field('subsets', 2, array(ref(core('EndpointSubset'))), 'Groups of addresses sharing the same ports.', { listType: 'atomic' }),
], { gvk: gvk('', 'v1', 'Endpoints') });

const endpointSubset = type(core('EndpointSubset'), 'Addresses and the ports they all serve.', [
  field('addresses', 1, array(ref(core('EndpointAddress'))), 'Ready addresses.', { listType: 'atomic' }),
  field('notReadyAddresses', 2, array(ref(core('EndpointAddress'))), 'Addresses that are not ready yet.', { listType: 'atomic' }),
  field('ports', 3, array(ref(core('EndpointPort'))), 'Ports served on the addresses.', { listType: 'atomic' }),
]);

const endpointAddress = type(core('EndpointAddress'), 'One endpoint IP.', [
  field('ip', 1, string, 'IP of the endpoint.', { required: true }),
  field('hostname', 3, string, 'Hostname of the endpoint.'),
  field('nodeName', 4, string, 'Node hosting the endpoint.'),
  field('targetRef', 2, ref(core('ObjectReference')), 'Object providing the endpoint, usually a pod.'),
], { atomic: true });

const endpointPort = type(core('EndpointPort'), 'One endpoint port.', [
  field('name', 1, string, 'Name matching the service port name.'),
  field('port', 2, int32, 'Port number.', { required: true }),
  field('protocol', 3, string, 'TCP, UDP or SCTP.', { enum: protocols }),
  field('appProtocol', 4, string, 'Application protocol hint.'),
], { atomic: true });

export const coreServiceTypes: readonly TypeDef[] = [
  service, serviceSpec, servicePort, serviceStatus, loadBalancerStatus, loadBalancerIngress, portStatus,
  sessionAffinityConfig, clientIPConfig, endpoints, endpointSubset, endpointAddress, endpointPort,
];

registerTypes(coreServiceTypes);
