// create + power on + destroy of one VM on govmomi's vSphere simulator (vcsim), two ways in
// the same run against the same simulator:
//   nubo    — VMwareDriver.spawn (blank 1 GB root disk, powered on) then destroy; also
//             with a 16 MiB raw image from the datastore image cache
//   minimal — the same SOAP calls (CreateVM_Task, PowerOnVM_Task, PowerOffVM_Task, Destroy_Task,
//             each task polled through RetrievePropertiesEx) from hand-written XML strings
//             over one keep-alive https connection, no XML parser: the floor for this work.
// Debian ships no govc, so the "minimal script" stands in for it. vcsim runs no guests, so the
// figures measure the SOAP path (client, wire, simulator), not a hypervisor.
import https from 'node:https';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { VMwareDriver } from '../packages/driver-vmware/src/index.js';
import { startVcsim } from '../packages/driver-vmware/src/vcsim.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);
const WARMUP = 5;

const sim = await startVcsim();
const url = new URL(sim.sdkUrl);

// --- the minimal script -------------------------------------------------------------------

const agent = new https.Agent({ keepAlive: true, ca: sim.ca });
let cookie = '';

function soap(body: string): Promise<string> {
  const xml =
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>' + body + '</soapenv:Body></soapenv:Envelope>';
  return new Promise((resolve, reject) => {
    const req = https.request(url, {
      method: 'POST', agent,
      headers: { 'Content-Type': 'text/xml; charset=utf-8', SOAPAction: 'urn:vim25/6.5', Cookie: cookie },
    }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const m = /vmware_soap_session=[^;]*/.exec(String(res.headers['set-cookie'] ?? ''));
        if (m) cookie = m[0];
        const text = Buffer.concat(parts).toString();
        if (res.statusCode !== 200) reject(new Error(text)); else resolve(text);
      });
    });
    req.on('error', reject);
    req.end(xml);
  });
}

const ret = (xml: string) => /<returnval[^>]*>([^<]*)<\/returnval>/.exec(xml)![1]!;

async function task(call: string): Promise<string> {
  const t = ret(await soap(call));
  for (let wait = 5; ; wait = Math.min(wait * 2, 1000)) {
    const info = await soap(
      `<RetrievePropertiesEx xmlns="urn:vim25"><_this type="PropertyCollector">propertyCollector</_this><specSet>` +
        `<propSet><type>Task</type><pathSet>info</pathSet></propSet><objectSet><obj type="Task">${t}</obj></objectSet>` +
        `</specSet><options/></RetrievePropertiesEx>`,
    );
    const state = /<state>([^<]*)<\/state>/.exec(info)![1];
    if (state === 'success') return /<result[^>]*>([^<]*)<\/result>/.exec(info)?.[1] ?? '';
    if (state === 'error') throw new Error(info);
    await new Promise((r) => setTimeout(r, wait));
  }
}

await soap('<Login xmlns="urn:vim25"><_this type="SessionManager">SessionManager</_this><userName>u</userName><password>p</password></Login>');
const find = async (path: string) =>
  ret(await soap(`<FindByInventoryPath xmlns="urn:vim25"><_this type="SearchIndex">SearchIndex</_this><inventoryPath>${path}</inventoryPath></FindByInventoryPath>`));
const folder = await find('DC0/vm');
const pool = await find('DC0/host/DC0_C0/Resources');

async function minimalRound(): Promise<void> {
  const name = randomUUID();
  const vm = await task(
    `<CreateVM_Task xmlns="urn:vim25"><_this type="Folder">${folder}</_this><config><name>${name}</name>` +
      `<guestId>otherGuest64</guestId><files><vmPathName>[LocalDS_0]</vmPathName></files><numCPUs>1</numCPUs>` +
      `<memoryMB>512</memoryMB><deviceChange><operation>add</operation><device xsi:type="ParaVirtualSCSIController">` +
      `<key>-100</key><busNumber>0</busNumber><sharedBus>noSharing</sharedBus></device></deviceChange>` +
      `<deviceChange><operation>add</operation><fileOperation>create</fileOperation><device xsi:type="VirtualDisk">` +
      `<key>-200</key><backing xsi:type="VirtualDiskFlatVer2BackingInfo"><fileName>[LocalDS_0]</fileName>` +
      `<diskMode>persistent</diskMode><thinProvisioned>true</thinProvisioned></backing><controllerKey>-100</controllerKey>` +
      `<unitNumber>0</unitNumber><capacityInKB>1048576</capacityInKB></device></deviceChange></config>` +
      `<pool type="ResourcePool">${pool}</pool></CreateVM_Task>`,
  );
  await task(`<PowerOnVM_Task xmlns="urn:vim25"><_this type="VirtualMachine">${vm}</_this></PowerOnVM_Task>`);
  await task(`<PowerOffVM_Task xmlns="urn:vim25"><_this type="VirtualMachine">${vm}</_this></PowerOffVM_Task>`);
  await task(`<Destroy_Task xmlns="urn:vim25"><_this type="VirtualMachine">${vm}</_this></Destroy_Task>`);
}

