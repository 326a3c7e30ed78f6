import {
  BadRequest,
  Conflict,
  DriverError,
  NotFound,
  NotImplementedByDriver,
  PowerState,
  type ConsoleEndpoint,
  type DriverCapabilities,
  type HostResources,
  type HypervisorDriver,
  type InstanceInfo,
  type InstanceSpec,
  type LifecycleEvent,
  type Logger,
  type RebootType,
  type SnapshotTarget,
  type SpawnRequest,
} from '@nubo/core';
import { Subject, type Observable } from 'rxjs';
import { readHostResources } from './host-resources.js';
import { powerName, toNovaPowerState } from './power-state.js';
import { listTaggedInstances, readDisks, readPowerState, removeVm, toolsRunning, waitForPowerState } from './vm-inventory.js';
import { propNumber, propString } from './vim/decode.js';
import { ManagedObjectNotFoundFault, MethodNotFoundFault } from './vim/faults.js';
import { retrieveOne } from './vim/methods/property-collector.js';
import { findByUuid } from './vim/methods/search-index.js';
import * as vm from './vim/methods/virtual-machine.js';
import type { ManagedObjectReference, VirtualMachineConfigSpec } from './vim/types.js';
import { VimClient, type VimClientOptions } from './vim/vim-client.js';
import { buildCreateSpec, DISK_UNITS, flavorDiskKb, rootDiskKb } from './vm-config-spec.js';
import { checkImage, copyImageToDisk } from './image-disk.js';
import { DatastoreImageCache } from './image-cache.js';
import { toNuboError } from './vmware-errors.js';
import { findDatastore, resolveLocation, type ResolvedLocation, type VSphereLocation } from './vsphere-inventory.js';
import { uploadSnapshotDisk } from './snapshot-upload.js';
import { PowerStateWatcher } from './power-state-watcher.js';
import { readVncEndpoint, vncExtraConfig, VncPortAllocator } from './vnc-console.js';

/** How a `VMwareDriver` reaches vSphere and where it puts instances. */
export interface VMwareDriverOptions extends VimClientOptions, VSphereLocation {
  /** Guest OS identifier for new VMs (default `otherGuest64`). */
  guestId?: string;
  /**
   * Watch VMs' power states with the property collector and report changes on
   * `lifecycleEvents` (default true). Costs one long-polling connection to vCenter.
   */
  lifecycleEvents?: boolean;
  /**
   * VNC consoles through ESXi's built-in VNC server, as Nova's driver offers them (default on):
   * each VM gets `RemoteDisplay.vnc.*` extraConfig with a port from `vncPorts`
   * (default 5900–6099). `false` turns consoles off.
   */
  vnc?: boolean | { ports?: [number, number] };
  /** Where the driver reports trouble it recovers from (the watcher's reconnects). */
  logger?: Logger;
}

const VM_PROPERTIES = [
  'name',
  'runtime.powerState',
  'summary.config.numCpu',
  'summary.config.memorySizeMB',
  'config.hardware.device',
];

interface VmState {
  ref: ManagedObjectReference;
  power: PowerState;
}

/**
 * Nova's VMwareAPI driver for one vSphere cluster (or standalone host), over the vim25 SOAP API.
 *
 * Each instance is a VM named by its UUID, with `config.instanceUuid` and the extraConfig key
 * `nubo.instance-uuid` set to it, created in the datacenter's VM folder on the compute
 * resource's root resource pool and the configured datastore. Lookups go through
 * `SearchIndex.FindByUuid` on the instance UUID, so VMs map back to instances after a restart.
 * Pause is not supported (vSphere has none, like Nova's driver); reboot SOFT asks VMware Tools
 * and falls back to a reset when the guest has no tools running.
 */
