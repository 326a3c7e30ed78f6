export { FakeDriver, type FakeGuestView, type FakeHostUsage } from './fake-driver.js';
export {
  ALL_CAPABILITIES, DEFAULT_FAKE_CAPACITY, type FakeDriverOptions, type FakeHostCapacity, type FakeOperation,
} from './fake-driver-options.js';
export type { FailureHandle, FailureInjection } from './fake-failure-injector.js';
export { fakeSnapshotBytes } from './fake-snapshot-bytes.js';
