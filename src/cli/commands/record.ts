import { SittingRecorder } from '../../engine/recorder/sitting-recorder.js';
import { captureEnvFromProcess, loadConfig } from '../load-config.js';
import { printSummary, runUntilStopped } from '../record-session.js';

/** `abk record`: the configured courtroom until Ctrl+C or --seconds; prints the sitting folder. */
export async function recordCommand(opts: { config?: string | undefined; caseNumber?: string | undefined; seconds?: number | undefined }): Promise<void> {
  if (!opts.caseNumber) throw new Error('--case NUMBER is required: the files of the sitting are named after the case number');
  const config = loadConfig(opts.config);
  const rec = new SittingRecorder({ config, caseNumber: opts.caseNumber, captureEnv: captureEnvFromProcess() });
  await rec.start();
  process.stderr.write(`recording to ${rec.dir}${opts.seconds ? ` for ${opts.seconds} s` : ''}; press Ctrl+C to stop\n`);
  const summary = await runUntilStopped(rec, opts.seconds);
  printSummary(summary);
  process.stdout.write(`${rec.dir}\n`);
}
