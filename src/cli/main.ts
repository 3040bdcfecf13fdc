#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { fail } from './output.js';
import { devicesCommand } from './commands/devices.js';
import { recordCommand } from './commands/record.js';
import { demoCommand } from './commands/demo.js';
import { serveCommand } from './commands/serve.js';
import { passwordCommand } from './commands/password.js';
import { finalizeCommand, protocolCommand, sittingsCommand } from './commands/sittings.js';
import { replicateRun, replicateStatus, replicateTrust } from './commands/replicate.js';

const USAGE = `abk — ABK ABT courtroom recorder

  abk devices [--config FILE]                  list audio inputs (with channel counts) and cameras
  abk record --case NUMBER [--fields FILE] [--config FILE] [--seconds N]
                                               record the configured microphones and cameras until
                                               Ctrl+C or N seconds, then finalize; prints the sitting's folder
  abk sittings [--config FILE] [--json]        list the sittings in the database
  abk finalize ID|BASE [--config FILE]         make (again, or after a crash) a sitting's files and check them
  abk protocol ID|BASE [--config FILE]         make a finalized sitting's short protocol again (DOCX, PDF,
                                               JSON, XML), e.g. after fixing the court's template
  abk serve [--config FILE] [--port N] [--demo [--channels N] [--out DIR]]
                                               the engine and its API on 127.0.0.1; prints the UI's address
                                               with this launch's token; --demo serves the virtual courtroom
  abk replicate status [--config FILE] [--json]
                                               per server the copies verified and still to go, per sitting
                                               "n/n copies verified"; exit 1 while any copy is missing
  abk replicate run [--config FILE] [--reverify]
                                               copy every finished sitting to the servers now (with --reverify
                                               check the copies already there again); exit 1 if any is missing
  abk replicate trust SERVER [--config FILE] [--yes]
                                               show the server's SSH host key; with --yes pin it in the config
  abk password [--config FILE]                 set the IT password of the settings screen (read from stdin)
  abk demo [--seconds N] [--channels N] [--bit-depth 16|24] [--out DIR] [--case NUMBER] [--no-camera]
                                               a whole sitting on the virtual courtroom: record, marks,
                                               stop, finalize; prints the sitting's folder

Environment: ABK_CONFIG (configuration file), ABK_LANG (en, ru, kk),
ABK_CAPTURE_HOME (HOME whose .asoundrc defines extra ALSA inputs).`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    config: { type: 'string' },
    case: { type: 'string' },
    fields: { type: 'string' },
    seconds: { type: 'string' },
    channels: { type: 'string' },
    'bit-depth': { type: 'string' },
    out: { type: 'string' },
    port: { type: 'string' },
    demo: { type: 'boolean' },
    'no-camera': { type: 'boolean' },
    json: { type: 'boolean' },
    reverify: { type: 'boolean' },
    yes: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

const num = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) fail(new Error(`--${name} must be a positive number, not "${v}"`), 2);
  return n;
};

const command = positionals[0];
try {
  switch (command) {
    case 'devices':
      await devicesCommand({ config: values.config, json: values.json ?? false });
      break;
    case 'record':
      await recordCommand({ config: values.config, caseNumber: values.case, seconds: num('seconds', values.seconds), fields: values.fields });
      break;
    case 'sittings':
      sittingsCommand({ config: values.config, json: values.json ?? false });
      break;
    case 'finalize':
      await finalizeCommand({ config: values.config, ref: positionals[1] });
      break;
    case 'protocol':
      await protocolCommand({ config: values.config, ref: positionals[1] });
      break;
    case 'serve':
      await serveCommand({ config: values.config, port: num('port', values.port), demo: values.demo ?? false, channels: num('channels', values.channels) ?? 8, out: values.out });
      break;
    case 'replicate': {
      const o = { config: values.config, json: values.json ?? false, reverify: values.reverify ?? false, yes: values.yes ?? false };
      const sub = positionals[1];
      if (sub === 'trust') await replicateTrust(o, positionals[2]);
      else if (sub === 'status' || sub === 'run') process.exitCode = (sub === 'run' ? await replicateRun(o) : replicateStatus(o)) ? 0 : 1;
      else fail(new Error('abk replicate status|run|trust SERVER'), 2);
      break;
    }
    case 'password':
      await passwordCommand({ config: values.config });
      break;
    case 'demo':
      await demoCommand({
        seconds: num('seconds', values.seconds) ?? 20, channels: num('channels', values.channels) ?? 8,
        bitDepth: values['bit-depth'] === '16' ? 16 : 24, out: values.out, caseNumber: values.case ?? '7599-24-00-2/1234',
        camera: !values['no-camera'],
      });
      break;
    default:
      process.stdout.write(`${USAGE}\n`);
      process.exit(values.help || command === 'help' ? 0 : 2);
  }
} catch (e) {
  fail(e);
}
