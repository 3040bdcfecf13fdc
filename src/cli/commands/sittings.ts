import { SittingSession } from '../../engine/sittings/sitting-session.js';
import { reportFinalized, reportProtocol, showProgress } from '../finalize-output.js';
import { loadConfig } from '../load-config.js';

/** `abk sittings`: every sitting in the database, newest first. */
export async function sittingsCommand(opts: { config?: string | undefined; json: boolean }): Promise<void> {
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
    await session.close();
  }
}

interface SittingCommand { config?: string | undefined; ref: string | undefined }

/** Run `work` on the named sitting with a session that is closed afterwards. */
async function onSitting(command: string, opts: SittingCommand, work: (session: SittingSession, ref: string) => Promise<void>): Promise<void> {
  if (!opts.ref) throw new Error(`name the sitting: abk ${command} ID|BASE ("abk sittings" lists them)`);
  const session = SittingSession.open(loadConfig(opts.config));
  try {
    await work(session, opts.ref);
  } finally {
    await session.close();
  }
}

/** `abk finalize SITTING`: make (or check) a sitting's files; after a crash, from its working folder. */
export function finalizeCommand(opts: SittingCommand): Promise<void> {
  return onSitting('finalize', opts, async (session, ref) => {
    const result = await session.finalize(ref, showProgress);
    await reportFinalized(result, true);
    process.stdout.write(`${result.dir}\n`);
  });
}

/** `abk protocol SITTING`: the short protocol made again from the finalized files and the current template. */
export function protocolCommand(opts: SittingCommand): Promise<void> {
  return onSitting('protocol', opts, async (session, ref) => reportProtocol({ ok: true, result: await session.protocol(ref) }));
}
