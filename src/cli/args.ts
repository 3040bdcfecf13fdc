import { parseArgs, type ParseArgsConfig } from 'node:util';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;
/** A flag's value: a string, a switch, or every value of a flag given more than once (`multiple: true`). */
export type Value = string | boolean | string[] | undefined;

/** Bad arguments: the message names the flag or value and points to the command's help; the CLI exits 2. */
export class UsageError extends Error {}

/**
 * One command's arguments, strictly: an unknown flag, a flag without its
 * value, a value given to a switch, or too many positionals is refused by name.
 */
export function parseCommandArgs(command: string, argv: string[], options: OptionSpec, maxPositionals: number): { values: Record<string, Value>; positionals: string[] } {
  const help = `see "abk ${command} --help"`;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (e) {
    const err = e as Error & { code?: string };
    const flag = /'([^']+)'/.exec(err.message)?.[1];
    if (err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`abk ${command}: unknown option ${flag ?? err.message}; ${help}`);
    if (err.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(`abk ${command}: ${err.message.replace(/^Option /, 'option ')}; ${help}`);
    throw new UsageError(`abk ${command}: ${err.message}; ${help}`);
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`abk ${command}: unexpected argument "${parsed.positionals[maxPositionals]}"; ${help}`);
  }
  return { values: parsed.values as Record<string, Value>, positionals: parsed.positionals };
}

/** A positive number flag: missing is undefined, anything else but a positive number is refused by name. */
export function positiveNumber(command: string, name: string, v: Value): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n) || n <= 0) throw new UsageError(`abk ${command}: --${name} must be a positive number, not "${String(v)}"; see "abk ${command} --help"`);
  return n;
}

/** A flag that takes one of a few values. */
export function oneOf<T extends string>(command: string, name: string, v: Value, allowed: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) throw new UsageError(`abk ${command}: --${name} must be ${allowed.join(' or ')}, not "${String(v)}"; see "abk ${command} --help"`);
  return v as T;
}
