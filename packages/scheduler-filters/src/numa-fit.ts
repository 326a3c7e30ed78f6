import { BadRequest, type HostNumaCell, type HostNumaTopology, type RequestSpec } from '@nubo/core';
import { pyInt } from './python-semantics.js';

/** One guest NUMA cell the instance asks for. */
export interface InstanceNumaCell {
  cpus: number;
  memoryMb: number;
}

/** The guest NUMA layout a request implies, Nova's `InstanceNUMATopology` in brief. */
export interface InstanceNumaRequest {
  cells: InstanceNumaCell[];
  dedicated: boolean;
  threadPolicy: 'prefer' | 'require' | 'isolate' | null;
}

/**
 * The NUMA layout of a request from flavor extra specs (`hw:numa_nodes`, `hw:numa_cpus.N`,
 * `hw:numa_mem.N`, `hw:cpu_policy`, `hw:cpu_thread_policy`) or the image's `hw_*` equivalents;
 * null when the request asks for none. Pinned CPUs without a node count mean one node.
 */
export function instanceNumaRequest(spec: RequestSpec): InstanceNumaRequest | null {
  const extra = spec.flavor.extraSpecs ?? {};
  const img = spec.image?.properties ?? {};
  const policy = extra['hw:cpu_policy'] ?? img['hw_cpu_policy'];
  const threadPolicy = (extra['hw:cpu_thread_policy'] ?? img['hw_cpu_thread_policy'] ?? null) as InstanceNumaRequest['threadPolicy'];
  const dedicated = policy === 'dedicated';
  const nodesText = extra['hw:numa_nodes'] ?? img['hw_numa_nodes'];
  if (nodesText === undefined && !dedicated) return null;
  const nodes = nodesText === undefined ? 1 : pyInt(nodesText);
  if (nodes < 1) throw new BadRequest(`Invalid hw:numa_nodes ${nodesText}`);
  const { vcpus, memoryMb } = spec.flavor;
  const cells: InstanceNumaCell[] = [];
  const explicit = extra['hw:numa_cpus.0'] !== undefined;
  for (let i = 0; i < nodes; i++) {
    if (explicit) {
      const cpus = parseCpuSet(extra[`hw:numa_cpus.${i}`] ?? '').size;
      const mem = pyInt(extra[`hw:numa_mem.${i}`] ?? '0');
      cells.push({ cpus, memoryMb: mem });
    } else {
      if (vcpus % nodes !== 0 || memoryMb % nodes !== 0) {
        throw new BadRequest(`The flavor's vCPUs and RAM cannot be split evenly across ${nodes} NUMA nodes.`);
      }
      cells.push({ cpus: vcpus / nodes, memoryMb: memoryMb / nodes });
    }
  }
  return { cells, dedicated, threadPolicy };
}

