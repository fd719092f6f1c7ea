/**
 * Which texts contain every word of a query, as substrings: the matching half of the product
 * search. What makes a keystroke cheap is what the last ones found: a query whose words each
 * contain a word of an earlier query ("arr" → "arro", "arroz" → "arroz 5") can only match texts
 * the earlier one matched, so the earlier answer is filtered rather than every text read again.
 * The answers of the last few queries are kept, so a deleted letter finds its answer ready; a
 * query with none to narrow reads only the texts holding its rarest character.
 *
 * (A token → texts index was tried and lost: with substring matching, the first letters of a
 * query are contained in most of the bench catalog's 16,600 distinct tokens, and collecting their
 * lists cost more than reading 10,000 texts once; it also doubled the build at log-in.)
 */
export interface MatchSets {
  /** Positions, ascending, of the texts that contain every word (words hold no white space). */
  matching(words: readonly string[]): Int32Array;
  /** Builds now what the first query would otherwise build (for a moment the screen is idle). */
  prepare(): void;
}

/** Queries remembered: a cashier's typing and deleting within one search. */
const REMEMBERED = 32;

export function matchSets(texts: readonly string[]): MatchSets {
  const everyText: Int32Array = Int32Array.from({ length: texts.length }, (_, i) => i);
  const answers = new Map<string, { words: readonly string[]; matches: Int32Array }>();

  // Per character (UTF-16 unit), the texts that contain it: a query with no earlier answer to
  // narrow starts from its rarest character's texts rather than from every text.
  let byChar: (Int32Array | undefined)[] | undefined;
  function charLists(): (Int32Array | undefined)[] {
    if (byChar) return byChar;
    const lists: (number[] | undefined)[] = [];
    texts.forEach((text, i) => {
      for (let k = 0; k < text.length; k += 1) {
        const code = text.charCodeAt(k);
        const list = lists[code];
        if (list === undefined) lists[code] = [i];
        else if (list[list.length - 1] !== i) list.push(i);
      }
    });
    byChar = lists.map((list) => (list === undefined ? undefined : Int32Array.from(list)));
    return byChar;
  }
  const none = new Int32Array(0);
  function rarestCharTexts(words: readonly string[]): Int32Array {
    const lists = charLists();
    let rarest: Int32Array = everyText;
    for (const word of words)
      for (let k = 0; k < word.length; k += 1) {
        const list = lists[word.charCodeAt(k)] ?? none;
        if (list.length < rarest.length) rarest = list;
      }
    return rarest;
  }

  return {
    prepare: () => void charLists(),
    matching(words) {
      const key = words.join(' ');
      const known = answers.get(key);
      if (known) {
        // Recently used: kept longest.
        answers.delete(key);
        answers.set(key, known);
        return known.matches;
      }
      // An earlier query each of whose words is part of one of these words matched a superset.
      let from: Int32Array = everyText;
      let already: readonly string[] = [];
      for (const earlier of answers.values())
        if (
          earlier.matches.length < from.length &&
          earlier.words.every((w) => words.some((word) => word.includes(w)))
        ) {
          from = earlier.matches;
          already = earlier.words;
        }
      if (from === everyText) from = rarestCharTexts(words);
      const needed = words.filter((word) => !already.includes(word));
      const found = new Int32Array(from.length);
      let size = 0;
      for (const i of from) {
        const text = texts[i] as string;
        if (needed.every((word) => text.includes(word))) found[size++] = i;
      }
      const matches = found.slice(0, size);
      remember(answers, key, { words: [...words], matches });
      return matches;
    },
  };
}

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.set(key, value);
  if (map.size > REMEMBERED) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
}
