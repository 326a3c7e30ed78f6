import { BadRequest } from '@nubo/core';

/** The names Nova accepts for image architecture, hypervisor type and VM mode, with its aliases. */
const ARCHITECTURES = new Set(
  'alpha armv6 armv7l armv7b aarch64 cris i686 ia64 lm32 m68k microblaze microblazeel mips mipsel mips64 mips64el openrisc parisc parisc64 ppc ppcle ppc64 ppc64le ppcemb s390 s390x sh4 sh4eb sparc sparc64 unicore32 x86_64 xtensa xtensaeb'.split(' '),
);
const HV_TYPES = new Set('baremetal bhyve docker fake hyperv ironic kqemu kvm lxc lxd openvz parallels phyp qemu test uml vbox vz vmware xen zvm prsm'.split(' '));
const VM_MODES = new Set(['hvm', 'xen', 'uml', 'exe']);

const ARCH_ALIASES: Record<string, string> = { i386: 'i686', i486: 'i686', i586: 'i686', x86_32: 'i686', x86_32p: 'i686', amd64: 'x86_64' };
const HV_ALIASES: Record<string, string> = { xapi: 'xen' };
const VM_MODE_ALIASES: Record<string, string> = { pv: 'xen', hv: 'hvm', baremetal: 'hvm' };

function canonical(name: string | undefined | null, aliases: Record<string, string>, valid: Set<string>, what: string): string | null {
  if (name === undefined || name === null) return null;
  const lower = name.toLowerCase();
  const c = aliases[lower] ?? lower;
  if (!valid.has(c)) throw new BadRequest(`Invalid ${what} name '${name}'`);
  return c;
}

/** Nova's `Architecture.canonicalize` (`amd64` → `x86_64`, `i386` → `i686`). */
export const canonicalArchitecture = (n?: string | null): string | null => canonical(n, ARCH_ALIASES, ARCHITECTURES, 'architecture');
/** Nova's `HVType.canonicalize` (`xapi` → `xen`). */
export const canonicalHypervisorType = (n?: string | null): string | null => canonical(n, HV_ALIASES, HV_TYPES, 'hypervisor type');
/** Nova's `VMMode.canonicalize` (`pv` → `xen`, `hv` → `hvm`). */
export const canonicalVmMode = (n?: string | null): string | null => canonical(n, VM_MODE_ALIASES, VM_MODES, 'vm mode');
