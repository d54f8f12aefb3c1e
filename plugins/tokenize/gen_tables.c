/*
** gen_tables.c -- writes tok_tables.c from the Unicode Character Database.
**
**   cc -O2 -I. gen_tables.c -o gen_tables
**   ./gen_tables /usr/share/unicode > tok_tables.c
**
** Reads, under the given directory (Debian's unicode-data layout):
**   UnicodeData.txt                       General_Category
**   auxiliary/WordBreakProperty.txt       Word_Break
**   auxiliary/SentenceBreakProperty.txt   Sentence_Break
**   emoji/emoji-data.txt                  Extended_Pictographic,
**                                         Emoji_Presentation
**   LineBreak.txt                         Line_Break=SA (Complex_Context)
**   PropList.txt                          Ideographic
**   Scripts.txt                           Script=Hiragana
**
** The output is committed; the build never runs this program.  Run it again
** (and the conformance tests) when moving to a new Unicode version.  The
** record layout is described in tok_tables.h, which this file includes so
** that the enum values cannot drift apart.
*/
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tok_tables.h"

#define NCP 0x110000

static unsigned char wb[NCP], sb[NCP], gc[NCP], sc[NCP];
static unsigned char extpict[NCP], epres[NCP];
static char version[64] = "unknown";

static void die(const char *msg, const char *arg) {
  fprintf(stderr, "gen_tables: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
  exit(1);
}

static FILE *open_ucd(const char *dir, const char *name) {
  char path[4096];
  FILE *f;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  f = fopen(path, "r");
  if (!f) die("cannot open", path);
  return f;
}

static char *trim(char *s) {
  char *e;
  while (isspace((unsigned char)*s)) s++;
  e = s + strlen(s);
  while (e > s && isspace((unsigned char)e[-1])) *--e = '\0';
  return s;
}

/* Parse "XXXX" or "XXXX..YYYY" into [*lo, *hi]. */
static void parse_range(const char *s, unsigned long *lo, unsigned long *hi) {
  char *end;
  *lo = strtoul(s, &end, 16);
  *hi = *lo;
  if (end[0] == '.' && end[1] == '.') *hi = strtoul(end + 2, NULL, 16);
  if (*lo > *hi || *hi >= NCP) die("bad code point range", s);
}

/* Calls set(lo, hi, value) for every "range ; value [; ...] # comment" line
** of a UCD property file.  The first comment line names the version. */
static void read_prop_file(const char *dir, const char *name,
                           void (*set)(unsigned long, unsigned long,
                                       const char *)) {
  FILE *f = open_ucd(dir, name);
  char line[1024];
  while (fgets(line, sizeof line, f)) {
    char *hash = strchr(line, '#'), *semi, *val, *semi2;
    unsigned long lo, hi;
    if (hash) *hash = '\0';
    semi = strchr(line, ';');
    if (!semi) continue;
    *semi = '\0';
    val = semi + 1;
    semi2 = strchr(val, ';');
    if (semi2) *semi2 = '\0';
    parse_range(trim(line), &lo, &hi);
    set(lo, hi, trim(val));
  }
  fclose(f);
}

static const char *const wb_names[TOK_WB__COUNT] = {
  "Other", "CR", "LF", "Newline", "Extend", "ZWJ", "Regional_Indicator",
  "Format", "Katakana", "Hebrew_Letter", "ALetter", "Single_Quote",
  "Double_Quote", "MidNumLet", "MidLetter", "MidNum", "Numeric",
  "ExtendNumLet", "WSegSpace"
};

static const char *const sb_names[TOK_SB__COUNT] = {
  "Other", "CR", "LF", "Extend", "Sep", "Format", "Sp", "Lower", "Upper",
  "OLetter", "Numeric", "ATerm", "STerm", "Close", "SContinue"
};

static int lookup(const char *const *names, int n, const char *v) {
  int i;
  for (i = 0; i < n; i++)
    if (strcmp(names[i], v) == 0) return i;
  die("unknown property value", v);
  return 0;
}

static void set_wb(unsigned long lo, unsigned long hi, const char *v) {
  int x = lookup(wb_names, TOK_WB__COUNT, v);
  for (; lo <= hi; lo++) wb[lo] = (unsigned char)x;
}

static void set_sb(unsigned long lo, unsigned long hi, const char *v) {
  int x = lookup(sb_names, TOK_SB__COUNT, v);
  for (; lo <= hi; lo++) sb[lo] = (unsigned char)x;
}

static void set_emoji(unsigned long lo, unsigned long hi, const char *v) {
  unsigned char *t = NULL;
  if (strcmp(v, "Extended_Pictographic") == 0) t = extpict;
  else if (strcmp(v, "Emoji_Presentation") == 0) t = epres;
  if (t)
    for (; lo <= hi; lo++) t[lo] = 1;
}

static void set_sa(unsigned long lo, unsigned long hi, const char *v) {
  if (strcmp(v, "SA") == 0)
    for (; lo <= hi; lo++) sc[lo] = TOK_SC_SA;
}

static void set_ideo(unsigned long lo, unsigned long hi, const char *v) {
  if (strcmp(v, "Ideographic") == 0)
    for (; lo <= hi; lo++) sc[lo] = TOK_SC_IDEO;
}

static void set_kana(unsigned long lo, unsigned long hi, const char *v) {
  if (strcmp(v, "Hiragana") == 0)
    for (; lo <= hi; lo++) sc[lo] = TOK_SC_KANA;
}

static int gc_class(const char *g) {
  switch (g[0]) {
    case 'L': return (g[1] == 'u' || g[1] == 't') ? TOK_GC_UPPER
                   : g[1] == 'l' ? TOK_GC_LOWER : TOK_GC_LETTER;
    case 'M': return TOK_GC_MARK;
    case 'N': return TOK_GC_NUMBER;
    case 'P': return TOK_GC_PUNCT;
    case 'S': return TOK_GC_SYMBOL;
    default: return TOK_GC_OTHER;
  }
}

/* UnicodeData.txt: "cp;name;gc;..." with <..., First>/<..., Last> pairs. */
static void read_unicode_data(const char *dir) {
  FILE *f = open_ucd(dir, "UnicodeData.txt");
  char line[1024];
  unsigned long first = 0;
  while (fgets(line, sizeof line, f)) {
    char *name = strchr(line, ';'), *cat, *end;
    unsigned long cp;
    int g;
    if (!name) continue;
    *name++ = '\0';
    cat = strchr(name, ';');
    if (!cat) die("bad UnicodeData line", line);
    *cat++ = '\0';
    end = strchr(cat, ';');
    if (end) *end = '\0';
    cp = strtoul(line, NULL, 16);
    if (cp >= NCP) die("bad code point", line);
    g = gc_class(cat);
    if (strstr(name, ", First>")) { first = cp; continue; }
    if (strstr(name, ", Last>")) {
      for (; first <= cp; first++) gc[first] = (unsigned char)g;
      continue;
    }
    gc[cp] = (unsigned char)g;
  }
  fclose(f);
}

static void read_version(const char *dir) {
  FILE *f = open_ucd(dir, "auxiliary/WordBreakProperty.txt");
  char line[256];
  if (fgets(line, sizeof line, f)) {
    char *v = strstr(line, "WordBreakProperty-");
    if (v) {
      char *dot;
      snprintf(version, sizeof version, "%s", v + strlen("WordBreakProperty-"));
      dot = strstr(version, ".txt");
      if (dot) *dot = '\0';
    }
  }
  fclose(f);
}

int main(int argc, char **argv) {
  static uint16_t rec[NCP];
  static uint16_t stage1[NCP >> TOK_SHIFT];
  static uint16_t blocks[NCP];             /* unique blocks, concatenated */
  const char *dir = argc > 1 ? argv[1] : "/usr/share/unicode";
  unsigned long cp, b, nblocks = 0, i;

  read_version(dir);
  read_unicode_data(dir);
  read_prop_file(dir, "auxiliary/WordBreakProperty.txt", set_wb);
  read_prop_file(dir, "auxiliary/SentenceBreakProperty.txt", set_sb);
  read_prop_file(dir, "emoji/emoji-data.txt", set_emoji);
  read_prop_file(dir, "LineBreak.txt", set_sa);
  read_prop_file(dir, "Scripts.txt", set_kana);
  read_prop_file(dir, "PropList.txt", set_ideo);

  for (cp = 0; cp < NCP; cp++)
    rec[cp] = TOK_P_MAKE(wb[cp], sb[cp], extpict[cp], gc[cp], sc[cp],
                         epres[cp]);
  for (b = 0; b < (NCP >> TOK_SHIFT); b++) {
    const uint16_t *blk = rec + b * TOK_BLOCK;
    for (i = 0; i < nblocks; i++)
      if (memcmp(blocks + i * TOK_BLOCK, blk, TOK_BLOCK * sizeof *blk) == 0)
        break;
    if (i == nblocks) {
      memcpy(blocks + nblocks * TOK_BLOCK, blk, TOK_BLOCK * sizeof *blk);
      nblocks++;
    }
    stage1[b] = (uint16_t)i;
  }

  printf("/*\n"
         "** tok_tables.c -- GENERATED by gen_tables.c; do not edit.\n"
         "**\n"
         "** Character properties for the tokenizer (layout: tok_tables.h),\n"
         "** derived from the Unicode Character Database, version %s:\n"
         "** UnicodeData.txt, WordBreakProperty.txt, SentenceBreakProperty.txt,\n"
         "** emoji-data.txt, LineBreak.txt, PropList.txt and Scripts.txt.\n"
         "**\n"
         "** Copyright (c) 1991-2022 Unicode, Inc.  The data is distributed\n"
         "** under the Unicode License (https://www.unicode.org/license.txt),\n"
         "** see https://www.unicode.org/terms_of_use.html.\n"
         "*/\n"
         "#include \"tok_tables.h\"\n\n"
         "const char tok_unicode_version[] = \"%s\";\n\n",
         version, version);
  printf("const uint16_t tok_stage1[0x110000 >> TOK_SHIFT] = {");
  for (b = 0; b < (NCP >> TOK_SHIFT); b++)
    printf("%s%u,", b % 16 ? "" : "\n", (unsigned)stage1[b]);
  printf("\n};\n\n/* %lu blocks of %d records */\n", nblocks, TOK_BLOCK);
  printf("const uint16_t tok_stage2[%lu] = {", nblocks * TOK_BLOCK);
  for (i = 0; i < nblocks * TOK_BLOCK; i++)
    printf("%s%u,", i % 12 ? "" : "\n", (unsigned)blocks[i]);
  printf("\n};\n");
  fprintf(stderr, "gen_tables: Unicode %s, %lu blocks (%lu bytes)\n", version,
          nblocks, (unsigned long)(nblocks * TOK_BLOCK * 2 + sizeof stage1));
  return 0;
}