export class VMwareDriver implements HypervisorDriver {
  readonly type = 'VMware vCenter Server';
  readonly capabilities: DriverCapabilities;
  private static readonly BASE_CAPABILITIES: DriverCapabilities = {
    supportsPause: false,
    supportsSuspend: true,
    supportsSnapshot: true,
    supportsResize: true,
    supportsRebuild: false,
    supportsSoftReboot: true,
    supportsVolumeAttach: false,
    supportsConsole: true,
  };
  private readonly events = new Subject<LifecycleEvent>();
  /**
   * Power-state changes of this driver's VMs as vSphere records them, whoever made them
   * (see `PowerStateWatcher`); silent when the `lifecycleEvents` option is false.
   */
  readonly lifecycleEvents: Observable<LifecycleEvent> = this.events.asObservable();
  private client: VimClient | undefined;
  private location: ResolvedLocation | undefined;
  private hypervisorHostname = '';
  private watcher: PowerStateWatcher | undefined;

  private vncPorts: VncPortAllocator | undefined;
  private imageCache: DatastoreImageCache | undefined;

  constructor(private readonly options: VMwareDriverOptions) {
    this.capabilities = { ...VMwareDriver.BASE_CAPABILITIES, supportsConsole: options.vnc !== false };
  }

  /** The vim25 session (for tests and tools that read the inventory back). */
  get vim(): VimClient {
    if (!this.client) throw new DriverError('VMwareDriver used before init()', false);
    return this.client;
  }

  private get loc(): ResolvedLocation {
    if (!this.location) throw new DriverError('VMwareDriver used before init()', false);
    return this.location;
  }

  async init(host: string): Promise<void> {
    try {
      this.client = await VimClient.connect(this.options);
      this.location = await resolveLocation(this.client, this.options);
    } catch (err) {
      await this.client?.close().catch(() => undefined);
      this.client = undefined;
      throw toNuboError(err, `Connecting compute host ${host} to vSphere at ${this.options.url}`);
    }
    const vcenter = this.client.serviceContent.about.instanceUuid;
    // Nova's nodename for a vCenter cluster: "<cluster moref>.<vCenter uuid>".
    this.hypervisorHostname = vcenter
      ? `${this.location.computeResource.value}.${vcenter}`
      : `${this.location.computeResourceName}`;
    this.imageCache = new DatastoreImageCache(this.client, this.options.datacenter, this.location.datacenter, this.options.datastore);
    if (this.options.vnc !== false) {
      const ports = typeof this.options.vnc === 'object' ? this.options.vnc.ports : undefined;
      this.vncPorts = new VncPortAllocator(this.client, ports);
    }
    if (this.options.lifecycleEvents !== false) {
      const watcher = new PowerStateWatcher(this.client, this.location.vmFolder, this.events, (err) =>
        this.options.logger?.warn('vSphere power-state watch failed; retrying', { error: String(err) }),
      );
      try {
        await watcher.start();
        this.watcher = watcher;
      } catch (err) {
        // Lifecycle events are an optimisation over periodic power-state sync; run without them.
        this.options.logger?.warn('vSphere power-state watch unavailable', { error: String(err) });
      }
    }
  }

  async close(): Promise<void> {
    await this.watcher?.stop();
    this.watcher = undefined;
    this.events.complete();
    const client = this.client;
    this.client = undefined;
    await client?.close().catch(() => undefined);
  }

