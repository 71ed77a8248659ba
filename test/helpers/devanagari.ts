/** Share of letters in Devanagari once names are taken out: URLs, paths, endpoint and metric names. */
export function devanagariShare(prose: string): { share: number; latin: string[] } {
  const words = prose.replace(/https?:\/\/\S+/g, ' ').replace(/\b(GET|POST|PUT|PATCH|DELETE)\s+\S+/g, ' ')
    .replace(/\S*\/\S*/g, ' ').replace(/\b[a-z]+(_[a-z0-9]+)+\b/g, ' ');
  const letters = [...words].filter((c) => /\p{L}/u.test(c));
  const dev = letters.filter((c) => /[\u0900-\u097F]/.test(c)).length;
  return { share: letters.length ? dev / letters.length : 0, latin: words.match(/[A-Za-z]{2,}/g) ?? [] };
}
