import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A real-time-paced multichannel sound card without hardware: a PulseAudio
 * daemon of our own with one null sink per format, whose monitor is exposed to
 * ALSA (and so to PortAudio) as a PCM named like the sink. Bit-exact when the
 * sink's channel map is in ALSA order, so the pulse plugin does not remap.
 */
const ALSA_ORDER = ['front-left', 'front-right', 'rear-left', 'rear-right', 'front-center', 'lfe', 'side-left', 'side-right'];

export function alsaChannelMap(channels: number): string {
  const aux = Array.from({ length: Math.max(0, channels - ALSA_ORDER.length) }, (_, i) => `aux${i}`);
  return [...ALSA_ORDER, ...aux].slice(0, channels).join(',');
}

export interface VirtualSink { name: string; channels: number; bitDepth: 16 | 24 }

export const sinkName = (channels: number, bitDepth: 16 | 24): string => `abk_${channels}ch_s${bitDepth}`;

export class PulseSoundCard {
  /** HOME to give the capture process: it holds the `.asoundrc` naming our PCMs. */
  readonly alsaHome: string;
  private readonly runtimeDir: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly sinks: VirtualSink[] = [];
  private readonly players = new Set<ChildProcess>();

  constructor(readonly stateDir: string) {
    this.alsaHome = join(stateDir, 'home');
    this.runtimeDir = join(stateDir, 'run');
    this.env = { ...process.env, XDG_RUNTIME_DIR: this.runtimeDir, HOME: this.alsaHome, PULSE_RUNTIME_PATH: join(this.runtimeDir, 'pulse') };
  }

  get socket(): string {
    return join(this.runtimeDir, 'pulse', 'native');
  }

  private pactl(...args: string[]): Promise<{ stdout: string }> {
    return run('pactl', args, { env: this.env });
  }

  /** Start our PulseAudio (or reuse the one already running in `stateDir`). */
  async start(): Promise<void> {
    mkdirSync(this.alsaHome, { recursive: true });
    mkdirSync(this.runtimeDir, { recursive: true, mode: 0o700 });
    if (await this.pactl('info').then(() => true, () => false)) return;
    await run('pulseaudio', [
      '--daemonize=yes', '--exit-idle-time=-1', '--disallow-exit', '-n',
      '--load=module-native-protocol-unix', `--log-target=file:${join(this.stateDir, 'pulseaudio.log')}`,
    ], { env: this.env });
    for (let i = 0; i < 50; i++) {
      if (await this.pactl('info').then(() => true, () => false)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`PulseAudio did not start; see ${join(this.stateDir, 'pulseaudio.log')}`);
  }

  /** Create (once) a null sink with `channels` channels and expose its monitor to ALSA. */
  async addSink(channels: number, bitDepth: 16 | 24): Promise<VirtualSink> {
    const name = sinkName(channels, bitDepth);
    const { stdout } = await this.pactl('list', 'short', 'sinks');
    if (!stdout.split('\n').some((l) => l.split('\t')[1] === name)) {
      await this.pactl('load-module', 'module-null-sink', `sink_name=${name}`, `format=s${bitDepth}le`, 'rate=48000',
        `channels=${channels}`, `channel_map=${alsaChannelMap(channels)}`);
    }
    const sink = { name, channels, bitDepth };
    if (!this.sinks.some((s) => s.name === name)) this.sinks.push(sink);
    this.writeAsoundrc();
    return sink;
  }

  private writeAsoundrc(): void {
    const pcms = this.sinks.map((s) =>
      `pcm.${s.name} {\n  type pulse\n  device "${s.name}.monitor"\n  server "unix:${this.socket}"\n  hint { show on description "ABK virtual courtroom, ${s.channels} microphones, ${s.bitDepth}-bit" }\n}\n`);
    writeFileSync(join(this.alsaHome, '.asoundrc'), pcms.join('\n'));
  }

  /** Play a multichannel WAV into a sink, paced in real time; resolves when it ends. */
  play(sink: VirtualSink, wavPath: string, opts: { latencyMs?: number } = {}): { done: Promise<void>; stop: () => void } {
    if (!existsSync(wavPath)) throw new Error(`no such file ${wavPath}`);
    const latency = opts.latencyMs !== undefined ? [`--latency-msec=${opts.latencyMs}`] : [];
    const child = spawn('paplay', [`--device=${sink.name}`, `--channel-map=${alsaChannelMap(sink.channels)}`, ...latency, wavPath], { env: this.env, stdio: 'ignore' });
    this.players.add(child);
    const done = new Promise<void>((resolve, reject) => {
      child.on('exit', (code, signal) => {
        this.players.delete(child);
        if (code === 0 || signal === 'SIGTERM') resolve();
        else reject(new Error(`paplay ${wavPath} exited with ${code ?? signal}`));
      });
    });
    return { done, stop: () => child.kill('SIGTERM') };
  }

  /**
   * Set each channel's volume of a sink (percent; 100 is as played): 0
   * silences one microphone's channel to digital zero, as an unplugged cable
   * on a digital mixer does, and several hundred makes it clip.
   */
  async channelVolumes(sink: VirtualSink, percents: number[]): Promise<void> {
    if (percents.length !== sink.channels) throw new RangeError(`${sink.name} has ${sink.channels} channels, ${percents.length} volumes given`);
    await this.pactl('set-sink-volume', sink.name, ...percents.map((p) => `${Math.round(p)}%`));
  }

  /** Remove a sink, as if the sound card were unplugged. */
  async unplug(sink: VirtualSink): Promise<void> {
    const { stdout } = await this.pactl('list', 'short', 'modules');
    const line = stdout.split('\n').find((l) => l.includes('module-null-sink') && l.includes(`sink_name=${sink.name}`));
    if (line) await this.pactl('unload-module', line.split('\t')[0]!);
  }

  async stopPlayers(): Promise<void> {
    for (const p of this.players) p.kill('SIGTERM');
  }

  /**
   * Stop the daemon (tests call this; the demo leaves it for the next run):
   * ask it to quit, wait for it to be gone, and kill it if it is not.
   */
  async shutdown(): Promise<void> {
    await this.stopPlayers();
    let pid: number | undefined;
    try {
      pid = Number(readFileSync(join(this.runtimeDir, 'pulse', 'pid'), 'utf8').trim()) || undefined;
    } catch {
      pid = undefined;
    }
    await run('pulseaudio', ['--kill'], { env: this.env }).catch(() => undefined);
    if (pid === undefined) return;
    const alive = (): boolean => { try { process.kill(pid, 0); return true; } catch { return false; } };
    for (let i = 0; i < 20 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
    if (alive()) process.kill(pid, 'SIGKILL');
  }
}
