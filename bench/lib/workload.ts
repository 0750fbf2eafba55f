/**
 * A deterministic, skewed stream of library questions for the replayed session: a few questions
 * are asked again and again, most only now and then (Zipf), as in a real working day.
 */

/** mulberry32: a tiny seeded PRNG; the same seed gives the same session on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws `count` indices in [0, n) with P(rank k) ∝ 1 / (k + 1)^exponent. */
export function zipfIndices(n: number, count: number, exponent: number, random: () => number): number[] {
  const weights = Array.from({ length: n }, (_, k) => 1 / (k + 1) ** exponent);
  const total = weights.reduce((sum, w) => sum + w, 0);
  const cdf: number[] = [];
  let running = 0;
  for (const w of weights) cdf.push((running += w / total));
  return Array.from({ length: count }, () => {
    const u = random();
    const index = cdf.findIndex((edge) => u <= edge);
    return index < 0 ? n - 1 : index;
  });
}

/** Fisher–Yates with the given random source (so popularity is not tied to list order). */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
