/*
** sent_lua_corpus.c -- sentiment.corpus(corpus [, opts]) and
** scorer:corpus: group keys computed in Lua on the main thread, sentence
** scores computed in C on all cores (sent_corpus.c), summaries built here.
**
** opts: by = "date" | "month" | "year" | function(doc) -> key or nil;
**       threads = n (default: one per core); threshold = t (0.05).
** Result:
**   { docs   = { {id =, title =, date =, key =, sentences =, compound =,
**                 pos =, neu =, neg = [, error =]}, ... }  -- corpus order
**     groups = { {key =, docs =, sentences =, compound =, doc_compound =,
**                 pos =, neu =, neg =, errors =}, ... }    -- sorted by key
**     total  = {docs =, sentences =, compound =, doc_compound =, pos =,
**               neu =, neg =, errors =},
**     threads = n }
** compound is the mean over sentences, doc_compound the mean over
** documents of their means; pos / neg / neu are the shares of sentences
** whose compound is >= t, <= -t, or between.  A document without a key
** (no date, or fn returned nil) is in no group but is in total.
*/
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "sent_config.h"
#include "sent_corpus.h"
#include "sent_env.h"
#include "sent_plugin.h"

#define RUN_MT "lector.sentiment.corpusrun"

/* The per-call arrays, in one userdata so that Lua frees them; __gc frees
** the documents' error strings. */
typedef struct run {
  size_t n;
  sc_doc *docs;          /* n */
  uint32_t *gid;         /* n: group id, 0 for none */
} run;

typedef struct summary {
  size_t docs, scored, sentences, pos, neg, errors;
  double sum, doc_sum;
} summary;

/* __gc.  [-0, +0, -] */
static int run_gc(lua_State *L) {
  run *r = luaL_checkudata(L, 1, RUN_MT);
  if (r->docs) sc_docs_clear(r->docs, r->n);
  r->n = 0;
  return 0;
}

