import type { FinalizeProgress } from '../engine/finalize/finalize.js';
import type { ProtocolOutcome, SittingFinalized } from '../engine/sittings/sitting-session.js';
import { messageOf } from './output.js';

/** Progress on stderr: one line that rewrites itself in a terminal, plain lines otherwise. */
export function showProgress(p: FinalizeProgress): void {
  const eta = p.etaMs !== undefined ? `, ${Math.ceil(p.etaMs / 1000)} s left` : '';
  const line = `finalizing: ${p.step} ${p.percent}%${eta}`;
  process.stderr.write(process.stderr.isTTY ? `\r${line.padEnd(60)}${p.step === 'done' ? '\n' : ''}` : `${line}\n`);
}

export async function reportFinalized(r: SittingFinalized, waitForCheck: boolean): Promise<void> {
  process.stderr.write(r.alreadyFinalized ? `already finalized: nothing changed\n`
    : `${r.manifest.files.length} files ready${r.liveMix ? '' : ' (the mix was made from the microphone files)'}\n`);
  for (const f of r.manifest.files) process.stderr.write(`  ${f.name}  ${f.bytes} bytes  md5 ${f.md5}\n`);
  if (r.sealError) reportUnsealed(r.sealError);
  if (r.chainFindings) {
    // the recording was changed after it was recorded: the files are made from what is left, and this is not a clean result
    for (const f of r.chainFindings) process.stderr.write(`segment chain: ${f.status.toUpperCase()} ${f.name}: ${f.detail}\n`);
    process.exitCode = 3;
  }
  if (r.stampError && !r.protocol?.ok) reportUnstamped(r.stampError, r.manifest.base); // a protocol made after it is the current revision
  if (r.protocol) reportProtocol(r.protocol);
  if (waitForCheck) {
    const v = await r.verified;
    process.stderr.write(v.ok ? 'read-back check: every file matches its MD5 and SHA-256\n' : `read-back check FAILED for: ${v.mismatched.join(', ')}\n`);
    if (!v.ok) process.exitCode = 3;
  }
}

/** The protocol's files, or why it (or its PDF) could not be made: the recording is complete either way. */
export function reportProtocol(p: ProtocolOutcome): void {
  if (!p.ok) {
    process.stderr.write(`protocol NOT made: ${messageOf(p.error)}\n`);
    process.exitCode = 4;
    return;
  }
  for (const f of p.result.files) process.stderr.write(`  ${f.name}  ${f.bytes} bytes  md5 ${f.md5}\n`);
  process.stderr.write(`protocol from ${p.result.template}\n`);
  if (p.result.sealError) reportUnsealed(p.result.sealError);
  if (p.result.stampError) reportUnstamped(p.result.stampError, undefined);
  if (!p.result.pdf.ok) {
    process.stderr.write(`protocol PDF NOT made: ${messageOf(p.result.pdf.error)}\n`);
    process.exitCode = 4;
  }
}

/** The files are complete but their manifest carries no seal: told, and exit code 4 like a protocol not made. */
function reportUnsealed(e: Error): void {
  process.stderr.write(`manifest NOT sealed: ${messageOf(e)}\n`);
  process.exitCode = 4;
}

/** Sealed, but the TSA gave no timestamp: a warning (the seal stands), with how it is added later. */
function reportUnstamped(why: string, base: string | undefined): void {
  process.stderr.write(`seal NOT timestamped: ${why}; the engine adds the timestamp when the server answers, or run "abk finalize ${base ?? 'SITTING'}" then\n`);
}
