import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BuildStepWriter, Database, InstanceActionEventSchema, InstanceActionRecorder, InstanceActionSchema, InstanceSchema, TaskState,
  type BuildStep, type RequestContext,
} from '@nubo/core';
import { createTestDatabase, type TestDatabase } from '@nubo/core/testing';
import { sampleInstance } from './persistence-samples.js';

// A compute host sends the steps of the builds it runs together; each must still get its own
// outcome, and only the steps that moved an instance on may be recorded.
describe.each(['sqlite', 'postgres', 'mariadb'] as const)('build steps written together on %s', (engine) => {
  let scratch: TestDatabase;
  let db: Database;
  let actions: InstanceActionRecorder;
  let writer: BuildStepWriter;
  beforeAll(async () => {
    scratch = await createTestDatabase(engine);
    db = await new Database({ url: scratch.url, poolSize: 4 }).open();
    actions = new InstanceActionRecorder(db);
    writer = new BuildStepWriter(db, actions);
  });
  afterAll(async () => {
    await db?.close();
    await scratch?.drop();
  });

  /** An instance placed on `host` in `taskState`, with its create action started by request `requestId`. */
  async function instance(taskState: string | null, host = 'cmp1', deleted = false): Promise<{ uuid: string; requestId: string; actionId: number }> {
    const uuid = randomUUID();
    const requestId = `req-${uuid}`;
    await db.repo(InstanceSchema).insert(sampleInstance({ uuid, host, taskState, deletedAt: deleted ? new Date() : null }));
    const ctx = { requestId, userId: 'u1', projectId: 'p1', roles: [], isAdmin: false, authToken: null } as RequestContext;
    const actionId = await actions.start(ctx, uuid, 'create');
    return { uuid, requestId, actionId };
  }
  const step = (event: string) => ({ kind: 'step' as const, event, host: 'cmp1', startTime: new Date(), finishTime: new Date() });
  const eventsOf = async (actionId: number) => (await db.repo(InstanceActionEventSchema).find({ where: { actionId }, order: { id: 'ASC' } })).map((e) => e.event);
  const taskOf = async (uuid: string) => (await db.repo(InstanceSchema).findOneByOrFail({ uuid })).taskState;

  it('gives every step of a mixed batch its own outcome and records only the steps that moved an instance', async () => {
    const waiting = await instance(TaskState.SCHEDULING);
    const elsewhere = await instance(TaskState.SCHEDULING, 'cmp2');
    const deleted = await instance(TaskState.SCHEDULING, 'cmp1', true);
    const networking = await instance(TaskState.NETWORKING);
    const spawning = await instance(TaskState.SPAWNING);
    const alreadyMoved = await instance(TaskState.BLOCK_DEVICE_MAPPING);
    const notYet = await instance(TaskState.SCHEDULING);
    const launchedAt = new Date('2026-11-25T10:00:00.123Z');
    const steps: BuildStep[] = [
      { kind: 'claim', uuid: waiting.uuid, requestId: waiting.requestId, host: 'cmp1', events: [step('compute_instance_get_for_build')] },
      { kind: 'claim', uuid: elsewhere.uuid, requestId: elsewhere.requestId, host: 'cmp1', events: [step('compute_instance_get_for_build')] },
      { kind: 'claim', uuid: deleted.uuid, requestId: deleted.requestId, host: 'cmp1', events: [step('compute_instance_get_for_build')] },
      { kind: 'progress', uuid: networking.uuid, requestId: networking.requestId, actionId: networking.actionId,
        values: { taskState: TaskState.BLOCK_DEVICE_MAPPING }, expectedTaskState: [TaskState.NETWORKING], events: [step('compute_allocate_network')] },
      { kind: 'progress', uuid: spawning.uuid, requestId: spawning.requestId,
        values: { vmState: 'active', taskState: null, launchedAt }, expectedTaskState: [TaskState.SPAWNING], events: [step('compute_spawn')] },
      // Sent again after its reply was lost: already done, so done, and not recorded twice.
      { kind: 'progress', uuid: alreadyMoved.uuid, requestId: alreadyMoved.requestId,
        values: { taskState: TaskState.BLOCK_DEVICE_MAPPING }, expectedTaskState: [TaskState.NETWORKING], events: [step('compute_allocate_network')] },
      // The state refuses it: a Conflict for this step alone.
      { kind: 'progress', uuid: notYet.uuid, requestId: notYet.requestId,
        values: { taskState: TaskState.SPAWNING }, expectedTaskState: [TaskState.BLOCK_DEVICE_MAPPING], events: [] },
    ];
    const results = await writer.write(steps);

    expect(results[0]).toMatchObject({ claimed: { uuid: waiting.uuid, taskState: TaskState.NETWORKING, host: 'cmp1' } });
    expect(results[1]).toEqual({ claimed: null });
    expect(results[2]).toEqual({ claimed: null });
    expect(results[3]).toEqual({ done: true });
    expect(results[4]).toEqual({ done: true });
    expect(results[5]).toEqual({ done: true });
    expect(results[6]).toMatchObject({ error: { name: 'Conflict' } });

    expect(await taskOf(waiting.uuid)).toBe(TaskState.NETWORKING);
    expect(await taskOf(elsewhere.uuid)).toBe(TaskState.SCHEDULING);
    expect(await taskOf(networking.uuid)).toBe(TaskState.BLOCK_DEVICE_MAPPING);
    const active = await db.repo(InstanceSchema).findOneByOrFail({ uuid: spawning.uuid });
    expect(active).toMatchObject({ vmState: 'active', taskState: null });
    expect(active.launchedAt?.toISOString()).toBe(launchedAt.toISOString());

    expect(await eventsOf(waiting.actionId)).toEqual(['compute_instance_get_for_build']);
    expect(await eventsOf(elsewhere.actionId)).toEqual([]);
    expect(await eventsOf(deleted.actionId)).toEqual([]);
    expect(await eventsOf(networking.actionId)).toEqual(['compute_allocate_network']);
    expect(await eventsOf(spawning.actionId)).toEqual(['compute_spawn']);
    expect(await eventsOf(alreadyMoved.actionId)).toEqual([]);
    expect(await taskOf(notYet.uuid)).toBe(TaskState.SCHEDULING);
  });

  it('gives each build of one batch its own launch and finish times', async () => {
    const builds = await Promise.all([1, 2, 3].map(() => instance(TaskState.SPAWNING)));
    for (const b of builds) {
      await actions.record(b.actionId, [{ kind: 'start', event: 'compute_build_and_run_instance', host: 'cmp1', startTime: new Date() }]);
    }
    const at = (n: number) => new Date(Date.UTC(2026, 10, 25, 12, 0, 0, n * 111));
    const results = await writer.write(builds.map((b, n) => ({
      kind: 'progress' as const, uuid: b.uuid, requestId: b.requestId, actionId: b.actionId,
      values: { vmState: 'active', taskState: null, launchedAt: at(n) }, expectedTaskState: [TaskState.SPAWNING],
      events: [{ kind: 'finish' as const, event: 'compute_build_and_run_instance', finishTime: at(n + 10) }],
    })));
    expect(results).toEqual([{ done: true }, { done: true }, { done: true }]);
    for (const [n, b] of builds.entries()) {
      const row = await db.repo(InstanceSchema).findOneByOrFail({ uuid: b.uuid });
      expect([row.vmState, row.taskState, row.launchedAt?.toISOString()]).toEqual(['active', null, at(n).toISOString()]);
      const [event] = await db.repo(InstanceActionEventSchema).findBy({ actionId: b.actionId });
      expect([event!.result, event!.finishTime?.toISOString()]).toEqual(['Success', at(n + 10).toISOString()]);
    }
  });

  it('writes two steps of one instance in one batch in order', async () => {
    const a = await instance(TaskState.NETWORKING);
    const results = await writer.write([
      { kind: 'progress', uuid: a.uuid, requestId: a.requestId, values: { taskState: TaskState.BLOCK_DEVICE_MAPPING }, expectedTaskState: [TaskState.NETWORKING], events: [step('one')] },
      { kind: 'progress', uuid: a.uuid, requestId: a.requestId, values: { taskState: TaskState.SPAWNING }, expectedTaskState: [TaskState.BLOCK_DEVICE_MAPPING], events: [step('two')] },
    ]);
    expect(results).toEqual([{ done: true }, { done: true }]);
    expect(await taskOf(a.uuid)).toBe(TaskState.SPAWNING);
    expect(await eventsOf(a.actionId)).toEqual(['one', 'two']);
  });

  it('marks the action as failed when a step carries an error, and finishes an open step', async () => {
    const a = await instance(TaskState.SCHEDULING);
    await writer.write([{ kind: 'claim', uuid: a.uuid, requestId: a.requestId, host: 'cmp1',
      events: [{ kind: 'start', event: 'compute_build_and_run_instance', host: 'cmp1', startTime: new Date() }] }]);
    await writer.write([{ kind: 'progress', uuid: a.uuid, requestId: a.requestId, values: { taskState: TaskState.BLOCK_DEVICE_MAPPING },
      expectedTaskState: [TaskState.NETWORKING], events: [
        { kind: 'step', event: 'compute_allocate_network', host: 'cmp1', startTime: new Date(), finishTime: new Date(), error: 'no address' },
        { kind: 'finish', event: 'compute_build_and_run_instance', finishTime: new Date(), error: 'no address' },
      ] }]);
    const events = await db.repo(InstanceActionEventSchema).find({ where: { actionId: a.actionId }, order: { id: 'ASC' } });
    expect(events.map((e) => [e.event, e.result, e.finishTime !== null])).toEqual([
      ['compute_build_and_run_instance', 'Error', true],
      ['compute_allocate_network', 'Error', true],
    ]);
    expect((await db.repo(InstanceActionSchema).findOneByOrFail({ id: a.actionId })).message).toBe('Error');
  });
});
