// Usage text, kept apart so `skiff --help` loads nothing else.

export const simUsage = `  skiff sim --kubeconfig FILE --nodes N [--prefix sim-] [--cpu 32] [--memory 256Gi] [--pods 110] [--zones K] [--no-events] [--check-volumes]
      Run N hollow nodes (a kubelet each, over a fake runtime) in one process. Pod annotations
      script their containers: sim.skiff.io/exit-code: "1", sim.skiff.io/exit-after: "2s",
      sim.skiff.io/fail-probes: "readiness,liveness", sim.skiff.io/ignore-sigterm: "true".
      --check-volumes: pods whose configMaps, secrets or PVCs are missing wait with FailedMount.
`;
