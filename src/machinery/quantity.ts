// resource.Quantity: exact decimal amounts with SI/binary suffixes (`100m`, `1.5Gi`, `2e3`).
// Held as a bigint count of nano-units, which is the finest precision Kubernetes keeps
// (finer values round away from zero), and printed in Kubernetes' canonical form.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export type Quantity = {
  readonly format: QuantityFormat;
  /** The amount in units of 10^-9. */
  readonly nanos: bigint;
  /** ceil(q * 1000), away from zero like Kubernetes' MilliValue. */
  milliValue(): number;
  /** The integer value, rounded away from zero like Kubernetes' Value. */
  value(): number;
  cmp(other: Quantity): -1 | 0 | 1;
  add(other: Quantity): Quantity;
  sub(other: Quantity): Quantity;
  neg(): Quantity;
  isZero(): boolean;
  sign(): -1 | 0 | 1;
  toString(): string;
  toJSON(): string;
};

const NANO = 10n ** 9n;

const binarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const decimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const decimalByExp = new Map(Object.entries(decimalSuffixes).map(([s, e]) => [e, s]));
const binaryByExp = new Map(Object.entries(binarySuffixes).map(([s, e]) => [e, s]));

const formatMessage = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const quantityRe = /^([+-]?)([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[-+]?[0-9]*)$/;

// Exponents beyond this would make absurd bigints; Kubernetes has no use for them either.
const maxExponent = 300;

/** Integer division rounding away from zero. */
function divAway(n: bigint, d: bigint): bigint {
  const q = n / d;
  return q * d === n ? q : n < 0n ? q - 1n : q + 1n;
}

function toNumber(n: bigint): number {
  return Number(n);
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

function formatDecimal(nanos: bigint, format: QuantityFormat): string {
  if (nanos === 0n) return '0';
  // Largest exponent that is a multiple of 3 and keeps the mantissa whole; SI stops at E (10^18).
  const cap = format === 'DecimalExponent' ? Infinity : 18;
  let mantissa = nanos;
  let exp = -9;
  while (exp < cap && mantissa % 1000n === 0n) {
    mantissa /= 1000n;
    exp += 3;
  }
  if (format === 'DecimalExponent') return exp === 0 ? `${mantissa}` : `${mantissa}e${exp}`;
  return `${mantissa}${decimalByExp.get(exp) ?? ''}`;
}

function formatBinary(nanos: bigint): string {
  let mantissa = nanos / NANO;
  let exp = 0;
  while (exp < 60 && mantissa !== 0n && mantissa % 1024n === 0n) {
    mantissa /= 1024n;
    exp += 10;
  }
  return `${mantissa}${binaryByExp.get(exp) ?? ''}`;
}

function canonical(nanos: bigint, format: QuantityFormat): string {
  // Binary form only suits whole values of magnitude ≥ 1024; others print as decimal SI.
  if (format === 'BinarySI' && nanos % NANO === 0n && abs(nanos) >= 1024n * NANO) return formatBinary(nanos);
  return formatDecimal(nanos, format === 'BinarySI' ? 'DecimalSI' : format);
}

function makeQuantity(nanos: bigint, format: QuantityFormat): Quantity {
  const q: Quantity = {
    format,
    nanos,
    milliValue: () => toNumber(divAway(nanos, 10n ** 6n)),
    value: () => toNumber(divAway(nanos, NANO)),
    cmp: (o) => (nanos < o.nanos ? -1 : nanos > o.nanos ? 1 : 0),
    add: (o) => makeQuantity(nanos + o.nanos, format),
    sub: (o) => makeQuantity(nanos - o.nanos, format),
    neg: () => makeQuantity(-nanos, format),
    isZero: () => nanos === 0n,
    sign: () => (nanos < 0n ? -1 : nanos > 0n ? 1 : 0),
    toString: () => canonical(nanos, format),
    toJSON: () => canonical(nanos, format),
  };
  return q;
}

function parseSuffix(suffix: string): { base: 2 | 10; exp: number; format: QuantityFormat } {
  const bin = binarySuffixes[suffix];
  if (bin !== undefined) return { base: 2, exp: bin, format: 'BinarySI' };
  const dec = decimalSuffixes[suffix];
  if (dec !== undefined) return { base: 10, exp: dec, format: 'DecimalSI' };
  if (/^[eE][-+]?[0-9]+$/.test(suffix)) {
    const exp = Number(suffix.slice(1));
    if (Math.abs(exp) > maxExponent) throw new Error(`quantity exponent out of range: ${suffix}`);
    return { base: 10, exp, format: 'DecimalExponent' };
  }
  throw new Error("unable to parse quantity's suffix");
}

/** Parses a quantity; throws a plain Error on malformed input (callers make it a field error). */
export function parseQuantity(input: string | number): Quantity {
  const s = typeof input === 'number' ? numberToString(input) : input;
  const m = quantityRe.exec(s);
  if (s.length === 0 || m === null) throw new Error(formatMessage);
  const [, sign = '', whole = '', frac = '', suffix = ''] = m;
  if (whole.length === 0 && frac.length === 0) throw new Error(formatMessage);
  const { base, exp, format } = parseSuffix(suffix);
  // value = digits * 10^(-frac.length) * base^exp, held in nanos.
  let n = BigInt(`${whole}${frac}` || '0');
  let pow10 = 9 - frac.length;
  if (base === 2) n *= 1n << BigInt(exp);
  else pow10 += exp;
  n = pow10 >= 0 ? n * 10n ** BigInt(pow10) : divAway(n, 10n ** BigInt(-pow10));
  return makeQuantity(sign === '-' ? -n : n, format);
}

function numberToString(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`invalid quantity: ${n}`);
  return String(n);
}

/** A quantity of `nanos` nano-units in the given format. */
export function quantityFromNanos(nanos: bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
  return makeQuantity(nanos, format);
}

/** Like Kubernetes' NewMilliQuantity. */
export function milliQuantity(milli: number, format: QuantityFormat = 'DecimalSI'): Quantity {
  return makeQuantity(BigInt(Math.trunc(milli)) * 10n ** 6n, format);
}

/** Like Kubernetes' NewQuantity. */
export function intQuantity(v: number, format: QuantityFormat = 'DecimalSI'): Quantity {
  return makeQuantity(BigInt(Math.trunc(v)) * NANO, format);
}

/** True if the string parses as a quantity. */
export function isQuantity(s: unknown): boolean {
  if (typeof s !== 'string' && typeof s !== 'number') return false;
  try {
    parseQuantity(s);
    return true;
  } catch {
    return false;
  }
}
