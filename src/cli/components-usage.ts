// Usage text, kept apart so `skiff --help` loads nothing else.

export const componentsUsage = `  skiff scheduler --kubeconfig FILE [--scheduler-config FILE] [--leader-elect=false]
  skiff controller-manager --kubeconfig FILE [--controllers a,b] [--node-monitor-grace-period 40s] [--leader-elect=false]
      Run one control-plane component against an API server.
`;
