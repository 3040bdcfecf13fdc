import { SittingSession } from '../../engine/sittings/sitting-session.js';
import { reportFinalized, reportProtocol, showProgress } from '../finalize-output.js';
import { loadConfig } from '../load-config.js';

/** `abk sittings`: every sitting in the database, newest first. */
export function sittingsCommand(opts: { config?: string | undefined; json: boolean }): void {
  const session = SittingSession.open(loadConfig(opts.config));
  try {
    const rows = session.store.list();
    if (opts.json) { process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`); return; }
    if (rows.length === 0) { process.stderr.write('no sittings yet\n'); return; }
    for (const r of rows) {
      const when = new Date(r.createdMs).toISOString().slice(0, 16).replace('T', ' ');
      process.stdout.write(`${String(r.id).padStart(4)}  ${r.state.padEnd(11)} ${when} UTC  ${r.base}  ${r.fields.caseNumber}\n`);
    }
  } finally {
    session.close();
  }
}

/** `abk finalize SITTING`: make (or check) a sitting's files; after a crash, from its working folder. */
export async function finalizeCommand(opts: { config?: string | undefined; ref: string | undefined }): Promise<void> {
  if (!opts.ref) throw new Error('name the sitting: abk finalize ID|BASE ("abk sittings" lists them)');
  const session = SittingSession.open(loadConfig(opts.config));
  try {
    const result = await session.finalize(opts.ref, showProgress);
    await reportFinalized(result, true);
    process.stdout.write(`${result.dir}\n`);
  } finally {
    session.close();
  }
}

/** `abk protocol SITTING`: the short protocol made again from the finalized files and the current template. */
export async function protocolCommand(opts: { config?: string | undefined; ref: string | undefined }): Promise<void> {
  if (!opts.ref) throw new Error('name the sitting: abk protocol ID|BASE ("abk sittings" lists them)');
  const session = SittingSession.open(loadConfig(opts.config));
  try {
    reportProtocol({ ok: true, result: await session.protocol(opts.ref) });
  } finally {
    session.close();
  }
}
