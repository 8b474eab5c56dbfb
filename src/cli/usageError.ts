/** A mistake in what the user typed: reported on stderr, exit code 2, never a stack trace. */
export class UsageError extends Error {}

/** Echoed user text is cut to about this many characters: a 1 MB argument must not come back in full. */
const EXCERPT = 40;
/** Paths are shown whole up to this length (a real one rarely is longer), else by their end. */
const PATH_EXCERPT = 160;

/** At most `max` UTF-16 units of `text`, never ending in half a surrogate pair. */
function cut(text: string, max: number): string {
  return text.slice(0, max).replace(/[\uD800-\uDBFF]$/, '');
}

/** User text as a message quotes it: in quotes, its first ~40 characters and '…' when it is longer. */
export function quote(text: string): string {
  return `'${text.length > EXCERPT ? `${cut(text, EXCERPT)}…` : text}'`;
}

/** A path in a message: whole when of reasonable length, else '…' and its last characters (the file name). */
export function shownPath(path: string): string {
  return path.length > PATH_EXCERPT ? `…${path.slice(-EXCERPT).replace(/^[\uDC00-\uDFFF]/, '')}` : path;
}

/** Lines of one error message shown at most (a .cost file with thousands of mistakes lists the first ones). */
const MAX_LINES = 20;

/**
 * The message as printed: quoted spans longer than an excerpt are cut (the engine's messages quote names,
 * numbers and grids the user typed, at any length), and at most MAX_LINES lines.
 */
export function shortenMessage(message: string): string {
  const lines = message.split('\n').map((line) => line.replace(/'([^'\n]*)'/g, (_, inner: string) => quote(inner)));
  return lines.length > MAX_LINES
    ? [...lines.slice(0, MAX_LINES), `… and ${lines.length - MAX_LINES} more`].join('\n')
    : lines.join('\n');
}
