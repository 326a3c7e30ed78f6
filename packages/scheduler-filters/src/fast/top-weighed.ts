/**
 * The `k` best passing slots (`member[s] === 1`) by `totals[s]`, best first; equal weights keep
 * slot order, as Nova's stable sort keeps its host order. One pass, O(slots·k) with k small;
 * `k >= count` sorts every passing slot.
 */
export function topWeighed(totals: Float64Array, member: Uint8Array, slots: number, count: number, k: number): number[] {
  if (k >= count) {
    const all: number[] = [];
    for (let s = 0; s < slots; s++) if (member[s] === 1) all.push(s);
    return all.sort((a, b) => (totals[b]! > totals[a]! ? 1 : totals[b]! < totals[a]! ? -1 : a - b));
  }
  const top = new Int32Array(k);
  let size = 0;
  for (let s = 0; s < slots; s++) {
    if (member[s] !== 1) continue;
    const w = totals[s]!;
    if (size === k && !(w > totals[top[k - 1]!]!)) continue;
    // insert after every kept entry of greater or equal weight
    let pos = size === k ? k - 1 : size++;
    while (pos > 0 && totals[top[pos - 1]!]! < w) {
      top[pos] = top[pos - 1]!;
      pos--;
    }
    top[pos] = s;
  }
  return Array.from(top.subarray(0, size));
}
