// Service account tokens for projected volumes. There is no TokenRequest API
// yet, so the node signs JWT-shaped tokens itself (HS256 over a random
// per-node key): they carry Kubernetes' claims, but the API server cannot
// verify them. A token is reused until 80% of its lifetime has passed, as the
// kubelet's token manager does, so the volume is rewritten only on rotation.

import { createHmac, randomBytes } from 'node:crypto';
import type { Clock } from '../../machinery/clock.ts';

export type TokenRequest = {
  namespace: string;
  serviceAccount: { name: string; uid: string };
  pod: { name: string; uid: string };
  audiences: string[];
  expirationSeconds: number;
};

export type TokenIssuer = {
  token(req: TokenRequest): string;
  /** Drops the cached tokens of a pod that is gone. */
  forget(podUid: string): void;
};

export const defaultIssuer = 'https://kubernetes.default.svc.cluster.local';

export function createTokenIssuer(clock: Clock, key: Buffer = randomBytes(32)): TokenIssuer {
  const cache = new Map<string, { token: string; iat: number; exp: number }>();
  const sign = (req: TokenRequest, iat: number, exp: number): string => {
    const header = { alg: 'HS256', typ: 'JWT' };
    const claims = {
      aud: req.audiences,
      exp,
      iat,
      nbf: iat,
      iss: defaultIssuer,
      sub: `system:serviceaccount:${req.namespace}:${req.serviceAccount.name}`,
      'kubernetes.io': { namespace: req.namespace, pod: req.pod, serviceaccount: req.serviceAccount },
    };
    const body = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
    return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
  };
  return {
    token(req) {
      const k = JSON.stringify([req.pod.uid, req.serviceAccount.uid, req.audiences, req.expirationSeconds]);
      const now = Math.floor(clock.now() / 1000);
      const hit = cache.get(k);
      if (hit && now < hit.iat + (hit.exp - hit.iat) * 0.8) return hit.token;
      const exp = now + req.expirationSeconds;
      const token = sign(req, now, exp);
      cache.set(k, { token, iat: now, exp });
      return token;
    },
    forget(podUid) {
      for (const k of cache.keys()) if ((JSON.parse(k) as string[])[0] === podUid) cache.delete(k);
    },
  };
}

function b64url(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64url');
}
