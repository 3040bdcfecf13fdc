import { execFileSync } from 'node:child_process';

/** Every descendant of `pid` (children, their children, …), found through /proc via ps. */
export function descendants(pid: number): number[] {
  const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  const children = new Map<number, number[]>();
  for (const line of out.trim().split('\n')) {
    const [p, pp] = line.trim().split(/\s+/).map(Number) as [number, number];
    children.set(pp, [...(children.get(pp) ?? []), p]);
  }
  const all: number[] = [];
  const walk = (p: number): void => { for (const c of children.get(p) ?? []) { all.push(c); walk(c); } };
  walk(pid);
  return all;
}

/** kill -9 of a whole process tree at once, as a power cut would stop it (near enough). */
export function killTree(pid: number): number[] {
  const tree = [pid, ...descendants(pid)];
  for (const p of tree) {
    try { process.kill(p, 'SIGKILL'); } catch { /* already gone */ }
  }
  return tree;
}
