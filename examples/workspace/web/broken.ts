// A mistake a person makes: a string where a number is expected.
// The TypeScript language service reports it (a red squiggle) even without installed packages.
export function total(prices: number[]): number {
  return prices.reduce((sum, price) => sum + price, 0);
}

const count: number = 'three';

export const summary = `${total([1, 2, 3])} for ${count} items`;
