import { NotFound, type HostState, type RequestSpec } from '@nubo/core';
import { consumeFromRequest, releaseRequest } from '../consume-from-request.js';

/** The numeric host fields the fast kernels read, one typed array each. */
export const FLEET_COLUMNS = [
  'freeRamMb',
  'totalUsableRamMb',
  'freeDiskMb',
  'totalUsableDiskGb',
  'vcpusTotal',
  'vcpusUsed',
  'cpuAllocationRatio',
  'ramAllocationRatio',
  'diskAllocationRatio',
  'numInstances',
  'numIoOps',
  'failedBuilds',
  'pciFree',
  'serviceOk',
  'alive',
] as const;
export type FleetColumn = (typeof FLEET_COLUMNS)[number];

/**
 * The scheduler's host-state cache laid out for speed: one typed array per numeric field
 * (struct of arrays), a slot per host, plus the host-state objects for filters that need the
 * whole picture. Updated incrementally: a compute report replaces one host (`upsert`), a
 * scheduling decision consumes from one host (`claim`) so the next request already sees it.
 *
 * Slots are stable while a host stays; a removed host's slot is reused. `version` grows with
 * every write, and each slot remembers the version of its last write, so derived per-host data
 * (the selector's cached weigher multipliers) knows when to refresh.
 */
export class FleetState {
  private capacity: number;
  private readonly columns = new Map<FleetColumn, Float64Array>();
  /** Host objects by slot; `undefined` for a free slot. */
  private objects: (HostState | undefined)[] = [];
  private readonly slots = new Map<string, number>();
  private readonly freeSlots: number[] = [];
  private highWater = 0;
  /** Per slot: the version at which it was last written (report, claim or release). */
  private writeStamp: Float64Array;
  version = 0;

  constructor(hosts: Iterable<HostState> = [], initialCapacity = 1024) {
    this.capacity = Math.max(16, initialCapacity);
    for (const c of FLEET_COLUMNS) this.columns.set(c, new Float64Array(this.capacity));
    this.columnList = FLEET_COLUMNS.map((c) => this.columns.get(c)!);
    this.writeStamp = new Float64Array(this.capacity);
    for (const h of hosts) this.upsert(h);
  }

  /** Number of slots in use or freed (iterate `0…slotCount` and skip empty ones). */
  get slotCount(): number {
    return this.highWater;
  }
  get size(): number {
    return this.slots.size;
  }

  column(name: FleetColumn): Float64Array {
    return this.columns.get(name)!;
  }
  hostAt(slot: number): HostState | undefined {
    return this.objects[slot];
  }
  slotOf(host: string): number | undefined {
    return this.slots.get(host);
  }
  get(host: string): HostState | undefined {
    const s = this.slots.get(host);
    return s === undefined ? undefined : this.objects[s];
  }
  /** The version at which the slot was last written; derived per-host data older than it is stale. */
  writtenAt(slot: number): number {
    return this.writeStamp[slot]!;
  }
  hosts(): HostState[] {
    return this.objects.filter((h): h is HostState => h !== undefined);
  }

  /** Adds or replaces a host (a compute node's report). The fleet keeps its own copy. */
  upsert(host: HostState): void {
    let slot = this.slots.get(host.host);
    if (slot === undefined) {
      slot = this.freeSlots.pop() ?? this.highWater++;
      if (slot >= this.capacity) this.grow();
      this.slots.set(host.host, slot);
    }
    this.write(slot, { ...host, instances: new Set(host.instances) });
  }

  /**
   * Follows a caller-owned host object that may have been changed in place (a host-state
   * cache that claims by mutation): stores the object itself and rewrites the slot only when
   * it, its numbers, its aggregates, its PCI pools or its instance count changed (aggregates
   * and PCI pools are compared by reference). Returns whether it did.
   */
  sync(host: HostState): boolean {
    const slot = this.slots.get(host.host);
    if (slot !== undefined) {
      const prev = this.objects[slot]!;
      if (
        prev === host &&
        !this.differs(slot, host) &&
        this.instanceCounts[slot] === host.instances.size &&
        this.aggregateRefs[slot] === host.aggregates &&
        this.pciRefs[slot] === host.pciStats
      ) {
        return false;
      }
      this.write(slot, host);
      return true;
    }
    const fresh = this.freeSlots.pop() ?? this.highWater++;
    if (fresh >= this.capacity) this.grow();
    this.slots.set(host.host, fresh);
    this.write(fresh, host);
    return true;
  }

  private instanceCounts: number[] = [];
  private aggregateRefs: unknown[] = [];
  private pciRefs: unknown[] = [];

  private differs(slot: number, h: HostState): boolean {
    const c = this.columnList;
    return (
      c[0]![slot] !== h.freeRamMb ||
      c[1]![slot] !== h.totalUsableRamMb ||
      c[2]![slot] !== h.freeDiskMb ||
      c[3]![slot] !== h.totalUsableDiskGb ||
      c[4]![slot] !== h.vcpusTotal ||
      c[5]![slot] !== h.vcpusUsed ||
      c[6]![slot] !== h.cpuAllocationRatio ||
      c[7]![slot] !== h.ramAllocationRatio ||
      c[8]![slot] !== h.diskAllocationRatio ||
      c[9]![slot] !== h.numInstances ||
      c[10]![slot] !== h.numIoOps ||
      c[11]![slot] !== h.failedBuilds ||
      c[13]![slot] !== (!h.serviceDisabled && h.serviceUp ? 1 : 0)
    );
  }

