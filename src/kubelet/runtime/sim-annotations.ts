// Pod annotations that script hollow (fake-runtime) containers, so tests can
// make Jobs complete, containers crash and probes fail.
//
//   sim.skiff.io/exit-code: "1"          containers exit with this code (at once unless exit-after is set)
//   sim.skiff.io/exit-after: "2s"        containers exit this long after they start (ms, s, m, h; default code 0)
//   sim.skiff.io/exit-code.NAME, sim.skiff.io/exit-after.NAME   the same for one container
//   sim.skiff.io/fail-probes: "readiness,liveness"   these probe kinds fail (exec, http, tcp and grpc alike)
//   sim.skiff.io/ignore-sigterm: "true"  containers only stop when killed at the end of the grace period
//
// Init containers exit 0 at once unless scripted by name.

import type { ProbeKind } from './runtime.ts';

export const simAnnotations = {
  exitCode: 'sim.skiff.io/exit-code',
  exitAfter: 'sim.skiff.io/exit-after',
  failProbes: 'sim.skiff.io/fail-probes',
  ignoreSigterm: 'sim.skiff.io/ignore-sigterm',
} as const;

export type ContainerScript = {
  /** Milliseconds after start at which the container exits; undefined = runs until stopped. */
  exitAfterMs?: number;
  exitCode: number;
  ignoreSigterm: boolean;
  failProbes: ReadonlySet<ProbeKind>;
};

/** Parses `500ms`, `2s`, `1.5m`, `1h`, or a bare number of seconds; undefined if malformed. */
export function parseSimDuration(s: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const factor = unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000;
  return Math.round(n * factor);
}

export function containerScript(annotations: Readonly<Record<string, string>>, container: string, init: boolean): ContainerScript {
  const own = (key: string) => annotations[`${key}.${container}`];
  const codeText = own(simAnnotations.exitCode) ?? (init ? undefined : annotations[simAnnotations.exitCode]);
  const afterText = own(simAnnotations.exitAfter) ?? (init ? undefined : annotations[simAnnotations.exitAfter]);
  const code = codeText === undefined ? 0 : Number.parseInt(codeText, 10);
  let exitAfterMs = afterText === undefined ? undefined : parseSimDuration(afterText);
  if (exitAfterMs === undefined && (codeText !== undefined || init)) exitAfterMs = 0;
  const failProbes = new Set<ProbeKind>();
  for (const k of (annotations[simAnnotations.failProbes] ?? '').split(',')) {
    const kind = k.trim();
    if (kind === 'liveness' || kind === 'readiness' || kind === 'startup') failProbes.add(kind);
  }
  return {
    ...(exitAfterMs === undefined ? {} : { exitAfterMs }),
    exitCode: Number.isFinite(code) ? code : 1,
    ignoreSigterm: annotations[simAnnotations.ignoreSigterm] === 'true',
    failProbes,
  };
}