  async spawn(request: SpawnRequest, signal?: AbortSignal): Promise<void> {
    const spec = request.instance;
    const what = `Spawning instance ${spec.uuid}`;
    if (await this.find(spec.uuid)) throw new Conflict(`Instance ${spec.uuid} already exists on this host.`);
    let created: ManagedObjectReference | undefined;
    let vncPort: number | undefined;
    try {
      // The simulator drops the connection on an unknown datastore; a real vCenter faults. Check first.
      await findDatastore(this.vim, this.options.datacenter, this.options.datastore);
      const rootKb = rootDiskKb(spec, request.image?.meta.sizeBytes ?? null);
      if (request.image) checkImage(request.image, rootKb);
      const config = buildCreateSpec(
        spec,
        request.network,
        {
          datastore: this.options.datastore,
          networkName: this.loc.networkName,
          guestId: this.options.guestId ?? 'otherGuest64',
        },
        rootKb,
      );
      if (this.vncPorts) {
        vncPort = await this.vncPorts.allocate();
        config.extraConfig = [...(config.extraConfig ?? []), ...vncExtraConfig(vncPort)];
      }
      signal?.throwIfAborted();
      const createTask = await vm.createVM_Task(this.vim.conn, this.loc.vmFolder, config, this.loc.resourcePool);
      // Not cancellable: once vSphere creates the VM, we must know it to remove it again.
      created = (await this.vim.waitForTask(createTask)).result;
      if (!created) throw new DriverError(`${what}: CreateVM_Task returned no VM`);
      signal?.throwIfAborted();
      if (request.image) {
        const root = (await readDisks(this.vim, created)).find((d) => d.unitNumber === DISK_UNITS.root);
        if (!root) throw new DriverError(`${what}: the new VM has no root disk for image ${request.image.meta.id}`);
        await copyImageToDisk(this.vim, this.imageCache!, this.loc.datacenter, root.fileName, request.image);
        signal?.throwIfAborted();
      }
      await this.vim.waitForTask(await vm.powerOnVM_Task(this.vim.conn, created), { signal });
    } catch (err) {
      if (created) await removeVm(this.vim, created).catch(() => undefined);
      if (signal?.aborted) throw new DriverError(`${what}: cancelled`, false);
      throw toNuboError(err, what);
    } finally {
      if (vncPort !== undefined) this.vncPorts?.release(vncPort);
    }
  }

  async destroy(instanceUuid: string, options: { destroyDisks?: boolean } = {}): Promise<void> {
    const ref = await this.find(instanceUuid);
    if (!ref) return;
    try {
      await removeVm(this.vim, ref, options.destroyDisks ?? true);
    } catch (err) {
      if (err instanceof ManagedObjectNotFoundFault) return;
      throw toNuboError(err, `Destroying instance ${instanceUuid}`);
    }
  }

  async reboot(instanceUuid: string, type: RebootType): Promise<void> {
    // A hard reboot also starts a guest that is off or suspended, as Nova's reboot does.
    const from = type === 'HARD' ? [PowerState.RUNNING, PowerState.SHUTDOWN, PowerState.SUSPENDED] : [PowerState.RUNNING];
    await this.run(instanceUuid, 'Rebooting', from, async (ref, state) => {
      if (state !== PowerState.RUNNING) {
        await this.vim.waitForTask(await vm.powerOnVM_Task(this.vim.conn, ref));
        return;
      }
      if (type === 'SOFT' && (await toolsRunning(this.vim, ref))) {
        try {
          await vm.rebootGuest(this.vim.conn, ref);
          return;
        } catch (err) {
          if (!(err instanceof MethodNotFoundFault)) throw err;
        }
      }
      await this.vim.waitForTask(await vm.resetVM_Task(this.vim.conn, ref));
    });
  }

  async powerOff(instanceUuid: string, options: { timeoutSec?: number } = {}): Promise<void> {
    await this.run(instanceUuid, 'Powering off', [PowerState.RUNNING, PowerState.SUSPENDED], async (ref, state) => {
      if (state === PowerState.RUNNING && (options.timeoutSec ?? 0) > 0 && (await toolsRunning(this.vim, ref))) {
        await vm.shutdownGuest(this.vim.conn, ref);
        if (await waitForPowerState(this.vim, ref, 'poweredOff', options.timeoutSec! * 1000)) return;
      }
      await this.vim.waitForTask(await vm.powerOffVM_Task(this.vim.conn, ref));
    });
  }

  async powerOn(instanceUuid: string): Promise<void> {
    await this.run(instanceUuid, 'Powering on', [PowerState.SHUTDOWN], async (ref) => {
      await this.vim.waitForTask(await vm.powerOnVM_Task(this.vim.conn, ref));
    });
  }

  async pause(_instanceUuid: string): Promise<void> {
    throw new NotImplementedByDriver('vSphere cannot pause a virtual machine; suspend it instead.');
  }

  async unpause(_instanceUuid: string): Promise<void> {
    throw new NotImplementedByDriver('vSphere cannot pause a virtual machine; suspend it instead.');
  }

