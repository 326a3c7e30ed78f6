// A 1 MiB raw disk whose boot sector prints `message` on COM1 and halts: a real guest that
// boots under QEMU TCG in well under a second (recipes/libvirt.md).
import { bytesImageSource } from '@nubo/core/testing';
import type { ImageSource } from '@nubo/core';

// cli; xor ax,ax; mov ds,ax; mov si,0x7c16; mov dx,0x3f8;
// loop: lodsb; test al,al; jz done; out dx,al; jmp loop; done: hlt; jmp done
const CODE = 'FA31C08ED8BE167CBAF803AC84C07403EEEBF8F4EBFD';

export function bootSectorDisk(message: string): Uint8Array {
  const img = Buffer.alloc(1024 * 1024);
  Buffer.from(CODE, 'hex').copy(img, 0);
  if (message.length + 3 > 510 - 22) throw new Error('message too long for a boot sector');
  img.write(`${message}\r\n\0`, 22, 'latin1');
  img[510] = 0x55;
  img[511] = 0xaa;
  return img;
}

/** An image (raw, unique id per message) that the driver caches and boots. */
export function bootSectorImage(message: string, id = `boot-${Buffer.from(message).toString('hex').slice(0, 40)}`): ImageSource {
  return bytesImageSource(bootSectorDisk(message), { id, name: 'boot sector', diskFormat: 'raw', containerFormat: 'bare' });
}
