/** Command-line helpers shared by the bench's entry points. */

/**
 * `--nice -5` → `--nice=-5`: node:util's parseArgs takes a value that starts with a dash for
 * another option and refuses it, but a negative nice value is the common case on a shared machine.
 */
export function joinNegativeValues(args: string[], options: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    if (options.includes(arg) && next !== undefined && /^-\d+$/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}
