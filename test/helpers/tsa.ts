import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * A real RFC 3161 timestamp authority on loopback: a CA, a TSA certificate it
 * issued (extendedKeyUsage timeStamping, critical), and `openssl ts -reply`
 * behind an HTTP server (application/timestamp-query in, -reply out).
 * `down()` closes its port (connection refused), `up()` opens the same port again.
 */
export class TestTsa {
  readonly dir: string;
  /** The CA that issued the TSA's certificate: what a verifier trusts. */
  readonly caPem: string;
  url = '';
  private child: ChildProcess | undefined;
  private port = 0;

  private constructor(dir: string) {
    this.dir = dir;
    this.caPem = join(dir, 'ca.crt');
  }

  static async start(name = 'Test TSA'): Promise<TestTsa> {
    const t = new TestTsa(mkdtempSync(join(tmpdir(), 'abk-tsa-')));
    t.makeKeys(name);
    await t.up();
    return t;
  }

  private makeKeys(name: string): void {
    const d = this.dir;
    const o = (args: string[]): void => { execFileSync('openssl', args, { cwd: d, stdio: 'pipe' }); };
    o(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '30',
      '-subj', `/CN=${name} CA`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
    o(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'tsa.key', '-out', 'tsa.csr', '-subj', `/CN=${name}`]);
    writeFileSync(join(d, 'ext.cnf'), 'extendedKeyUsage=critical,timeStamping\nkeyUsage=critical,digitalSignature\nbasicConstraints=critical,CA:FALSE\n');
    o(['x509', '-req', '-in', 'tsa.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'tsa.crt', '-days', '30', '-extfile', 'ext.cnf']);
    writeFileSync(join(d, 'serial'), '01\n');
    writeFileSync(join(d, 'tsa.cnf'), [
      '[ tsa ]', 'default_tsa = tsa_config', '[ tsa_config ]', `dir = ${d}`, 'serial = $dir/serial', 'crypto_device = builtin',
      'signer_cert = $dir/tsa.crt', 'certs = $dir/ca.crt', 'signer_key = $dir/tsa.key', 'signer_digest = sha256',
      'default_policy = 1.2.3.4.1', 'digests = sha256, sha384, sha512', 'accuracy = secs:1', 'ordering = yes', 'tsa_name = yes',
      'ess_cert_id_chain = no', 'ess_cert_id_alg = sha256', '',
    ].join('\n'));
    mkdirSync(join(d, 'q'), { recursive: true });
  }

  /** How many timestamps it has issued (counted from its log). */
  get issued(): number {
    return existsSync(this.log) ? readFileSync(this.log, 'utf8').split('\n').filter((l) => l === 'issued').length : 0;
  }

  private get log(): string {
    return join(this.dir, 'issued.log');
  }

  /**
   * Its own process: the tests run the CLI with spawnSync, which blocks this
   * process's event loop, so a server in it could not answer.
   */
  up(): Promise<void> {
    const script = join(this.dir, 'server.mjs');
    writeFileSync(script, SERVER);
    const child = spawn(process.execPath, [script, String(this.port), join(this.dir, 'tsa.cnf'), join(this.dir, 'q'), this.log], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.child = child;
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the test TSA exited (${code})`)));
      createInterface({ input: child.stdout! }).once('line', (line) => {
        this.port = Number(line.trim());
        this.url = `http://127.0.0.1:${this.port}/tsa`;
        resolve();
      });
    });
  }

  /** The TSA is down: its port refuses connections. */
  down(): Promise<void> {
    const c = this.child;
    this.child = undefined;
    if (!c || c.exitCode !== null) return Promise.resolve();
    c.removeAllListeners('exit');
    return new Promise((resolve) => { c.once('exit', () => resolve()); c.kill('SIGKILL'); });
  }
}

/** The TSA's HTTP server: application/timestamp-query in, openssl ts -reply, application/timestamp-reply out. */
const SERVER = `
import { createServer } from 'node:http';
import { execFile } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const [port, config, qdir, log] = process.argv.slice(2);
let n = 0;
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('error', () => res.destroy());
  req.on('end', () => {
    if (req.method !== 'POST' || req.headers['content-type'] !== 'application/timestamp-query') { res.writeHead(400).end('a POST of application/timestamp-query'); return; }
    const q = join(qdir, String(++n) + '-' + Date.now() + '.tsq');
    writeFileSync(q, Buffer.concat(chunks));
    execFile('openssl', ['ts', '-reply', '-config', config, '-queryfile', q, '-out', q + '.tsr'], (err, _o, stderr) => {
      if (err) { res.writeHead(500).end(stderr); return; }
      appendFileSync(log, 'issued\\n');
      res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(readFileSync(q + '.tsr'));
    });
  });
});
server.listen(Number(port), '127.0.0.1', () => console.log(server.address().port));
`;
