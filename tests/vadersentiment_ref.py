#!/usr/bin/python3
"""vadersentiment_ref.py -- a reference for sentiment.new{rules =
"vadersentiment"}: the scoring of the vaderSentiment package 3.3.2,
re-written here in plain Python from the rules the package documents and
implements (its README and vaderSentiment/vaderSentiment.py), so that the
C code can be checked on many texts where PyPI (and so the package itself)
is out of reach.  It shares no code with the package and none with the
plugin: the plugin rebuilds Python's str.split() words from the tokenize
service's spans, this file just calls str.split().

Usage: vadersentiment_ref.py LEXICON EMOJI_TEST RECORDS [MAX_LISTED]

LEXICON is the default one (npm's vader-sentiment@1.1.3), read with the
entries where vaderSentiment's own file differs (SHIPPED below) on top.

RECORDS holds one record per text, "<origin>\\t<our compound>\\t<text>"
followed by a NUL byte.  Every text is scored here with LEXICON (VADER's
vader_lexicon.txt) and the emoji names of EMOJI_TEST (Unicode's
emoji-test.txt), and the compounds are compared: they "agree" when they
differ by at most 1e-9 (both do the same float operations in the same
order, so they should be equal).  Prints the agreement per origin, then
the disagreements.  Exits 0 when at least 99.9% agree, 1 otherwise.

The rules, as 3.3.2 applies them to a text:
  * each emoji of one code point becomes its Unicode name (emoji of Emoji
    11.0 or before, with 11.0's names), preceded by a space unless the
    text before it ends in " ";
  * words are the str.split() pieces; each loses the ASCII punctuation at
    both ends unless fewer than 3 characters would be left;
  * some words ALL CAPS but not all: a rated word in caps moves 0.733 away
    from 0, and so does a booster's 0.293;
  * boosters and dampeners (its list) score 0, and so does "kind" before
    "of"; each of the three words before a rated word that is itself
    unrated may boost it (x1, x0.95, x0.9 with distance) and negate it
    (x -0.74: a negation word or a word with "n't"); "never so/this" two
    words back x1.25, "so/this" one back or "never so/this" three back
    x1.25; "without doubt" spares the word; three words back, special
    cases replace the value and "kind of", "sort of", "just enough"
    dampen it; "least" just before negates unless after "at"/"very";
  * "no" before a rated word scores 0; a rated word one or two words after
    "no", or three with "or"/"nor" just before it, is its lexicon value
    x -0.74 (before the caps rule);
  * "but": for each position in turn, its current value v is rewritten at
    the first position whose value equals v (x0.5 before the first "but",
    x1.5 after);
  * the sum gets 0.292 per "!" (at most 4) and 0.18 per "?" (2 or 3; 0.96
    for more) away from 0; compound = sum / sqrt(sum^2 + 15), in [-1, 1].
"""
import math
import re
import string
import sys

TOLERANCE = 1e-9
REQUIRED = 0.999

NEGATIONS = set("""aint arent cannot cant couldnt darent didnt doesnt ain't
aren't can't couldn't daren't didn't doesn't dont hadnt hasnt havent isnt
mightnt mustnt neither don't hadn't hasn't haven't isn't mightn't mustn't
neednt needn't never none nope nor not nothing nowhere oughtnt shant
shouldnt uhuh wasnt werent oughtn't shan't shouldn't uh-uh wasn't weren't
without wont wouldnt won't wouldn't rarely seldom despite""".split())

UP = """absolutely amazingly awfully completely considerable considerably
decidedly deeply effing enormous enormously entirely especially exceptional
exceptionally extreme extremely fabulously flipping flippin frackin fracking
fricking frickin frigging friggin fully fuckin fucking fuggin fugging
greatly hella highly hugely incredible incredibly intensely major majorly
more most particularly purely quite really remarkably so substantially
thoroughly total totally tremendous tremendously uber unbelievably unusually
utter utterly very""".split()
DOWN = """almost barely hardly kinda kindof kind-of less little marginal
marginally occasional occasionally partly scarce scarcely slight slightly
somewhat sorta sortof sort-of""".split()
DOWN_PAIRS = ["just enough", "kind of", "sort of"]
SCALE = {w: 0.293 for w in UP}
SCALE.update({w: -0.293 for w in DOWN + DOWN_PAIRS})

SPECIAL = {"the shit": 3, "the bomb": 3, "bad ass": 1.5, "badass": 1.5,
           "bus stop": 0.0, "yeah right": -2, "kiss of death": -1.5,
           "to die for": 3, "beating heart": 3.1, "broken heart": -2.9}