/** Parses a CPU set spec such as `0-3,^2,6`. */
export function parseCpuSet(text: string): Set<number> {
  const include = new Set<number>();
  const exclude = new Set<number>();
  for (const raw of text.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    const target = part.startsWith('^') ? exclude : include;
    const body = part.replace(/^\^/, '');
    const m = /^(\d+)(?:-(\d+))?$/.exec(body);
    if (!m) throw new BadRequest(`Invalid CPU set '${text}'`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    for (let c = lo; c <= hi; c++) target.add(c);
  }
  for (const c of exclude) include.delete(c);
  return include;
}

function cellFits(host: HostNumaCell, want: InstanceNumaCell, req: InstanceNumaRequest, cpuRatio: number, ramRatio: number): boolean {
  if (want.memoryMb > host.memoryMb) return false;
  if (req.dedicated) {
    // pinned guests never overcommit: neither CPUs nor memory (Nova checks avail_memory)
    if (want.cpus > host.pcpuset.length) return false;
    if (want.memoryMb > host.memoryMb - host.memoryUsageMb) return false;
    const pinned = new Set(host.pinnedCpus);
    const free = host.pcpuset.filter((c) => !pinned.has(c));
    if (want.cpus > free.length) return false;
    return packsOntoCores(host, free, want.cpus, req.threadPolicy);
  }
  if (want.cpus > host.cpuset.length) return false;
  if (host.cpuUsage + want.cpus > host.cpuset.length * cpuRatio) return false;
  return host.memoryUsageMb + want.memoryMb <= host.memoryMb * ramRatio;
}

/**
 * Whether the instance's NUMA cells fit on distinct host cells, trying host cells in every
 * order as Nova's `numa_fit_instance_to_host` does: shared vCPUs and memory within the CPU and
 * RAM ratios; pinned vCPUs on free dedicated CPUs with memory that is really free (no
 * overcommit); no guest cell larger than its host cell.
 */
export function numaFits(host: HostNumaTopology, req: InstanceNumaRequest, cpuRatio: number, ramRatio: number): boolean {
  return numaPlacement(host, req, cpuRatio, ramRatio) !== null;
}

/** The host cell chosen for each guest cell (first fit in Nova's order), or null when none fits. */
export function numaPlacement(host: HostNumaTopology, req: InstanceNumaRequest, cpuRatio: number, ramRatio: number): number[] | null {
  const cells = host.cells;
  if (req.cells.length > cells.length) return null;
  const used = new Array<boolean>(cells.length).fill(false);
  const chosen: number[] = [];
  const place = (i: number): boolean => {
    if (i === req.cells.length) return true;
    for (let h = 0; h < cells.length; h++) {
      if (used[h] || !cellFits(cells[h]!, req.cells[i]!, req, cpuRatio, ramRatio)) continue;
      used[h] = true;
      chosen[i] = h;
      if (place(i + 1)) return true;
      used[h] = false;
    }
    return false;
  };
  return place(0) ? chosen : null;
}

/**
 * The host's NUMA topology once the request is placed on it: memory and shared vCPU usage
 * added to the chosen cells, pinned guests' CPUs marked pinned (emptiest cores first). The
 * input is left untouched; unchanged when the request has no NUMA needs or does not fit.
 */
export function consumeNuma(host: HostNumaTopology, req: InstanceNumaRequest, cpuRatio: number, ramRatio: number): HostNumaTopology {
  const placement = numaPlacement(host, req, cpuRatio, ramRatio);
  if (!placement) return host;
  const cells = host.cells.map((c) => ({ ...c, pinnedCpus: [...c.pinnedCpus] }));
  placement.forEach((h, i) => {
    const cell = cells[h]!;
    const want = req.cells[i]!;
    cell.memoryUsageMb += want.memoryMb;
    if (!req.dedicated) {
      cell.cpuUsage += want.cpus;
      return;
    }
    const pinned = new Set(cell.pinnedCpus);
    const cores = cell.siblings.length ? cell.siblings : cell.pcpuset.map((c) => [c]);
    const free = cores
      .map((core) => core.filter((c) => cell.pcpuset.includes(c) && !pinned.has(c)))
      .sort((a, b) => b.length - a.length)
      .flat();
    cell.pinnedCpus.push(...free.slice(0, want.cpus));
  });
  return { cells };
}

/**
 * Whether `cpus` pinned guest CPUs can be laid onto the cell's free cores under the thread
 * policy, as Nova's `_pack_instance_onto_cores`: `require` needs cores offering at least two
 * free threads each (t threads on n cores hold t·n guest CPUs), `isolate` needs one wholly free
 * core per guest CPU (and, on an SMT host, a legacy layout where shared and dedicated CPUs are
 * the same set), others take any free CPU.
 */
function packsOntoCores(cell: HostNumaCell, free: number[], cpus: number, policy: InstanceNumaRequest['threadPolicy']): boolean {
  if (policy !== 'require' && policy !== 'isolate') return true;
  const freeSet = new Set(free);
  const sets = cell.siblings.length ? cell.siblings.map((s) => s.filter((c) => freeSet.has(c))) : free.map((c) => [c]);
  const threadsPerCore = Math.max(1, ...cell.siblings.map((s) => s.length));
  const coresWith = (t: number) => sets.filter((s) => s.length >= t).length;
  if (policy === 'isolate') {
    if (coresWith(threadsPerCore) === 0) return false;
    const sameLayout = cell.cpuset.length === cell.pcpuset.length && cell.cpuset.every((c) => cell.pcpuset.includes(c));
    if (threadsPerCore !== 1 && !sameLayout) return false;
    return coresWith(threadsPerCore) >= cpus;
  }
  if (threadsPerCore <= 1) return false;
  const most = Math.max(0, ...sets.map((s) => s.length));
  for (let t = most; t >= 2; t--) if (t * coresWith(t) >= cpus) return true;
  return false;
}