/* A run for n documents.  [-0, +1, m] */
static run *run_new(lua_State *L, size_t n, const char *fname) {
  size_t bytes;
  run *r;
  if (n > (SIZE_MAX - sizeof(run)) / (sizeof(sc_doc) + sizeof(uint32_t)))
    luaL_error(L, "%s: too many documents", fname);
  bytes = sizeof(run) + n * sizeof(sc_doc) + n * sizeof(uint32_t);
  r = lua_newuserdatauv(L, bytes, 0);
  memset(r, 0, bytes);
  r->n = n;
  r->docs = (sc_doc *)(void *)(r + 1);
  r->gid = (uint32_t *)(void *)(r->docs + n);
  if (luaL_newmetatable(L, RUN_MT)) {
    lua_pushcfunction(L, run_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  return r;
}

/* ------------------------------------------------------------------------
** Group keys
*/

/* The group id of the key on top of the stack (popped), adding it to the
** ids table at iidx and the keys list at kidx when new.  [-1, +0, m] */
static uint32_t key_id(lua_State *L, int iidx, int kidx) {
  uint32_t id;
  lua_pushvalue(L, -1);
  if (lua_rawget(L, iidx) == LUA_TNUMBER) {
    id = (uint32_t)lua_tointeger(L, -1);
    lua_pop(L, 2);
    return id;
  }
  lua_pop(L, 1);
  id = (uint32_t)luaL_len(L, kidx) + 1;
  lua_pushvalue(L, -1);
  lua_rawseti(L, kidx, id);
  lua_pushinteger(L, id);
  lua_rawset(L, iidx);
  return id;
}

/* Keys from the documents' dates, cut to width characters.  [-0, +0, m] */
static void keys_by_date(lua_State *L, const lector_corpus *c, run *r,
                         size_t width, int iidx, int kidx) {
  lector_doc_info info;
  size_t i;
  for (i = 0; i < r->n; i++) {
    if (sent_g.host->doc_info(c, i, &info) != LECTOR_OK || !info.date[0])
      continue;
    lua_pushlstring(L, info.date, width);
    r->gid[i] = key_id(L, iidx, kidx);
  }
}

/* Keys from fn (at fidx) called with each document of the corpus at
** cidx, on this thread, before any worker starts.  [-0, +0, e] */
static void keys_by_function(lua_State *L, int cidx, int fidx, run *r,
                             int iidx, int kidx, const char *fname) {
  size_t i;
  for (i = 0; i < r->n; i++) {
    int t;
    lua_pushvalue(L, fidx);
    lua_geti(L, cidx, (lua_Integer)i + 1);
    lua_call(L, 1, 1);
    t = lua_type(L, -1);
    if (t == LUA_TNIL) {
      lua_pop(L, 1);
      continue;
    }
    if (t != LUA_TSTRING && t != LUA_TNUMBER)
      luaL_error(L, "%s: the `by` function must return a string, a number "
                 "or nil (got %s for document %d)", fname,
                 luaL_typename(L, -1), (int)i + 1);
    if (t == LUA_TNUMBER && lua_tonumber(L, -1) != lua_tonumber(L, -1))
      luaL_error(L, "%s: the `by` function returned NaN", fname);
    r->gid[i] = key_id(L, iidx, kidx);
  }
}

/* ------------------------------------------------------------------------
** Options
*/

typedef struct copts {
  int by_fn;            /* by is a function (at index fidx) */
  size_t date_width;    /* 10, 7, 4, or 0 for no date grouping */
  int threads;
  double threshold;
} copts;

/* The options table at oidx (nil: defaults) into *o, but for `by`.
** [-0, +0, v] */
static void check_options(lua_State *L, int oidx, copts *o,
                          const char *fname) {
  static const char *const keys[] = {"by", "threads", "threshold", NULL};
  memset(o, 0, sizeof *o);
  o->threshold = SENT_THRESHOLD;
  if (lua_isnoneornil(L, oidx)) return;
  luaL_checktype(L, oidx, LUA_TTABLE);
  lua_pushnil(L);
  while (lua_next(L, oidx)) {
    const char *const *k = keys;
    const char *name = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2)
                                                       : "";
    while (*k && strcmp(*k, name) != 0) k++;
    if (!*k) luaL_error(L, "%s: unknown option '%s'", fname, name);
    lua_pop(L, 1);
  }
  if (lua_getfield(L, oidx, "threads") != LUA_TNIL) {
    if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < 1 ||
        lua_tointeger(L, -1) > SENT_MAX_THREADS)
      luaL_error(L, "%s: threads must be an integer from 1 to %d", fname,
                 SENT_MAX_THREADS);
    o->threads = (int)lua_tointeger(L, -1);
  }
  if (lua_getfield(L, oidx, "threshold") != LUA_TNIL) {
    if (lua_type(L, -1) != LUA_TNUMBER || lua_tonumber(L, -1) < 0 ||
        lua_tonumber(L, -1) > 1)
      luaL_error(L, "%s: threshold must be a number from 0 to 1", fname);
    o->threshold = lua_tonumber(L, -1);
  }
  lua_pop(L, 2);
}

/* Leaves the `by` value on the stack (nil when absent).  [-0, +1, e] */
static void check_by(lua_State *L, int oidx, copts *o, const char *fname) {
  const char *by;
  if (lua_isnoneornil(L, oidx)) {
    lua_pushnil(L);
    return;
  }
  switch (lua_getfield(L, oidx, "by")) {
    case LUA_TNIL: return;
    case LUA_TFUNCTION: o->by_fn = 1; return;
    case LUA_TSTRING:
      by = lua_tostring(L, -1);
      if (strcmp(by, "date") == 0) o->date_width = 10;
      else if (strcmp(by, "month") == 0) o->date_width = 7;
      else if (strcmp(by, "year") == 0) o->date_width = 4;
      if (o->date_width) return;
      /* fall through */
    default:
      luaL_error(L, "%s: by must be \"date\", \"month\", \"year\" or a "
                 "function", fname);
  }
}

/* ------------------------------------------------------------------------
** The work
*/