// --- Nubo ---------------------------------------------------------------------------------

async function nuboDriver(lifecycleEvents: boolean): Promise<VMwareDriver> {
  const d = new VMwareDriver({
    url: sim.sdkUrl, ca: sim.ca, username: 'u', password: 'p',
    datacenter: 'DC0', computeResource: 'DC0_C0', datastore: 'LocalDS_0', lifecycleEvents,
  });
  await d.init('bench');
  return d;
}
// The default driver also long-polls power states (lifecycle events); the second one does not,
// which shows what that watch costs the simulator.
const driver = await nuboDriver(true);
const quiet = await nuboDriver(false);

// A 16 MiB raw image: the first spawn downloads it into the datastore cache, every later one
// copies it onto the new disk on the datastore side (CopyDatastoreFile_Task).
const IMAGE_BYTES = new Uint8Array(16 * 1024 * 1024).fill(0x5a);
const image = {
  meta: {
    id: `bench-${randomUUID()}`, name: 'bench', status: 'active' as const, visibility: 'public' as const, ownerId: 'bench',
    diskFormat: 'raw', containerFormat: 'bare', minDiskGb: 0, minRamMb: 0, sizeBytes: IMAGE_BYTES.length, checksum: null,
    hashValue: null, protected: false, properties: {}, tags: [], members: [], createdAt: new Date(), updatedAt: new Date(),
  },
  async *open() {
    for (let o = 0; o < IMAGE_BYTES.length; o += 1 << 20) yield IMAGE_BYTES.subarray(o, o + (1 << 20));
  },
};

const nuboRound = (d: VMwareDriver, withImage = false) => async (): Promise<void> => {
  const uuid = randomUUID();
  await d.spawn({
    instance: { uuid, name: 'bench', projectId: 'bench', memoryMb: 512, vcpus: 1, rootGb: 1, ephemeralGb: 0, swapMb: 0, metadata: {}, keyData: null, userData: null },
    image: withImage ? image : null, network: [], blockDevices: [],
  });
  await d.destroy(uuid);
};

// --- measure, interleaved so all see the same simulator state ------------------------------

const t0 = performance.now();
await nuboRound(quiet, true)();
const firstImageSpawnMs = performance.now() - t0;

const samples: Record<string, number[]> = { nubo: [], 'nubo, no watch': [], 'nubo, 16 MiB image (cached)': [], minimal: [] };
const rounds: [string, () => Promise<void>][] = [
  ['nubo', nuboRound(driver)],
  ['nubo, no watch', nuboRound(quiet)],
  ['nubo, 16 MiB image (cached)', nuboRound(quiet, true)],
  ['minimal', minimalRound],
];
for (let i = 0; i < WARMUP; i++) for (const [, f] of rounds) await f();
for (let i = 0; i < ROUNDS; i++) {
  for (const [name, f] of i % 2 ? [...rounds].reverse() : rounds) {
    const t0 = performance.now();
    await f();
    samples[name]!.push(performance.now() - t0);
  }
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(`vmware: create + power on + destroy of one VM on vcsim (https, loopback), ${ROUNDS} rounds each, same run`);
console.table(
  Object.entries(samples).map(([client, xs]) => ({
    client,
    'mean ms': mean(xs).toFixed(2),
    'p50 ms': pct(xs, 50).toFixed(2),
    'p95 ms': pct(xs, 95).toFixed(2),
    'VMs/s': (1000 / mean(xs)).toFixed(1),
  })),
);
const ratio = mean(samples.nubo!) / mean(samples.minimal!);
console.log(`first spawn of the 16 MiB image (downloads it into the datastore cache): ${firstImageSpawnMs.toFixed(1)} ms`);
console.log(`nubo / minimal (mean): ${ratio.toFixed(2)}x — nubo also checks the UUID is free, the datastore exists, and reads the power state before destroy`);

await driver.close();
await quiet.close();
agent.destroy();
await sim.stop();
