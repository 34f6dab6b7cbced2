/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]!
}

/** Up to `limit` candidates: those containing the query first, then the nearest by edit distance. */
export function closestMatches(query: string, candidates: string[], limit = 3): string[] {
  const q = query.toLowerCase()
  const scored = candidates.map((c) => ({c, score: c.includes(q) ? -1 : editDistance(q, c)}))
  const best = scored.filter((s) => s.score < 0 || s.score <= Math.max(3, Math.floor(q.length / 2)))
  return best.sort((x, y) => x.score - y.score || x.c.localeCompare(y.c)).slice(0, limit).map((s) => s.c)
}
