/*
** tok_opts.c -- defaults, validation and compilation of tokenizer options.
*/
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <libstemmer.h>

#include "lector/kit.h"
#include "tok_norm.h"
#include "tok_lua.h"
#include "tok_opts.h"
#include "tok_tables.h"
#include "tok_word.h"

void tok_config_init(lector_tok_config *cfg, size_t size) {
  lector_tok_config d;
  memset(&d, 0, sizeof d);
  d.struct_size = size < sizeof d ? size : sizeof d;
  d.lower = 1;
  d.normalize = LECTOR_TOK_NORM_NFC;
  d.accents = 1;
  d.apostrophes = 1;
  d.stem = NULL;
  d.stopwords = LECTOR_TOK_STOP_NONE;
  d.min_len = 0;
  d.punct = 1;
  d.numbers = 1;
  d.urls = 1;
  d.emails = 1;
  d.mentions = 1;
  d.hashtags = 1;
  d.emoji = 1;
  d.split_hyphens = 0;
  d.abbrev = 1;
  d.glued = 1;
  d.runs = 1;
  d.invalid = LECTOR_TOK_INVALID_SKIP;
  d.ids = 1;
  memcpy(cfg, &d, d.struct_size);
}

void tok_config_standard(lector_tok_config *cfg) {
  cfg->split_hyphens = 1;
  cfg->abbrev = 0;
  cfg->glued = 0;
  cfg->urls = 0;
  cfg->emails = 0;
  cfg->mentions = 0;
  cfg->hashtags = 0;
  cfg->runs = 0;
}

size_t tok_opts_key(const lector_tok_opts *o, char *out, size_t cap) {
  const lector_tok_config *c = &o->cfg;
  char dummy[1];
  int n;
  if (!out || cap == 0) {
    out = dummy;
    cap = 1;
  }
  /* everything derive() reads, and the stop words and min_len, which it
  ** does not; the plugin and Unicode versions, as the tables may change */
  n = snprintf(out, cap,
               "tokenize %s unicode %s;seg=%x;norm=%x;keep=%x;sent=%d%d%d%d;"
               "stem=%s;min_len=%zu;invalid=%d;stop=%zu:%016llx",
               TOK_PLUGIN_VERSION, tok_unicode_version, o->seg, o->norm,
               (unsigned)o->keep, o->sent.abbrev, o->sent.initials,
               o->sent.glued, o->sent.quotes, o->stem, c->min_len, c->invalid,
               o->stop ? tok_stop_count(o->stop) : 0,
               o->stop ? (unsigned long long)tok_stop_hash(o->stop) : 0ull);
  return n < 0 ? 0 : (size_t)n;
}

const char *tok_kind_name(int kind) {
  static const char *const names[] = {
    "?", "word", "number", "punct", "symbol", "url", "email", "mention",
    "hashtag", "emoji"
  };
  return (kind > 0 && kind <= LECTOR_TOK_KIND_MAX_) ? names[kind] : "?";
}

/* ------------------------------------------------------------------------
** Stop words
*/

/* Add w[0..len) to o's set, normalised as a word would be (always case
** folded: stop words match regardless of case). */
static int add_stop(lector_tok_opts *o, tok_buf *b, const char *w,
                    size_t len) {
  const char *norm;
  size_t i, n;
  int ascii = 1;
  while (len > 0 && (w[len - 1] == ' ' || w[len - 1] == '\t' ||
                     w[len - 1] == '\r'))
    len--;
  while (len > 0 && (*w == ' ' || *w == '\t')) { w++; len--; }
  if (len == 0 || len > TOK_STOP_MAXLEN) return 0;
  for (i = 0; i < len; i++)
    if ((unsigned char)w[i] >= 0x80) ascii = 0;
  n = tok_norm(b, o->norm | TOK_N_LOWER, (const uint8_t *)w, len, ascii, 1,
               &norm);
  if (n == (size_t)-1) { norm = w; n = len; }
  return tok_stop_add(o->stop, norm, n);
}

