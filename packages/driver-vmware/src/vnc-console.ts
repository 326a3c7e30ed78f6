import { DriverError } from '@nubo/core';
import { propMoRef, propOptionValues, propString } from './vim/decode.js';
import { retrieveAll, retrieveOne } from './vim/methods/property-collector.js';
import { createContainerView, destroyView } from './vim/methods/view-manager.js';
import type { ManagedObjectReference, OptionValue } from './vim/types.js';
import type { VimClient } from './vim/vim-client.js';

/** The extraConfig keys of ESXi's built-in VNC server, as Nova's VMware driver sets them. */
export const VNC_ENABLED_KEY = 'RemoteDisplay.vnc.enabled';
export const VNC_PORT_KEY = 'RemoteDisplay.vnc.port';

/** Nova's default `[vmware] vnc_port` and `vnc_port_total`: ports 5900–6099. */
export const DEFAULT_VNC_PORTS: [number, number] = [5900, 6099];

/**
 * Hands out VNC ports the way Nova's driver does: the lowest port of the range that no VM in
 * the vCenter has in its extraConfig. Allocations in this process are serialised, so two
 * concurrent spawns never pick the same port.
 */
export class VncPortAllocator {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly pending = new Set<number>();

  constructor(
    private readonly client: VimClient,
    private readonly range: [number, number] = DEFAULT_VNC_PORTS,
  ) {}

  /** A free port, held until `release` (call it once the VM carrying it exists or failed). */
  allocate(): Promise<number> {
    const next = this.queue.then(() => this.pick());
    this.queue = next.catch(() => undefined);
    return next;
  }

  release(port: number): void {
    this.pending.delete(port);
  }

  private async pick(): Promise<number> {
    const used = await this.portsInUse();
    for (let p = this.range[0]; p <= this.range[1]; p++) {
      if (!used.has(p) && !this.pending.has(p)) {
        this.pending.add(p);
        return p;
      }
    }
    throw new DriverError(`No free VNC port in ${this.range[0]}–${this.range[1]}.`, true);
  }

  private async portsInUse(): Promise<Set<number>> {
    const { conn, serviceContent } = this.client;
    const view = await createContainerView(conn, serviceContent.viewManager!, serviceContent.rootFolder, ['VirtualMachine'], true);
    try {
      const vms = await retrieveAll(conn, this.client.propertyCollector, [
        {
          propSet: [{ type: 'VirtualMachine', pathSet: ['config.extraConfig'] }],
          objectSet: [
            { obj: view, skip: true, selectSet: [{ kind: 'TraversalSpec', type: 'ContainerView', path: 'view', skip: false }] },
          ],
        },
      ]);
      const used = new Set<number>();
      for (const vm of vms) {
        const port = propOptionValues(vm, 'config.extraConfig').find((o) => o.key === VNC_PORT_KEY);
        if (port) used.add(Number(port.value));
      }
      return used;
    } finally {
      await destroyView(conn, view).catch(() => undefined);
    }
  }
}

/** The extraConfig that turns on ESXi's VNC server for a VM on `port`. */
export function vncExtraConfig(port: number): OptionValue[] {
  return [
    { key: VNC_ENABLED_KEY, value: 'true' },
    { key: VNC_PORT_KEY, value: String(port) },
  ];
}

/**
 * Where a VM's VNC console listens: the ESXi host it runs on (by its inventory name, which
 * is its address, as Nova reports it) and the port in its extraConfig.
 */
export async function readVncEndpoint(
  client: VimClient,
  vm: ManagedObjectReference,
): Promise<{ host: string; port: number } | undefined> {
  const c = await retrieveOne(client.conn, client.propertyCollector, vm, ['config.extraConfig', 'runtime.host']);
  const options = c ? propOptionValues(c, 'config.extraConfig') : [];
  const enabled = options.find((o) => o.key === VNC_ENABLED_KEY)?.value.toLowerCase() === 'true';
  const port = Number(options.find((o) => o.key === VNC_PORT_KEY)?.value);
  const hostRef = c && propMoRef(c, 'runtime.host');
  if (!enabled || !Number.isInteger(port) || !hostRef) return undefined;
  const h = await retrieveOne(client.conn, client.propertyCollector, hostRef, ['name']);
  const host = h && propString(h, 'name');
  return host ? { host, port } : undefined;
}