  async suspend(instanceUuid: string): Promise<void> {
    await this.run(instanceUuid, 'Suspending', [PowerState.RUNNING], async (ref) => {
      await this.vim.waitForTask(await vm.suspendVM_Task(this.vim.conn, ref));
    });
  }

  async resume(instanceUuid: string): Promise<void> {
    await this.run(instanceUuid, 'Resuming', [PowerState.SUSPENDED], async (ref) => {
      await this.vim.waitForTask(await vm.powerOnVM_Task(this.vim.conn, ref));
    });
  }

  async snapshot(instanceUuid: string, target: SnapshotTarget): Promise<void> {
    const what = `Snapshotting instance ${instanceUuid}`;
    const { ref } = await this.state(instanceUuid);
    let snap: ManagedObjectReference | undefined;
    try {
      // The VM snapshot freezes the base disk, which is then read while the guest keeps running.
      const task = await vm.createSnapshot_Task(this.vim.conn, ref, {
        name: `nubo-image-${target.imageId}`,
        description: `Image ${target.imageId} of instance ${instanceUuid}`,
        memory: false,
        quiesce: false,
      });
      snap = (await this.vim.waitForTask(task)).result;
      const root = (await readDisks(this.vim, ref)).find((d) => d.unitNumber === DISK_UNITS.root);
      await uploadSnapshotDisk(this.vim, this.options.datacenter, root?.fileName, target);
    } catch (err) {
      throw toNuboError(err, what);
    } finally {
      if (snap) {
        await this.vim.waitForTask(await vm.removeSnapshot_Task(this.vim.conn, snap, false)).catch(() => undefined);
      }
    }
  }

  async resize(instanceUuid: string, newSpec: InstanceSpec): Promise<void> {
    const what = `Resizing instance ${instanceUuid}`;
    const { ref, power } = await this.state(instanceUuid);
    const disks = await readDisks(this.vim, ref);
    const growDisks: VirtualMachineConfigSpec['growDisks'] = [];
    for (const d of disks) {
      const want = flavorDiskKb(newSpec, d.unitNumber);
      if (want < d.capacityKb) {
        throw new BadRequest(`${what}: a disk cannot shrink (unit ${d.unitNumber}: ${d.capacityKb} KB to ${want} KB).`);
      }
      if (want > d.capacityKb) growDisks.push({ ...d, capacityKb: want });
    }
    try {
      // CPU and memory change with the VM powered off, as Nova's driver does for a resize.
      if (power === PowerState.RUNNING) await this.vim.waitForTask(await vm.powerOffVM_Task(this.vim.conn, ref));
      await this.vim.waitForTask(
        await vm.reconfigVM_Task(this.vim.conn, ref, { numCPUs: newSpec.vcpus, memoryMB: newSpec.memoryMb, growDisks }),
      );
      if (power === PowerState.RUNNING) await this.vim.waitForTask(await vm.powerOnVM_Task(this.vim.conn, ref));
    } catch (err) {
      throw toNuboError(err, what);
    }
  }

  async confirmResize(instanceUuid: string): Promise<void> {
    // The resize changed the VM in place; there is no source copy to clean up.
    await this.state(instanceUuid);
  }

  /** Puts vCPUs and memory back. Disks that grew stay grown: vSphere cannot shrink a virtual disk. */
  async revertResize(instanceUuid: string, oldSpec: InstanceSpec): Promise<void> {
    const { ref, power } = await this.state(instanceUuid);
    try {
      if (power === PowerState.RUNNING) await this.vim.waitForTask(await vm.powerOffVM_Task(this.vim.conn, ref));
      await this.vim.waitForTask(
        await vm.reconfigVM_Task(this.vim.conn, ref, { numCPUs: oldSpec.vcpus, memoryMB: oldSpec.memoryMb }),
      );
      if (power === PowerState.RUNNING) await this.vim.waitForTask(await vm.powerOnVM_Task(this.vim.conn, ref));
    } catch (err) {
      throw toNuboError(err, `Reverting the resize of instance ${instanceUuid}`);
    }
  }