static int read_stop_file(lector_tok_opts *o, tok_buf *b, const char *path,
                          char **err) {
  FILE *f = fopen(path, "r");
  char line[TOK_STOP_MAXLEN + 64];
  if (!f) {
    *err = lk_errorf("cannot open stop-word file '%s': %s", path,
                              strerror(errno));
    return LECTOR_ERR;
  }
  while (fgets(line, sizeof line, f)) {
    size_t len = strlen(line);
    if (len > 0 && line[len - 1] == '\n') line[--len] = '\0';
    else if (!feof(f)) {                       /* an overlong line: skip */
      int c;
      while ((c = fgetc(f)) != EOF && c != '\n') {}
      continue;
    }
    if (line[0] == '#') continue;
    if (add_stop(o, b, line, len) != 0) {
      fclose(f);
      *err = lk_errorf("out of memory");
      return LECTOR_ENOMEM;
    }
  }
  if (ferror(f)) {
    *err = lk_errorf("cannot read stop-word file '%s'", path);
    fclose(f);
    return LECTOR_ERR;
  }
  fclose(f);
  return LECTOR_OK;
}

static int build_stop(lector_tok_opts *o, const lector_tok_config *cfg,
                      char **err) {
  tok_buf b;
  size_t i;
  int rc = LECTOR_OK;
  if (cfg->stopwords == LECTOR_TOK_STOP_NONE && !cfg->stopwords_path &&
      !cfg->stopword_list)
    return LECTOR_OK;
  o->stop = tok_stop_new();
  if (!o->stop) goto oom;
  tok_buf_init(&b);
  if (cfg->stopwords == LECTOR_TOK_STOP_ENGLISH)
    for (i = 0; tok_stop_english[i] && rc == LECTOR_OK; i++)
      if (add_stop(o, &b, tok_stop_english[i], strlen(tok_stop_english[i])))
        rc = LECTOR_ENOMEM;
  for (i = 0; cfg->stopword_list && i < cfg->nstopwords && rc == LECTOR_OK;
       i++)
    if (cfg->stopword_list[i] &&
        add_stop(o, &b, cfg->stopword_list[i], strlen(cfg->stopword_list[i])))
      rc = LECTOR_ENOMEM;
  if (rc == LECTOR_OK && cfg->stopwords_path)
    rc = read_stop_file(o, &b, cfg->stopwords_path, err);
  tok_buf_free(&b);
  if (rc == LECTOR_ENOMEM && !*err) goto oom;
  return rc;
oom:
  *err = lk_errorf("out of memory");
  return LECTOR_ENOMEM;
}

/* ------------------------------------------------------------------------
** Compilation
*/

static int check_stemmer(const char *lang, char **err) {
  struct sb_stemmer *st = sb_stemmer_new(lang, "UTF_8");
  const char **list;
  char names[512];
  size_t used = 0;
  if (st) {
    sb_stemmer_delete(st);
    return LECTOR_OK;
  }
  names[0] = '\0';
  for (list = sb_stemmer_list(); *list && used + 32 < sizeof names; list++)
    used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
                             used ? ", " : "", *list);
  *err = lk_errorf("unknown stemmer language '%s' (known: %s)",
                            lang, names);
  return LECTOR_ERR;
}

