/**
 * The `k` best candidates by weight, best first; equal weights keep candidate order (as Nova's
 * stable sort does). One pass, O(n·k) with k small; `k >= n` sorts everything.
 */
export function topWeighed(weights: Float64Array, n: number, k: number): Int32Array {
  if (k >= n) {
    const idx = Array.from({ length: n }, (_, i) => i);
    idx.sort((a, b) => (weights[b]! > weights[a]! ? 1 : weights[b]! < weights[a]! ? -1 : a - b));
    return Int32Array.from(idx);
  }
  const top = new Int32Array(k);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    if (size === k && !(w > weights[top[k - 1]!]!)) continue;
    // insert after every kept entry of greater or equal weight
    let pos = size === k ? k - 1 : size++;
    while (pos > 0 && weights[top[pos - 1]!]! < w) {
      top[pos] = top[pos - 1]!;
      pos--;
    }
    top[pos] = i;
  }
  return top.subarray(0, size);
}