  /** The columns in FLEET_COLUMNS order (refreshed when they grow). */
  private columnList: Float64Array[] = [];

  /** Forgets a host (service deleted). */
  remove(host: string): void {
    const slot = this.slots.get(host);
    if (slot === undefined) return;
    this.slots.delete(host);
    this.count(slot, -1);
    this.objects[slot] = undefined;
    this.column('serviceOk')[slot] = 0;
    this.column('alive')[slot] = 0;
    this.log(slot);
    this.freeSlots.push(slot);
    this.version++;
  }

  /**
   * Consumes the request from the host right away, so that a concurrent request sees the
   * room already taken; a later report from the host replaces the estimate with the truth.
   */
  claim(host: string, spec: RequestSpec): HostState {
    const slot = this.requireSlot(host);
    const next = consumeFromRequest(this.objects[slot]!, spec);
    this.write(slot, next);
    return next;
  }

  /** Gives back a claim whose build did not happen. */
  release(host: string, spec: RequestSpec): void {
    const slot = this.slots.get(host);
    if (slot === undefined) return;
    this.write(slot, releaseRequest(this.objects[slot]!, spec));
  }

  private requireSlot(host: string): number {
    const slot = this.slots.get(host);
    if (slot === undefined) throw new NotFound(`Compute host ${host} could not be found.`);
    return slot;
  }

  /**
   * Slots written since `cursor` (a value from an earlier call, 0 at first), and the cursor to
   * pass next time; `all` when the journal was compacted since, so everything must be re-read.
   */
  changesSince(cursor: number): { slots: Int32Array; all: boolean; cursor: number } {
    const all = cursor < this.journalBase;
    const from = all ? 0 : cursor - this.journalBase;
    return { slots: this.journal.subarray(from, this.journalLength), all, cursor: this.journalBase + this.journalLength };
  }

  /** The journal position now: `changesSince(cursor)` later lists the slots written after this. */
  get cursor(): number {
    return this.journalBase + this.journalLength;
  }

  private journal = new Int32Array(1024);
  private journalLength = 0;
  /** Cursor value of journal[0]; grows when the journal is compacted. */
  private journalBase = 0;

  private log(slot: number): void {
    if (this.journalLength === this.journal.length) {
      if (this.journalLength >= 4 * Math.max(256, this.highWater)) {
        // compact: readers behind this point re-read everything
        this.journalBase += this.journalLength;
        this.journalLength = 0;
      } else {
        const bigger = new Int32Array(this.journal.length * 2);
        bigger.set(this.journal);
        this.journal = bigger;
      }
    }
    this.journal[this.journalLength++] = slot;
  }

  /** How many live hosts have a non-zero value in a counted column (`pciFree`, `failedBuilds`). */
  nonZero(name: 'pciFree' | 'failedBuilds'): number {
    return name === 'pciFree' ? this.nonZeroPci : this.nonZeroFailures;
  }
  private nonZeroPci = 0;
  private nonZeroFailures = 0;

  private count(slot: number, sign: 1 | -1): void {
    if (this.column('alive')[slot] !== 1) return;
    if (this.column('pciFree')[slot] !== 0) this.nonZeroPci += sign;
    if (this.column('failedBuilds')[slot] !== 0) this.nonZeroFailures += sign;
  }

  private write(slot: number, h: HostState): void {
    this.count(slot, -1);
    this.objects[slot] = h;
    this.instanceCounts[slot] = h.instances.size;
    this.aggregateRefs[slot] = h.aggregates;
    this.pciRefs[slot] = h.pciStats;
    this.writeStamp[slot] = ++this.version;
    this.log(slot);
    this.column('alive')[slot] = 1;
    const c = this.columns;
    c.get('freeRamMb')![slot] = h.freeRamMb;
    c.get('totalUsableRamMb')![slot] = h.totalUsableRamMb;
    c.get('freeDiskMb')![slot] = h.freeDiskMb;
    c.get('totalUsableDiskGb')![slot] = h.totalUsableDiskGb;
    c.get('vcpusTotal')![slot] = h.vcpusTotal;
    c.get('vcpusUsed')![slot] = h.vcpusUsed;
    c.get('cpuAllocationRatio')![slot] = h.cpuAllocationRatio;
    c.get('ramAllocationRatio')![slot] = h.ramAllocationRatio;
    c.get('diskAllocationRatio')![slot] = h.diskAllocationRatio;
    c.get('numInstances')![slot] = h.numInstances;
    c.get('numIoOps')![slot] = h.numIoOps;
    c.get('failedBuilds')![slot] = h.failedBuilds;
    let pci = 0;
    for (const p of h.pciStats ?? []) pci += p.count;
    c.get('pciFree')![slot] = pci;
    c.get('serviceOk')![slot] = !h.serviceDisabled && h.serviceUp ? 1 : 0;
    this.count(slot, 1);
  }

  private grow(): void {
    const next = this.capacity * 2;
    for (const [name, arr] of this.columns) {
      const bigger = new Float64Array(next);
      bigger.set(arr);
      this.columns.set(name, bigger);
    }
    this.columnList = FLEET_COLUMNS.map((c) => this.columns.get(c)!);
    const stamps = new Float64Array(next);
    stamps.set(this.writeStamp);
    this.writeStamp = stamps;
    this.capacity = next;
  }
}
