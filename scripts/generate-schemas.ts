/** `npm run schemas`: writes schemas/*.schema.json from the zod schemas. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildJsonSchemas } from '../src/core/config/json-schemas';

async function main(): Promise<void> {
  const dir = path.resolve(__dirname, '..', 'schemas');
  await mkdir(dir, { recursive: true });
  for (const schema of await buildJsonSchemas()) {
    await writeFile(path.join(dir, schema.fileName), schema.text);
    console.log(`wrote schemas/${schema.fileName}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
