#!/usr/bin/python3
"""NUMATopologyFilter cases decided by real Nova (Debian's python3-nova, Zed).

Random host NUMA topologies (cells with shared and dedicated CPUs, usage, pinned CPUs, SMT
siblings) against random flavors (hw:numa_nodes, hw:cpu_policy, hw:cpu_thread_policy). Prints
JSON: [{"host": {...}, "flavor": {...}, "passes": bool}, ...] for test/numa-parity.test.ts.

    tools/nova-numa-parity.py --seed 5 --cases 300 > test/fixtures/nova-numa-parity.json
"""
import argparse
import json
import logging
import random
import sys

import nova.conf
from nova import objects

nova.conf.CONF([], project="nova", default_config_files=[])
objects.register_all()

from nova.scheduler.filters.numa_topology_filter import NUMATopologyFilter  # noqa: E402
from nova.scheduler.host_manager import HostState  # noqa: E402
from nova.virt import hardware  # noqa: E402


def host_cells(rng):
    cells = []
    ncells = rng.choice([1, 2, 2, 4])
    smt = rng.random() < 0.4
    per = rng.choice([4, 8])
    for i in range(ncells):
        cpus = list(range(i * per, (i + 1) * per))
        split = rng.choice([0, per // 2, per])  # first `split` CPUs shared, rest dedicated
        shared, dedicated = cpus[:split], cpus[split:]
        memory = rng.choice([2048, 4096, 8192])
        pinned = sorted(rng.sample(dedicated, rng.randrange(0, len(dedicated) + 1))) if dedicated else []
        siblings = [cpus[j:j + 2] for j in range(0, per, 2)] if smt else []
        cells.append({
            "id": i, "cpuset": shared, "pcpuset": dedicated, "memoryMb": memory,
            "cpuUsage": rng.randrange(0, max(1, len(shared) * 2)) if shared else 0,
            "memoryUsageMb": rng.randrange(0, memory, 512),
            "pinnedCpus": pinned, "siblings": siblings,
        })
    return cells


def flavor_dict(rng):
    vcpus = rng.choice([1, 2, 4, 8])
    memory = rng.choice([512, 1024, 2048, 4096])
    extra = {}
    nodes = rng.choice([None, 1, 2])
    if nodes and vcpus % nodes == 0 and memory % nodes == 0:
        extra["hw:numa_nodes"] = str(nodes)
    if rng.random() < 0.4:
        extra["hw:cpu_policy"] = "dedicated"
        if rng.random() < 0.3:
            extra["hw:cpu_thread_policy"] = rng.choice(["prefer", "require", "isolate"])
    return {"vcpus": vcpus, "memoryMb": memory, "extraSpecs": extra}


def nova_host(cells, ratios):
    hs = HostState("h", "n", "cell1")
    hs.cpu_allocation_ratio, hs.ram_allocation_ratio = ratios
    hs.numa_topology = objects.NUMATopology(cells=[
        objects.NUMACell(
            id=c["id"], cpuset=set(c["cpuset"]), pcpuset=set(c["pcpuset"]), memory=c["memoryMb"],
            cpu_usage=c["cpuUsage"], memory_usage=c["memoryUsageMb"], pinned_cpus=set(c["pinnedCpus"]),
            # a host without SMT reports one-CPU sibling sets
            siblings=[set(s) for s in c["siblings"]] or [{x} for x in c["cpuset"] + c["pcpuset"]],
            mempages=[],
            network_metadata=objects.NetworkMetadata(physnets=set(), tunneled=False), socket=None)
        for c in cells])
    hs.pci_stats = None
    hs.limits = {}
    return hs


def nova_spec(f):
    flavor = objects.Flavor(name="f", memory_mb=f["memoryMb"], vcpus=f["vcpus"], root_gb=1,
                            ephemeral_gb=0, swap=0, extra_specs=dict(f["extraSpecs"]),
                            flavorid="f", rxtx_factor=1.0)
    image = objects.ImageMeta.from_dict({"properties": {}})
    topo = hardware.numa_get_constraints(flavor, image)
    return objects.RequestSpec(flavor=flavor, image=image, numa_topology=topo, pci_requests=None,
                               instance_uuid="00000000-0000-4000-8000-000000000000")


def main():
    logging.disable(logging.CRITICAL)
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, default=5)
    p.add_argument("--cases", type=int, default=300)
    args = p.parse_args()
    rng = random.Random(args.seed)
    f = NUMATopologyFilter()
    out = []
    while len(out) < args.cases:
        cells = host_cells(rng)
        ratios = (rng.choice([1.0, 4.0, 16.0]), rng.choice([1.0, 1.5]))
        fl = flavor_dict(rng)
        try:
            spec = nova_spec(fl)
        except Exception:
            continue  # a flavor Nova's API would refuse
        passes = bool(f.host_passes(nova_host(cells, ratios), spec))
        out.append({"host": {"cells": cells, "cpuAllocationRatio": ratios[0], "ramAllocationRatio": ratios[1]},
                    "flavor": fl, "passes": passes})
    json.dump(out, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