/* The sc_source of a corpus: the host's thread-safe doc_text; a text
** released is a document scored, one step of the progress bar. */
typedef struct corpus_src {
  lector_corpus *c;
  lector_progress *bar;    /* NULL when none is drawn */
} corpus_src;

static int src_text(void *ud, size_t i, lector_text *out, char **err) {
  return sent_g.host->doc_text(((corpus_src *)ud)->c, i, out, err);
}

static void src_release(void *ud, lector_text *t) {
  sent_g.host->text_release(t);
  sent_g.host->progress_add(((corpus_src *)ud)->bar, 1);
}

/* Count document d in summary s (an unreadable one only as an error). */
static void add_doc(summary *s, const sc_doc *d) {
  s->docs++;
  if (d->err) {
    s->errors++;
    return;
  }
  s->sentences += d->sentences;
  s->pos += d->pos;
  s->neg += d->neg;
  s->sum += d->sum;
  if (d->sentences) {
    s->scored++;
    s->doc_sum += d->sum / d->sentences;
  }
}

static double share(size_t k, size_t n) { return n ? (double)k / n : 0.0; }

/* Set mean compound and shares of `sentences` sentences.  [-0, +0, m] */
static void set_means(lua_State *L, double sum, size_t sentences, size_t pos,
                      size_t neg) {
  lua_pushinteger(L, (lua_Integer)sentences);
  lua_setfield(L, -2, "sentences");
  lua_pushnumber(L, sentences ? sum / sentences : 0.0);
  lua_setfield(L, -2, "compound");
  lua_pushnumber(L, share(pos, sentences));
  lua_setfield(L, -2, "pos");
  lua_pushnumber(L, share(neg, sentences));
  lua_setfield(L, -2, "neg");
  lua_pushnumber(L, share(sentences - pos - neg, sentences));
  lua_setfield(L, -2, "neu");
}

/* [-0, +1, m] */
static void push_summary(lua_State *L, const summary *s) {
  lua_createtable(L, 0, 9);
  set_means(L, s->sum, s->sentences, s->pos, s->neg);
  lua_pushinteger(L, (lua_Integer)s->docs);
  lua_setfield(L, -2, "docs");
  lua_pushnumber(L, s->scored ? s->doc_sum / s->scored : 0.0);
  lua_setfield(L, -2, "doc_compound");
  lua_pushinteger(L, (lua_Integer)s->errors);
  lua_setfield(L, -2, "errors");
}

