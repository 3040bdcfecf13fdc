#!/usr/bin/env node
import { fail } from './output.js';
import { oneOf, parseCommandArgs, positiveNumber, UsageError, type OptionSpec, type Value } from './args.js';
import { devicesCommand } from './commands/devices.js';
import { recordCommand } from './commands/record.js';
import { demoCommand } from './commands/demo.js';
import { engineCommand } from './commands/engine.js';
import { serveCommand } from './commands/serve.js';
import { passwordCommand } from './commands/password.js';
import { finalizeCommand, protocolCommand, sittingsCommand } from './commands/sittings.js';
import { replicateRun, replicateStatus, replicateTrust } from './commands/replicate.js';
import { verifyCommand } from './commands/verify.js';
import { initCommand } from './commands/init.js';
import { exportCommand, targetAfterTo } from './commands/export.js';

type Values = Record<string, Value>;
interface Command {
  usage: string;
  options: OptionSpec;
  /** How many positionals it takes. */
  positionals: number;
  hidden?: boolean;
  run(v: Values, p: string[]): Promise<void> | void;
}

const str = (v: Value): string | undefined => (typeof v === 'string' ? v : undefined);
const config = { config: { type: 'string' } } as const;

const COMMANDS: Record<string, Command> = {
  devices: {
    usage: 'abk devices [--config FILE] [--json]\n    list audio inputs (with channel counts and host API), cameras and the ffmpeg used',
    options: { ...config, json: { type: 'boolean' } }, positionals: 0,
    run: (v) => devicesCommand({ config: str(v.config), json: v.json === true }),
  },
  record: {
    usage: 'abk record --case NUMBER [--fields FILE] [--config FILE] [--seconds N]\n    record the configured microphones and cameras until Ctrl+C or N seconds, then finalize;\n    prints the sitting\'s folder',
    options: { ...config, case: { type: 'string' }, fields: { type: 'string' }, seconds: { type: 'string' } }, positionals: 0,
    run: (v) => {
      if (!str(v.case)) throw new UsageError('abk record: --case NUMBER is required: the files of the sitting are named after the case number; see "abk record --help"');
      return recordCommand({ config: str(v.config), caseNumber: str(v.case), seconds: positiveNumber('record', 'seconds', v.seconds), fields: str(v.fields) });
    },
  },
  sittings: {
    usage: 'abk sittings [--config FILE] [--json]\n    list the sittings in the database with their state',
    options: { ...config, json: { type: 'boolean' } }, positionals: 0,
    run: (v) => sittingsCommand({ config: str(v.config), json: v.json === true }),
  },
  finalize: {
    usage: 'abk finalize ID|BASE [--config FILE]\n    make (again, or after a crash) a sitting\'s files and check them',
    options: config, positionals: 1,
    run: (v, p) => finalizeCommand({ config: str(v.config), ref: needed('finalize', p[0], 'ID|BASE') }),
  },
  protocol: {
    usage: 'abk protocol ID|BASE [--config FILE]\n    make a finalized sitting\'s short protocol again (DOCX, PDF, JSON, XML)',
    options: config, positionals: 1,
    run: (v, p) => protocolCommand({ config: str(v.config), ref: needed('protocol', p[0], 'ID|BASE') }),
  },
  verify: {
    usage: 'abk verify PATH... [--trust PEM]... [--trust-tsa PEM]... [--config FILE] [--json] [--all]\n    check sitting packages (a sitting\'s folder, a recordings root, a copy) with nothing but the files:\n    each file ok, changed, truncated, missing, added or renamed, the manifest\'s seal and its timestamp;\n    with --trust (and the configuration\'s seal.trusted) the signer must chain to one of these, with\n    --trust-tsa (seal.trustedTsa) the timestamp\'s TSA; a PATH that is an ISO image, a drive or stdio:FILE\n    is read back whole and held to its medium index (abk export); exit 0 verified, 1 not, 3 nothing found',
    options: { ...config, json: { type: 'boolean' }, all: { type: 'boolean' }, trust: { type: 'string', multiple: true }, 'trust-tsa': { type: 'string', multiple: true } }, positionals: 1000,
    run: async (v, p) => { process.exitCode = await verifyCommand({ paths: p, json: v.json === true, all: v.all === true, trusted: Array.isArray(v.trust) ? v.trust : [],
      trustedTsa: Array.isArray(v['trust-tsa']) ? v['trust-tsa'] : [], config: str(v.config) }); },
  },
  export: {
    usage: 'abk export SITTING... --to iso FILE | --to disc DRIVE | --to folder DIR | --to fat IMAGE [--listening] [--disc-size cd|dvd|dvd-dl|bd|bd-dl|BYTES] [--config FILE] [--json]\n    write sittings of one case (ids, bases or folders) with the portable player: an ISO image, a disc\n    (/dev/sr0, or xorriso\'s stdio:FILE), a mounted USB stick\'s folder, or an unmounted FAT stick or\n    image (mtools); every file is read back from the medium and held to the sealed manifest, and the\n    copy is written in the audit log; --listening writes a listening copy instead (the mix, the A/V file,\n    the protocol, each microphone as MP3, the sealed manifest); a copy bigger than a disc (--disc-size, or\n    the blank disc in the drive) is spread over a set of discs, asking for each; exit 0 written and checked, 1 not',
    options: { ...config, json: { type: 'boolean' }, to: { type: 'string' }, listening: { type: 'boolean' }, 'disc-size': { type: 'string' } }, positionals: 1000,
    run: (v, p) => {
      const target = targetAfterTo(process.argv.slice(3), p);
      return exportCommand({ config: str(v.config), refs: target ? p.filter((x, i) => i !== p.indexOf(target)) : p, kind: str(v.to), target, json: v.json === true, listening: v.listening === true, discSize: str(v['disc-size']) });
    },
  },
  serve: {
    usage: 'abk serve [--config FILE] [--port N] [--demo [--channels N] [--out DIR]]\n    the engine and its API on 127.0.0.1, restarted if it dies; prints the UI\'s address with\n    this launch\'s token; --demo serves the virtual courtroom',
    options: { ...config, port: { type: 'string' }, demo: { type: 'boolean' }, channels: { type: 'string' }, out: { type: 'string' } }, positionals: 0,
    run: (v) => serveCommand({ config: str(v.config), port: positiveNumber('serve', 'port', v.port), demo: v.demo === true, channels: positiveNumber('serve', 'channels', v.channels) ?? 8, out: str(v.out) }),
  },
  engine: {
    usage: 'abk engine [--config FILE] [--port N]\n    the engine alone, as abk serve and the desktop app run it (token in ABK_API_TOKEN)',
    options: { ...config, port: { type: 'string' } }, positionals: 0, hidden: true,
    run: (v) => engineCommand({ config: str(v.config), port: positiveNumber('engine', 'port', v.port) }),
  },
  replicate: {
    usage: 'abk replicate status [--config FILE] [--json]\n    per server the copies verified and still to go; exit 1 while any copy is missing\nabk replicate run [--config FILE] [--reverify]\n    copy every finished sitting to the servers now; exit 1 if any is missing\nabk replicate trust SERVER [--config FILE] [--yes]\n    show the server\'s SSH host key; with --yes pin it in the config',
    options: { ...config, json: { type: 'boolean' }, reverify: { type: 'boolean' }, yes: { type: 'boolean' } }, positionals: 2,
    run: async (v, p) => {
      const o = { config: str(v.config), json: v.json === true, reverify: v.reverify === true, yes: v.yes === true };
      const sub = p[0];
      if (sub === 'trust') await replicateTrust(o, needed('replicate trust', p[1], 'SERVER'));
      else if (sub === 'status' || sub === 'run') process.exitCode = (sub === 'run' ? await replicateRun(o) : replicateStatus(o)) ? 0 : 1;
      else throw new UsageError(`abk replicate: say status, run or trust SERVER${sub ? `, not "${sub}"` : ''}; see "abk replicate --help"`);
    },
  },
  init: {
    usage: 'abk init [--config FILE]\n    first-run setup by questions on the terminal (or answers piped in, a line each), each step\n    checked as on the setup screen\nabk init --answers FILE [--password-stdin] [--config FILE]\n    first-run setup from an answer file: the same configuration the setup screen makes for the\n    same answers; refuses (writing nothing) a folder it cannot write, a seat map with a channel\n    or a seat twice, and audio inputs this PC does not have; never replaces a configuration\nabk init --export FILE [--config FILE]\n    this PC\'s set-up as an answer file: the template for the next courtroom',
    options: { ...config, answers: { type: 'string' }, export: { type: 'string' }, 'password-stdin': { type: 'boolean' } }, positionals: 0,
    run: (v) => initCommand({ config: str(v.config), answers: str(v.answers), exportTo: str(v.export), passwordStdin: v['password-stdin'] === true }),
  },
  password: {
    usage: 'abk password [--config FILE]\n    set the IT password of the settings screen (read from stdin)',
    options: config, positionals: 0,
    run: (v) => passwordCommand({ config: str(v.config) }),
  },
  demo: {
    usage: 'abk demo [--seconds N] [--channels N] [--bit-depth 16|24] [--out DIR] [--case NUMBER] [--no-camera]\n    a whole sitting on the virtual courtroom: record, marks, stop, finalize; prints its folder',
    options: { seconds: { type: 'string' }, channels: { type: 'string' }, 'bit-depth': { type: 'string' }, out: { type: 'string' }, case: { type: 'string' }, 'no-camera': { type: 'boolean' } }, positionals: 0,
    run: (v) => demoCommand({
      seconds: positiveNumber('demo', 'seconds', v.seconds) ?? 20, channels: positiveNumber('demo', 'channels', v.channels) ?? 8,
      bitDepth: oneOf('demo', 'bit-depth', v['bit-depth'], ['16', '24'] as const) === '16' ? 16 : 24, out: str(v.out),
      caseNumber: str(v.case) ?? '7599-24-00-2/1234', camera: v['no-camera'] !== true,
    }),
  },
};

