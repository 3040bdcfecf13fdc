/**
 * The bare tool for bench:capture: naudiodon reading the same device with the
 * same options and throwing the data away. Prints its CPU seconds and bytes.
 * Usage (HOME must see the device): tsx scripts/bare-portaudio-read.ts DEVICE CHANNELS BITS SECONDS
 */
import naudiodon from 'naudiodon';

const [name, channels, bits, seconds] = process.argv.slice(2);
const dev = naudiodon.getDevices().find((d) => d.name === name && d.maxInputChannels > 0);
if (!dev) throw new Error(`no input ${name}`);
const frameBytes = Number(channels) * (Number(bits) / 8);
const io = naudiodon.AudioIO({
  inOptions: {
    deviceId: dev.id, channelCount: Number(channels), sampleRate: 48000, sampleFormat: Number(bits) as 16 | 24,
    framesPerBuffer: 1024, highwaterMark: frameBytes * 1024 * 4, maxQueue: 141, closeOnError: false,
  },
});
let bytes = 0;
let c0: NodeJS.CpuUsage | undefined;
io.on('data', (b: Buffer) => { bytes += b.length; c0 ??= process.cpuUsage(); });
io.start();
setTimeout(() => {
  const c = process.cpuUsage(c0);
  process.stderr.write(`${JSON.stringify({ cpuSeconds: (c.user + c.system) / 1e6, bytes })}\n`);
  process.exit(0); // naudiodon 2.3.6's abort() throws ("Quit expects 1 argument"); exiting closes the stream
}, Number(seconds) * 1000);
