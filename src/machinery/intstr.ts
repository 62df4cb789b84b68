// IntOrString helpers: `maxSurge: 25%` or `maxUnavailable: 1` scaled against a total.

/** As Kubernetes' GetScaledValueFromIntOrPercent: an int as is, `N%` of total rounded up or down. */
export function scaledValueFromIntOrPercent(v: number | string | undefined | null, total: number, roundUp: boolean): number {
  if (v === undefined || v === null) throw new Error('nil value for IntOrString');
  if (typeof v === 'number') return v;
  if (!v.endsWith('%')) throw new Error(`invalid type: string is not a percentage`);
  const digits = v.slice(0, -1);
  if (!/^[+-]?\d+$/.test(digits)) throw new Error(`invalid value for IntOrString: invalid value "${v}": strconv.Atoi: parsing "${digits}": invalid syntax`);
  const percent = Number(digits);
  const scaled = (percent * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/** True for an int or a well-formed `N%` string. */
export function isIntOrPercent(v: unknown): boolean {
  return (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^[+-]?\d+%$/.test(v));
}
