import { defineConfig } from 'vitest/config';

// Suites that stop and start the shared RabbitMQ (`rabbitmqctl stop_app`) would break any
// other suite using the broker at that moment, so they run afterwards, on their own.
const BROKER_RESTARTING = [
  'packages/transport-amqp/test/amqp-transport.test.ts',
  'packages/cloud/test/broker-restart.test.ts',
];
// The real Xen host is a whole machine emulated by QEMU (TCG) on both cores: it runs last,
// alone, so it neither slows nor is slowed by everything else.
const XEN_HOST = ['packages/driver-xen/test/xen-driver.test.ts'];
const ALL = ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'];

export default defineConfig({
  resolve: { conditions: ['nubo-source'] },
  ssr: { resolve: { conditions: ['nubo-source'] } },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Many suites mostly wait on real peers (QEMU guests, the Python CLIs, vcsim), so more
    // workers than the two cores keep the wall time down.
    maxWorkers: 3,
    projects: [
      { extends: true, test: { name: 'main', include: ALL, exclude: [...BROKER_RESTARTING, ...XEN_HOST] } },
      { extends: true, test: { name: 'broker-restart', include: BROKER_RESTARTING, fileParallelism: false } },
      { extends: true, test: { name: 'xen-host', include: XEN_HOST, fileParallelism: false } },
    ],
  },
});
