// How a lab value compares with its reference range, said in words: the page never relies on
// colour alone. The laboratory's own flag wins; without one, the range decides.

export type OutOfRange = 'critically-low' | 'low' | 'high' | 'critically-high' | 'abnormal';

export interface LabValue {
  /** v3 ObservationInterpretation code from the laboratory (H, L, HH, LL, A, AA, N …). */
  flag: string | null;
  valueNumber: number | null;
  referenceLow: number | null;
  referenceHigh: number | null;
}

const FLAGS: Readonly<Record<string, OutOfRange | null>> = {
  N: null,
  L: 'low',
  H: 'high',
  LL: 'critically-low',
  HH: 'critically-high',
  LU: 'critically-low',
  HU: 'critically-high',
  A: 'abnormal',
  AA: 'abnormal',
};

/** null when the value is within range (or nothing says otherwise). */
export function outOfRange(value: LabValue): OutOfRange | null {
  const flag = value.flag?.trim().toUpperCase();
  if (flag && flag in FLAGS) return FLAGS[flag]!;
  if (value.valueNumber === null) return null;
  if (value.referenceLow !== null && value.valueNumber < value.referenceLow) return 'low';
  if (value.referenceHigh !== null && value.valueNumber > value.referenceHigh) return 'high';
  return null;
}
