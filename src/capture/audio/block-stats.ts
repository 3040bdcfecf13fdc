/** One channel's samples over one block (100 ms): the figures the deinterleaver gathers as it copies them. */
export interface BlockStats {
  /** Largest |sample|, 0..1 of full scale. */
  peak: number;
  sumSquares: number;
  /** Sum of the samples (0..1 of full scale, signed): the mean is the DC offset. */
  sum: number;
  /** Smallest and largest sample as integers: equal (or within a step) when the input is digital silence or stuck. */
  min: number;
  max: number;
  /** Samples at full scale. */
  clipped: number;
  count: number;
}

export const emptyStats = (): BlockStats => ({ peak: 0, sumSquares: 0, sum: 0, min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY, clipped: 0, count: 0 });

export const rmsOf = (s: BlockStats): number => (s.count > 0 ? Math.sqrt(s.sumSquares / s.count) : 0);

/** The meters' floor: below it (about 2^-20 of full scale) a block is digital silence. */
export const SILENCE_DB = -120;

/** dBFS to a tenth, with SILENCE_DB for silence. */
export const toDb = (x: number): number => (x <= 1e-6 ? SILENCE_DB : Math.round(20 * Math.log10(x) * 10) / 10);

/** Peak and RMS of a block in dBFS, for the meters. */
export const levelsOf = (s: BlockStats): { peakDb: number; rmsDb: number } => ({ peakDb: toDb(s.peak), rmsDb: toDb(rmsOf(s)) });
