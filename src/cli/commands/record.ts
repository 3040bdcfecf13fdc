import { SittingSession } from '../../engine/sittings/sitting-session.js';
import { reportFinalized, showProgress } from '../finalize-output.js';
import { say } from '../output.js';
import { captureEnvFromProcess, loadConfig } from '../load-config.js';
import { printSummary, runUntilStopped } from '../record-session.js';
import { recordFields } from '../sitting-fields.js';

/** `abk record`: the configured courtroom until Ctrl+C or --seconds, then finalize; prints the sitting's folder. */
export async function recordCommand(opts: { config?: string | undefined; caseNumber?: string | undefined; seconds?: number | undefined; fields?: string | undefined }): Promise<void> {
  const config = loadConfig(opts.config);
  const session = SittingSession.open(config);
  try {
    // a sitting an earlier run left recording (killed, or the power went) is finished first, from what it recorded
    for (const r of await session.recoverUnfinished((n) => process.stderr.write(`${say(n)}\n`))) process.stderr.write(`recovered: ${r.dir}\n`);
    session.create(recordFields(opts.caseNumber ?? '', opts.fields));
    const rec = await session.start({ captureEnv: captureEnvFromProcess() });
    process.stderr.write(`recording to ${rec.dir}${opts.seconds ? ` for ${opts.seconds} s` : ''}; press Ctrl+C to stop\n`);
    printSummary(await runUntilStopped(rec, opts.seconds));
    const { result } = await session.stop(showProgress);
    await reportFinalized(result, true);
    process.stdout.write(`${result.dir}\n`);
  } finally {
    await session.close();
  }
}