/* Everything of o that follows from c without allocating. */
static void derive(lector_tok_opts *o, const lector_tok_config *cfg) {
  lector_tok_config c = *cfg;
  memset(o, 0, sizeof *o);
  o->cfg = c;
  if (c.stem) snprintf(o->stem, sizeof o->stem, "%s", c.stem);
  o->seg = (c.split_hyphens ? 0 : TOK_SEG_HYPHENS) |
           (c.abbrev ? TOK_SEG_ABBREV : 0) | (c.glued ? TOK_SEG_GLUED : 0) |
           (c.urls ? TOK_SEG_URLS : 0) |
           (c.urls && c.emails ? TOK_SEG_EMAILS : 0) |
           (c.mentions ? TOK_SEG_MENTIONS : 0) |
           (c.hashtags ? TOK_SEG_HASHTAGS : 0) | (c.runs ? TOK_SEG_RUNS : 0);
  o->norm = (c.lower ? TOK_N_LOWER : 0) |
            (c.normalize == LECTOR_TOK_NORM_NFC ? TOK_N_NFC : 0) |
            (c.normalize == LECTOR_TOK_NORM_NFKC ? TOK_N_NFKC : 0) |
            (c.accents ? 0 : TOK_N_STRIP) | (c.apostrophes ? TOK_N_APOS : 0);
  o->keep = (1u << LECTOR_TOK_WORD) | (1u << LECTOR_TOK_URL) |
            (1u << LECTOR_TOK_EMAIL) | (1u << LECTOR_TOK_MENTION) |
            (1u << LECTOR_TOK_HASHTAG) |
            (c.numbers ? 1u << LECTOR_TOK_NUMBER : 0) |
            (c.punct ? (1u << LECTOR_TOK_PUNCT) | (1u << LECTOR_TOK_SYMBOL)
                     : 0) |
            (c.emoji ? 1u << LECTOR_TOK_EMOJI : 0);
  o->sent.abbrev = c.abbrev;
  o->sent.initials = c.abbrev;
  o->sent.glued = c.glued;
  o->sent.quotes = c.abbrev;
}

lector_tok_opts *tok_opts_new(const lector_tok_config *cfg, char **err) {
  lector_tok_config c;
  lector_tok_opts *o;
  *err = NULL;
  tok_config_init(&c, sizeof c);
  if (cfg) {
    size_t n = cfg->struct_size < sizeof c ? cfg->struct_size : sizeof c;
    memcpy(&c, cfg, n);
    c.struct_size = sizeof c;
  }
  if (c.normalize < LECTOR_TOK_NORM_NONE || c.normalize > LECTOR_TOK_NORM_NFKC) {
    *err = lk_errorf("bad normalize value %d", c.normalize);
    return NULL;
  }
  if (c.invalid != LECTOR_TOK_INVALID_SKIP &&
      c.invalid != LECTOR_TOK_INVALID_REPLACE) {
    *err = lk_errorf("bad invalid value %d", c.invalid);
    return NULL;
  }
  if (c.stopwords != LECTOR_TOK_STOP_NONE &&
      c.stopwords != LECTOR_TOK_STOP_ENGLISH) {
    *err = lk_errorf("bad stopwords value %d", c.stopwords);
    return NULL;
  }
  if (c.stem && (strlen(c.stem) >= TOK_STEM_MAX ||
                 check_stemmer(c.stem, err) != LECTOR_OK)) {
    if (!*err) *err = lk_errorf("unknown stemmer language '%.40s'",
                                         c.stem);
    return NULL;
  }
  o = lk_alloc(sizeof *o);
  if (!o) {
    *err = lk_errorf("out of memory");
    return NULL;
  }
  derive(o, &c);
  if (build_stop(o, &c, err) != LECTOR_OK) {
    tok_opts_free(o);
    return NULL;
  }
  o->cfg.stem = NULL;
  o->cfg.stopwords_path = NULL;
  o->cfg.stopword_list = NULL;
  o->cfg.nstopwords = 0;
  return o;
}

void tok_opts_free(lector_tok_opts *o) {
  if (!o) return;
  tok_stop_free(o->stop);
  lk_free(o);
}

static lector_tok_opts default_opts;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

static void init_default(void) {
  lector_tok_config c;
  tok_config_init(&c, sizeof c);
  derive(&default_opts, &c);
}

const lector_tok_opts *tok_opts_default(void) {
  pthread_once(&default_once, init_default);
  return &default_opts;
}