function needed(command: string, value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`abk ${command}: ${what} is missing; see "abk ${command.split(' ')[0]} --help"`);
  return value;
}

const USAGE = `abk — ABK ABT courtroom recorder

${Object.values(COMMANDS).filter((c) => !c.hidden).map((c) => `  ${c.usage.split('\n').join('\n  ')}`).join('\n')}

  abk COMMAND --help   the usage of one command

Environment: ABK_CONFIG (configuration file), ABK_LANG (en, ru, kk),
ABK_CAPTURE_HOME (HOME whose .asoundrc defines extra ALSA inputs).
Exit codes: 0 done, 1 an error that prevented it, 2 bad arguments (see each command in the README).`;

// A reader that goes away (`abk demo | head -5`) must not end a recording: output stops, the work goes on.
for (const out of [process.stdout, process.stderr]) {
  out.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    out.write = (() => true) as typeof out.write;
  });
}

const [name, ...rest] = process.argv.slice(2);
const command = name ? COMMANDS[name] : undefined;
if (!command) {
  const asked = name === undefined || name === 'help' || name === '--help' || name === '-h';
  (asked ? process.stdout : process.stderr).write(`${asked ? '' : `abk: unknown command "${name}"\n\n`}${USAGE}\n`);
  process.exit(asked && name !== undefined ? 0 : 2);
}
try {
  const { values, positionals } = parseCommandArgs(name!, rest, command.options, command.positionals);
  if (values.help) process.stdout.write(`usage: ${command.usage}\n`);
  else await command.run(values, positionals);
} catch (e) {
  if (e instanceof UsageError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  }
  fail(e);
}
