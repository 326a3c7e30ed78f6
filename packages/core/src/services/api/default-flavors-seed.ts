import { DEFAULT_FLAVORS } from '../../model/flavor.js';
import type { Database } from '../../persistence/database.js';
import { FlavorSchema } from '../../persistence/schemas/index.js';

/** Creates the five default flavors that are missing; a flavor an admin changed or deleted is not brought back twice. */
export async function seedDefaultFlavors(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    const repo = tx.getRepository(FlavorSchema);
    if ((await repo.count()) > 0) return; // seeded once, at the cloud's first start
    await repo.insert(DEFAULT_FLAVORS.map((f) => ({ ...f, disabled: false, description: null, extraSpecs: {}, projects: [] })));
  });
}