/* The docs list.  [-0, +1, m] */
static void push_docs(lua_State *L, const lector_corpus *c, const run *r,
                      int kidx) {
  lector_doc_info info;
  size_t i;
  lua_createtable(L, r->n < INT32_MAX ? (int)r->n : 0, 0);
  for (i = 0; i < r->n; i++) {
    const sc_doc *d = &r->docs[i];
    lua_createtable(L, 0, 10);
    if (sent_g.host->doc_info(c, i, &info) == LECTOR_OK) {
      lua_pushstring(L, info.id);
      lua_setfield(L, -2, "id");
      lua_pushstring(L, info.title);
      lua_setfield(L, -2, "title");
      if (info.date[0]) {
        lua_pushstring(L, info.date);
        lua_setfield(L, -2, "date");
      }
    }
    if (r->gid[i]) {
      lua_rawgeti(L, kidx, r->gid[i]);
      lua_setfield(L, -2, "key");
    }
    set_means(L, d->sum, d->sentences, d->pos, d->neg);
    if (d->err) {
      lua_pushstring(L, d->err);
      lua_setfield(L, -2, "error");
    }
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

/* Group order: numbers (ascending) before strings (byte order). */
typedef struct gkey {
  int is_num;
  double num;
  const char *s;
  size_t len;
  uint32_t gid;
} gkey;

static int gkey_cmp(const void *a, const void *b) {
  const gkey *x = a, *y = b;
  int c;
  if (x->is_num != y->is_num) return y->is_num - x->is_num;
  if (x->is_num) return (x->num > y->num) - (x->num < y->num);
  c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);
  return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* The groups list, sorted by key; keys at kidx.  [-0, +1, m] */
static void push_groups(lua_State *L, const run *r, int kidx) {
  size_t ng = (size_t)luaL_len(L, kidx), i;
  summary *sum = lua_newuserdatauv(L, (ng + 1) * sizeof *sum, 0);
  gkey *keys = lua_newuserdatauv(L, (ng + 1) * sizeof *keys, 0);
  memset(sum, 0, (ng + 1) * sizeof *sum);
  for (i = 0; i < r->n; i++)
    if (r->gid[i]) add_doc(&sum[r->gid[i]], &r->docs[i]);
  for (i = 0; i < ng; i++) {
    lua_rawgeti(L, kidx, (lua_Integer)i + 1);
    keys[i].is_num = lua_type(L, -1) == LUA_TNUMBER;
    keys[i].num = keys[i].is_num ? lua_tonumber(L, -1) : 0;
    keys[i].s = keys[i].is_num ? "" : lua_tolstring(L, -1, &keys[i].len);
    keys[i].gid = (uint32_t)i + 1;
    lua_pop(L, 1);               /* the string stays in the keys list */
  }
  qsort(keys, ng, sizeof *keys, gkey_cmp);
  lua_createtable(L, ng < INT32_MAX ? (int)ng : 0, 0);
  for (i = 0; i < ng; i++) {
    push_summary(L, &sum[keys[i].gid]);
    lua_rawgeti(L, kidx, keys[i].gid);
    lua_setfield(L, -2, "key");
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_replace(L, -3);
  lua_pop(L, 1);
}

/* Score and summarise; see the top of the file.  [-0, +1, e] */
int sent_lua_corpus(lua_State *L, const vader_model *m, int cidx, int oidx,
                    const char *fname) {
  lector_corpus *c = sent_g.host->corpus_test(L, cidx);
  copts o;
  run *r;
  summary total;
  sc_source src;
  corpus_src cs;
  char *err = NULL;
  int top, iidx, kidx, rc;
  size_t i;
  if (!c)
    return luaL_error(L, "%s: argument %d must be a corpus (got %s)", fname,
                      cidx, luaL_typename(L, cidx));
  check_options(L, oidx, &o, fname);
  check_by(L, oidx, &o, fname);
  top = lua_gettop(L);                           /* the `by` value */
  r = run_new(L, sent_g.host->corpus_count(c), fname);  /* freed by GC */
  lua_newtable(L);                               /* key -> id */
  iidx = lua_gettop(L);
  lua_newtable(L);                               /* id -> key */
  kidx = lua_gettop(L);
  if (o.by_fn) keys_by_function(L, cidx, top, r, iidx, kidx, fname);
  else if (o.date_width) keys_by_date(L, c, r, o.date_width, iidx, kidx);
  cs.c = sent_g.host->corpus_retain(c);
  cs.bar = sent_g.host->progress_begin(fname, r->n);
  src.ud = &cs;
  src.n = r->n;
  src.text = src_text;
  src.release = src_release;
  rc = r->n ? sc_run(m, &src, r->docs, o.threads, o.threshold, &err)
            : LECTOR_OK;
  sent_g.host->progress_end(cs.bar);
  sent_g.host->corpus_release(cs.c);
  if (rc != LECTOR_OK) {
    lua_pushfstring(L, "%s: %s", fname, err ? err : "out of memory");
    sent_env_cur.free(err);
    return lua_error(L);
  }
  memset(&total, 0, sizeof total);
  for (i = 0; i < r->n; i++) add_doc(&total, &r->docs[i]);
  if (total.errors)
    sent_g.host->log(sent_g.ctx, LECTOR_LOG_WARN, "%s: %zu documents could "
                     "not be read (see docs[i].error)", fname, total.errors);
  lua_createtable(L, 0, 4);
  push_docs(L, c, r, kidx);
  lua_setfield(L, -2, "docs");
  push_groups(L, r, kidx);
  lua_setfield(L, -2, "groups");
  push_summary(L, &total);
  lua_setfield(L, -2, "total");
  lua_pushinteger(L, sc_threads(o.threads, r->n));
  lua_setfield(L, -2, "threads");
  return 1;
}
