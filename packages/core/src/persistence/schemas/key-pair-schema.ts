import { EntitySchema } from 'typeorm';
import type { KeyPair } from '../../model/key-pair.js';
import { snake, str, text, time } from '../column-types.js';

export const KeyPairSchema = new EntitySchema<KeyPair>({
  name: 'KeyPair',
  tableName: 'key_pairs',
  columns: snake({
    userId: { ...str(64), primary: true },
    name: { ...str(255), primary: true },
    type: str(16),
    publicKey: { ...text(false) },
    fingerprint: str(128),
    createdAt: time(),
  }),
});
