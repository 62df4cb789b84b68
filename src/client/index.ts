// The client side every component shares; see interfaces.ts for the contract.

export type * from './interfaces.ts';
export { RestClient, toStatusError, type RestClientOptions } from './rest-client.ts';
export { loadKubeconfig, type ClientConfig } from './kubeconfig.ts';
export { resourcePath } from './resource-path.ts';
export { keyFor, objectKey, splitKey } from './keys.ts';
export { Indexer, namespaceIndex } from './indexer.ts';
export { IndexerLister } from './lister.ts';
export { Reflector, type ReflectorOptions, type ReflectorSink } from './reflector.ts';
export { SharedInformer, type SharedInformerOptions } from './informer.ts';
export { InformerFactory } from './informer-factory.ts';
export { RateLimitedQueue, type WorkQueueOptions } from './work-queue.ts';
export { defaultControllerRateLimiter, ExponentialBackoff, MaxOf, TokenBucket, type RateLimiter } from './rate-limiter.ts';
export { runWorkers, type RunWorkersOptions } from './run-workers.ts';
export { createEventRecorder, CoreEventRecorder } from './event-recorder.ts';
export { createComponentContext } from './component-context.ts';
export { runLeaderElection, type LeaderElectionOptions, type LeaderElector, type LeaseSpec } from './leader-election.ts';
export { ControllerExpectations, expectationsTimeoutMs } from './expectations.ts';
