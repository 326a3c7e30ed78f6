#!/usr/bin/python3
"""A harder golden fixture than the anchors' one, made by real Nova (Debian's python3-nova).

Same fleet and request generator as /work/shared/anchors/nova_scheduler_bench.py, plus:
per-aggregate weight multipliers and limits in the aggregates' metadata, the Aggregate*
filters, AggregateTypeAffinityFilter, AggregateImagePropertiesIsolation, IsolatedHostsFilter,
AllHostsFilter, non-default multipliers, and images with an `os_distro` property. Same output
format, so `pnpm --filter @nubo/scheduler-filters run --silent golden <file>` reads it.

    tools/nova-parity-fixture.py --seed 11 --hosts 80 --cases 300 > fixture.json
"""
import argparse
import json
import logging
import random
import sys

sys.path.insert(0, "/work/shared/anchors")
import nova_scheduler_bench as b  # noqa: E402  (configures Nova's CONF on import)

FILTERS = [
    "AllHostsFilter",
    "AvailabilityZoneFilter",
    "ComputeFilter",
    "ComputeCapabilitiesFilter",
    "ImagePropertiesFilter",
    "ServerGroupAntiAffinityFilter",
    "ServerGroupAffinityFilter",
    "AggregateInstanceExtraSpecsFilter",
    "AggregateMultiTenancyIsolation",
    "AggregateNumInstancesFilter",
    "AggregateIoOpsFilter",
    "AggregateTypeAffinityFilter",
    "AggregateImagePropertiesIsolation",
    "IsolatedHostsFilter",
    "JsonFilter",
    "SameHostFilter",
    "DifferentHostFilter",
    "SimpleCIDRAffinityFilter",
]
EXTRA_METADATA = {
    1: {"disk_weight_multiplier": "0.5", "build_failure_weight_multiplier": "100"},
    2: {"ram_weight_multiplier": "-1.0", "max_instances_per_host": "55"},
    3: {"ram_weight_multiplier": "2.0", "max_io_ops_per_host": "10", "os_distro": "linux"},
    4: {"cpu_weight_multiplier": "-1.5", "instance_type": "m1.large, m1.xlarge, m1.small",
        "max_instances_per_host": "40", "io_ops_weight_multiplier": "-3"},
}
OVERRIDES = {"io_ops_weight_multiplier": -2.0, "soft_affinity_weight_multiplier": 2.5,
             "soft_anti_affinity_weight_multiplier": 3.0, "disk_weight_multiplier": 0.7}


def main():
    logging.disable(logging.CRITICAL)
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--hosts", type=int, default=80)
    p.add_argument("--cases", type=int, default=300)
    args = p.parse_args()
    for k, v in OVERRIDES.items():
        b.CONF.set_override(k, v, "filter_scheduler")
    rng = random.Random(args.seed)
    aggs = b.make_aggregates(rng, args.hosts)
    for a in aggs:
        a["metadata"].update(EXTRA_METADATA.get(a["id"], {}))
    hosts = [b.host_dict(rng, i, aggs) for i in range(args.hosts)]
    states = [b.to_host_state(h, b.aggregate_objects(aggs)) for h in hosts]
    filters = b.make_filters(FILTERS)
    weighers = b.make_weighers()
    cases = []
    for _ in range(args.cases):
        r = b.request_dict(rng, hosts)
        if rng.random() < 0.3:
            r["image"]["properties"]["os_distro"] = rng.choice(["linux", "windows"])
        passed, weighed = b.schedule(filters, weighers, states, b.to_spec(r))
        cases.append({
            "request": r,
            "passed": sorted(h.host for h in passed),
            "weighed": [{"host": w.obj.host, "weight": round(w.weight, 9)} for w in weighed],
        })
    fs = b.CONF.filter_scheduler
    out = {
        "source": "nova %s (Debian python3-nova), tools/nova-parity-fixture.py" % b.nova_version(),
        "config": {
            "enabled_filters": FILTERS,
            "weighers": [w.__class__.__name__ for w in weighers],
            "default_availability_zone": b.CONF.default_availability_zone,
            "max_instances_per_host": fs.max_instances_per_host,
            "max_io_ops_per_host": fs.max_io_ops_per_host,
            "ram_weight_multiplier": fs.ram_weight_multiplier,
            "cpu_weight_multiplier": fs.cpu_weight_multiplier,
            "disk_weight_multiplier": fs.disk_weight_multiplier,
            "io_ops_weight_multiplier": fs.io_ops_weight_multiplier,
            "build_failure_weight_multiplier": fs.build_failure_weight_multiplier,
            "soft_affinity_weight_multiplier": fs.soft_affinity_weight_multiplier,
            "soft_anti_affinity_weight_multiplier": fs.soft_anti_affinity_weight_multiplier,
            "service_down_time": b.CONF.service_down_time,
        },
        "aggregates": aggs,
        "hosts": hosts,
        "cases": cases,
    }
    json.dump(out, sys.stdout, separators=(",", ":"), sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
