import { describe, expect, it } from 'vitest';
import { refuseAction, serverStatus } from '@nubo/core';

describe('server status derived from vm_state and task_state', () => {
  it('is Nova’s mapping', () => {
    expect(serverStatus('building', 'scheduling')).toBe('BUILD');
    expect(serverStatus('active', null)).toBe('ACTIVE');
    expect(serverStatus('active', 'rebooting')).toBe('REBOOT');
    expect(serverStatus('active', 'rebooting_hard')).toBe('HARD_REBOOT');
    expect(serverStatus('stopped', null)).toBe('SHUTOFF');
    expect(serverStatus('active', 'resize_prep')).toBe('RESIZE');
    expect(serverStatus('resized', null)).toBe('VERIFY_RESIZE');
    expect(serverStatus('resized', 'resize_reverting')).toBe('REVERT_RESIZE');
    expect(serverStatus('error', null)).toBe('ERROR');
    expect(serverStatus('paused', null)).toBe('PAUSED');
    expect(serverStatus('suspended', null)).toBe('SUSPENDED');
    expect(serverStatus('deleted', null)).toBe('DELETED');
    expect(serverStatus('active', 'powering-off')).toBe('ACTIVE');
  });
  it('refuses an illegal action with Nova’s message', () => {
    const i = { uuid: 'abc', vmState: 'stopped' as const, taskState: null };
    expect(refuseAction('pause', i)).toBe("Cannot 'pause' instance abc while it is in vm_state stopped");
    expect(refuseAction('start', i)).toBeNull();
    expect(refuseAction('stop', { ...i, vmState: 'active', taskState: 'powering-off' })).toBe(
      "Cannot 'stop' instance abc while it is in task_state powering-off");
  });
});
