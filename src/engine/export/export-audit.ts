import { z } from 'zod';
import { MEDIUM_CONTENTS, MEDIUM_KINDS } from '../../shared/medium-format.js';
import type { SittingStore } from '../sittings/sitting-store.js';
import type { ExportDone } from './export.js';

/** The audit record of a copy issued: who, when (the event's time), which sittings with their manifests' hashes, which medium. */
export const exportedSchema = z.object({
  by: z.string(),
  medium: z.enum(MEDIUM_KINDS),
  where: z.string(),
  contents: z.enum(MEDIUM_CONTENTS),
  files: z.number().int().min(0),
  bytes: z.number().int().min(0),
  sittings: z.array(z.object({ base: z.string(), revision: z.number().int(), manifestSha256: z.string(), manifestMd5: z.string() })),
});
export type ExportedRecord = z.infer<typeof exportedSchema> & { atMs: number };
export const EXPORTED_EVENT = 'exported';

/** One record per sitting in the database that the medium holds, each naming every sitting on it. */
export function recordExport(store: SittingStore, sittingIds: number[], done: ExportDone, by: string): void {
  const payload = {
    by, medium: done.kind, where: done.where, contents: done.index.contents, files: done.files, bytes: done.bytes,
    sittings: done.index.sittings.map((s) => ({ base: s.base, revision: s.manifest.revision, manifestSha256: s.manifest.sha256, manifestMd5: s.manifest.md5 })),
  } satisfies z.infer<typeof exportedSchema>;
  for (const id of sittingIds) store.note(id, EXPORTED_EVENT, payload);
}

/** The copies issued of a sitting, oldest first; a record that does not parse is left out (the audit log's own check names an edit). */
export function exportsOf(store: SittingStore, sittingId: number): ExportedRecord[] {
  return store.eventsOf(sittingId, EXPORTED_EVENT).flatMap((e) => {
    const r = exportedSchema.safeParse(e.payload);
    return r.success ? [{ ...r.data, atMs: e.wallMs }] : [];
  });
}