# Emoji 11.0's names of the emoji renamed since (Unicode data).
RENAMED = {
    0x2611: "ballot box with check", 0x2705: "white heavy check mark",
    0x2714: "heavy check mark", 0x2716: "heavy multiplication x",
    0x2753: "question mark", 0x2757: "exclamation mark",
    0x2763: "heavy heart exclamation", 0x2795: "heavy plus sign",
    0x2796: "heavy minus sign", 0x2797: "heavy division sign",
    0x2B55: "heavy large circle", 0x1F392: "school backpack",
    0x1F3AF: "direct hit", 0x1F438: "frog face", 0x1F439: "hamster face",
    0x1F43A: "wolf face", 0x1F43B: "bear face", 0x1F43C: "panda face",
    0x1F46B: "man and woman holding hands", 0x1F46C: "two men holding hands",
    0x1F46D: "two women holding hands", 0x1F470: "bride with veil",
    0x1F471: "blond-haired person", 0x1F472: "man with Chinese cap",
    0x1F4A4: "zzz", 0x1F4BB: "laptop computer", 0x1F52B: "pistol",
    0x1F574: "man in suit levitating", 0x1F621: "pouting face",
    0x1F635: "dizzy face", 0x1F638: "grinning cat face with smiling eyes",
    0x1F639: "cat face with tears of joy", 0x1F63A: "grinning cat face",
    0x1F63B: "smiling cat face with heart-eyes",
    0x1F63C: "cat face with wry smile", 0x1F63D: "kissing cat face",
    0x1F63E: "pouting cat face", 0x1F63F: "crying cat face",
    0x1F640: "weary cat face", 0x1F916: "robot face",
    0x1F917: "hugging face", 0x1F935: "man in tuxedo",
    0x1F970: "smiling face with 3 hearts", 0x1F97F: "woman\u2019s flat shoe",
    0x1F981: "lion face", 0x1F984: "unicorn face", 0x1F98A: "fox face",
    0x1F9B0: "red-haired", 0x1F9B1: "curly-haired", 0x1F9B3: "white-haired",
    0x1F9D1: "adult", 0x1F9D3: "older adult", 0x1F9D4: "bearded person",
    0x1F9E9: "jigsaw", 0x1F9F1: "bricks",
}


# Entries of the lexicon vaderSentiment ships that differ from the npm
# vader-sentiment@1.1.3 file the build fetches (NLTK's).
SHIPPED = {"heart": 3.2, "hearts": 3.3, "flawed": -2.1, "badass": 1.4}


def read_lexicon(path):
    lex = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                word, value = line.split("\t")[:2]
                lex[word] = float(value)
    lex.update(SHIPPED)
    return lex


def read_emoji(path):
    names = {}
    pat = re.compile(r"^([0-9A-F]+)\s*;\s*[a-z-]+\s*#\s*\S+\s+E(\d+)\.(\d+)\s+(.*)$")
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = pat.match(line.strip())
            if m and (int(m.group(2)), int(m.group(3))) <= (11, 0):
                names[chr(int(m.group(1), 16))] = m.group(4)
    for cp, name in RENAMED.items():
        names[chr(cp)] = name
    return names


