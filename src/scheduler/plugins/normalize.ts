// The usual score normalization: scale so the best node gets 100 (optionally reversed).

import { maxNodeScore } from '../framework/interface.ts';

export function normalizeByMax(scores: number[], reverse: boolean): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  for (let i = 0; i < scores.length; i++) {
    if (max === 0) scores[i] = reverse ? maxNodeScore : 0;
    else {
      const v = Math.floor((maxNodeScore * scores[i]!) / max);
      scores[i] = reverse ? maxNodeScore - v : v;
    }
  }
}
