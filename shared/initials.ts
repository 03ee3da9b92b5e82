// Avatar initials: first letters of the first and last words of the name, else of the username's
// local part. Works on code points so "Émilie Zoë" → "ÉZ" and a surrogate pair is not split.

function firstLetter(word: string): string {
  const match = /\p{L}|\p{N}/u.exec(word);
  return match ? match[0].toLocaleUpperCase() : '';
}

export function initials(name: string | undefined, username?: string): string {
  const words = (name ?? '').trim().split(/\s+/).filter((w) => /\p{L}|\p{N}/u.test(w));
  if (words.length >= 2) return firstLetter(words[0]!) + firstLetter(words[words.length - 1]!);
  if (words.length === 1) return firstLetter(words[0]!);
  const local = (username ?? '').split('@')[0] ?? '';
  const parts = local.split(/[._-]+/).filter((p) => /\p{L}|\p{N}/u.test(p));
  if (parts.length >= 2) return firstLetter(parts[0]!) + firstLetter(parts[parts.length - 1]!);
  if (parts.length === 1) return firstLetter(parts[0]!);
  return '?';
}