class Reference:
    def __init__(self, lexicon, emoji):
        self.lex = lexicon
        self.emoji = emoji

    def name_emoji(self, text):
        out, after_space = [], True
        for ch in text:
            name = self.emoji.get(ch)
            if name is None:
                out.append(ch)
                after_space = ch == " "
            else:
                out.append(name if after_space else " " + name)
                after_space = False
        return "".join(out).strip()

    @staticmethod
    def words(text):
        result = []
        for piece in text.split():
            core = piece.strip(string.punctuation)
            result.append(piece if len(core) < 3 else core)
        return result

    @staticmethod
    def negates(word):
        return word in NEGATIONS or "n't" in word

    def scalar(self, word, v, cap_diff):
        s = SCALE.get(word.lower(), 0.0)
        if s:
            if v < 0:
                s = -s
            if word.isupper() and cap_diff:
                s = s + 0.733 if v > 0 else s - 0.733
        return s

    def negation(self, v, low, k, i):
        back = low[i - k - 1]
        if k == 0:
            return v * -0.74 if self.negates(back) else v
        if k == 1:
            if low[i - 2] == "never" and low[i - 1] in ("so", "this"):
                return v * 1.25
            if low[i - 2] == "without" and low[i - 1] == "doubt":
                return v
            return v * -0.74 if self.negates(back) else v
        if ((low[i - 3] == "never" and low[i - 2] in ("so", "this"))
                or low[i - 1] in ("so", "this")):
            return v * 1.25
        if low[i - 3] == "without" and "doubt" in (low[i - 2], low[i - 1]):
            return v
        return v * -0.74 if self.negates(back) else v

    @staticmethod
    def special(v, low, i):
        j = " ".join
        back = [j(low[i - 1:i + 1]), j(low[i - 2:i + 1]), j(low[i - 2:i]),
                j(low[i - 3:i]), j(low[i - 3:i - 1])]
        for seq in back:
            if seq in SPECIAL:
                v = SPECIAL[seq]
                break
        if i + 1 < len(low) and j(low[i:i + 2]) in SPECIAL:
            v = SPECIAL[j(low[i:i + 2])]
        if i + 2 < len(low) and j(low[i:i + 3]) in SPECIAL:
            v = SPECIAL[j(low[i:i + 3])]
        for seq in (back[3], back[4], back[2]):
            if seq in SCALE:
                v = v + SCALE[seq]
        return v

    def valence(self, ws, low, i, cap_diff):
        lex = self.lex
        v = lex[low[i]]
        if low[i] == "no" and i + 1 < len(low) and low[i + 1] in lex:
            v = 0.0
        if ((i > 0 and low[i - 1] == "no") or (i > 1 and low[i - 2] == "no")
                or (i > 2 and low[i - 3] == "no" and low[i - 1] in ("or", "nor"))):
            v = lex[low[i]] * -0.74
        if ws[i].isupper() and cap_diff:
            v = v + 0.733 if v > 0 else v - 0.733
        for k in range(3):
            if i > k and low[i - k - 1] not in lex:
                s = self.scalar(ws[i - k - 1], v, cap_diff)
                if s and k == 1:
                    s = s * 0.95
                if s and k == 2:
                    s = s * 0.9
                v = v + s
                v = self.negation(v, low, k, i)
                if k == 2:
                    v = self.special(v, low, i)
        if i > 1 and low[i - 1] not in lex and low[i - 1] == "least":
            if low[i - 2] not in ("at", "very"):
                v = v * -0.74
        elif i > 0 and low[i - 1] not in lex and low[i - 1] == "least":
            v = v * -0.74
        return v

    @staticmethod
    def but_rule(vals, low):
        if "but" not in low:
            return vals
        bi = low.index("but")
        for pos in range(len(vals)):
            v = vals[pos]
            first = vals.index(v)
            if first < bi:
                vals[first] = v * 0.5
            elif first > bi:
                vals[first] = v * 1.5
        return vals

    def compound(self, text):
        text = self.name_emoji(text)
        ws = self.words(text)
        low = [w.lower() for w in ws]
        if not ws:
            return 0.0
        upper = sum(1 for w in ws if w.isupper())
        cap_diff = 0 < len(ws) - upper < len(ws)
        vals = []
        for i, w in enumerate(low):
            if w in SCALE or (i + 1 < len(low) and w == "kind"
                              and low[i + 1] == "of"):
                vals.append(0)
            elif w in self.lex:
                vals.append(self.valence(ws, low, i, cap_diff))
            else:
                vals.append(0)
        vals = self.but_rule(vals, low)
        total = float(sum(vals))
        amp = min(text.count("!"), 4) * 0.292
        q = text.count("?")
        if q > 1:
            amp += q * 0.18 if q <= 3 else 0.96
        if total > 0:
            total += amp
        elif total < 0:
            total -= amp
        c = total / math.sqrt(total * total + 15)
        return max(-1.0, min(1.0, c))


def main():
    lexicon, emoji_test, records = sys.argv[1:4]
    max_listed = int(sys.argv[4]) if len(sys.argv) > 4 else None
    ref = Reference(read_lexicon(lexicon), read_emoji(emoji_test))
    with open(records, "rb") as f:
        data = f.read()
    per, bad, total = {}, [], 0
    for rec in data.split(b"\0"):
        if not rec:
            continue
        origin, ours, text = rec.decode("utf-8", "surrogateescape").split("\t", 2)
        theirs = ref.compound(text)
        ok = abs(float(ours) - theirs) <= TOLERANCE
        n, good = per.get(origin, (0, 0))
        per[origin] = (n + 1, good + ok)
        total += 1
        if not ok:
            bad.append((origin, float(ours), theirs, text))
    for origin in sorted(per):
        n, good = per[origin]
        print(f"{origin}: {good}/{n} agree")
    share = (total - len(bad)) / total if total else 1.0
    print(f"total: {total - len(bad)}/{total} agree within {TOLERANCE} "
          f"({100.0 * share:.3f}%)")
    for k, (origin, ours, theirs, text) in enumerate(bad):
        if max_listed is not None and k >= max_listed:
            print(f"... and {len(bad) - k} more")
            break
        print(f"DIFF {origin} | ours {ours:.6f} | ref {theirs:.6f} | {text!r}")
    sys.exit(0 if share >= REQUIRED else 1)


if __name__ == "__main__":
    main()
