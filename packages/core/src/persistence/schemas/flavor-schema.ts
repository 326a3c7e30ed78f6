import { EntitySchema } from 'typeorm';
import type { Flavor } from '../../model/flavor.js';
import { bool, float, id, int, json, snake, str, text } from '../column-types.js';

export const FlavorSchema = new EntitySchema<Flavor>({
  name: 'Flavor',
  tableName: 'flavors',
  columns: snake({
    id: id(255),
    name: str(255),
    memoryMb: int(),
    vcpus: int(),
    rootGb: int(),
    ephemeralGb: int(),
    swapMb: int(),
    rxtxFactor: float(),
    isPublic: bool(),
    disabled: bool(),
    description: text(),
    extraSpecs: json(),
    projects: json(),
  }),
  uniques: [{ name: 'uq_flavors_name', columns: ['name'] }],
});
