/**
 * The bare tool for bench:capture: naudiodon reading the same device with the
 * same options (input-options.ts) and throwing the data away. Prints its CPU seconds and bytes.
 * Usage (HOME must see the device): tsx scripts/bare-portaudio-read.ts DEVICE CHANNELS BITS SECONDS
 */
import naudiodon from 'naudiodon';
import { inputOptions } from '../src/capture/audio/input-options.js';

const [name, channels, bits, seconds] = process.argv.slice(2);
const dev = naudiodon.getDevices().find((d) => d.name === name && d.maxInputChannels > 0);
if (!dev) throw new Error(`no input ${name}`);
const io = naudiodon.AudioIO({ inOptions: inputOptions(dev.id, Number(channels), 48000, Number(bits) as 16 | 24) });
let bytes = 0;
let c0: NodeJS.CpuUsage | undefined;
io.on('data', (b: Buffer) => { bytes += b.length; c0 ??= process.cpuUsage(); });
io.start();
setTimeout(() => {
  const c = process.cpuUsage(c0);
  process.stderr.write(`${JSON.stringify({ cpuSeconds: (c.user + c.system) / 1e6, bytes })}\n`);
  process.exit(0); // naudiodon 2.3.6's abort() throws ("Quit expects 1 argument"); exiting closes the stream
}, Number(seconds) * 1000);