  async getInfo(instanceUuid: string): Promise<InstanceInfo> {
    const ref = await this.mustFind(instanceUuid);
    try {
      const c = await retrieveOne(this.vim.conn, this.vim.propertyCollector, ref, VM_PROPERTIES);
      if (!c) throw new NotFound(`Instance ${instanceUuid} could not be found.`);
      return {
        state: toNovaPowerState(propString(c, 'runtime.powerState')),
        vcpus: propNumber(c, 'summary.config.numCpu') ?? 0,
        memoryMb: propNumber(c, 'summary.config.memorySizeMB') ?? 0,
        // vSphere reports CPU usage in MHz, not CPU time; Nova's VMware driver reports none either.
        cpuTimeNs: 0,
      };
    } catch (err) {
      throw this.notFoundOr(err, instanceUuid, 'Reading instance');
    }
  }

  async listInstances(): Promise<string[]> {
    try {
      return await listTaggedInstances(this.vim, this.loc.vmFolder, this.loc.resourcePool);
    } catch (err) {
      throw toNuboError(err, 'Listing the instances of the vSphere cluster');
    }
  }

  async getConsole(instanceUuid: string, kind: ConsoleEndpoint['kind']): Promise<ConsoleEndpoint> {
    if (kind !== 'vnc' || !this.vncPorts) {
      throw new NotImplementedByDriver(`The VMware driver offers no ${kind} console${this.vncPorts ? '' : ' (VNC is off)'}.`);
    }
    const ref = await this.mustFind(instanceUuid);
    try {
      const endpoint = await readVncEndpoint(this.vim, ref);
      if (!endpoint) throw new NotImplementedByDriver(`Instance ${instanceUuid} has no VNC console configured.`);
      return { kind: 'vnc', ...endpoint };
    } catch (err) {
      throw this.notFoundOr(err, instanceUuid, 'Reading the console of instance');
    }
  }

  async getAvailableResources(): Promise<HostResources> {
    try {
      return await readHostResources(this.vim, this.loc, this.hypervisorHostname);
    } catch (err) {
      throw toNuboError(err, 'Reading the resources of the vSphere cluster');
    }
  }

  // --- helpers -------------------------------------------------------------------------------

  private async find(instanceUuid: string): Promise<ManagedObjectReference | undefined> {
    try {
      return await findByUuid(this.vim.conn, this.vim.searchIndex, instanceUuid, {
        datacenter: this.loc.datacenter,
        instanceUuid: true,
      });
    } catch (err) {
      throw toNuboError(err, `Looking up instance ${instanceUuid}`);
    }
  }

  private async mustFind(instanceUuid: string): Promise<ManagedObjectReference> {
    const ref = await this.find(instanceUuid);
    if (!ref) throw new NotFound(`Instance ${instanceUuid} could not be found.`);
    return ref;
  }

  private async state(instanceUuid: string): Promise<VmState> {
    const ref = await this.mustFind(instanceUuid);
    try {
      return { ref, power: toNovaPowerState(await readPowerState(this.vim, ref)) };
    } catch (err) {
      throw this.notFoundOr(err, instanceUuid, 'Reading instance');
    }
  }

  /** Runs a power operation if the VM is in one of `from`, else refuses with `Conflict`. */
  private async run(
    instanceUuid: string,
    verb: string,
    from: PowerState[],
    op: (ref: ManagedObjectReference, state: PowerState) => Promise<void>,
  ): Promise<void> {
    const { ref, power } = await this.state(instanceUuid);
    if (!from.includes(power)) {
      throw new Conflict(`${verb} instance ${instanceUuid} is not possible while it is ${powerName(power)}.`);
    }
    try {
      await op(ref, power);
    } catch (err) {
      throw this.notFoundOr(err, instanceUuid, `${verb} instance`);
    }
  }

  private notFoundOr(err: unknown, instanceUuid: string, verb: string): Error {
    if (err instanceof ManagedObjectNotFoundFault) return new NotFound(`Instance ${instanceUuid} could not be found.`);
    return toNuboError(err, `${verb} ${instanceUuid}`);
  }
}

