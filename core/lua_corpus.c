/*
** lua_corpus.c -- corpus and doc userdata: lector.load, indexing,
** iteration, filter, group_by, and the fields of a document.
*/
#include "lua_corpus.h"

#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "lua_lector.h"
#include "util.h"

#define CORPUS_MT "lector.corpus"
#define DOC_MT "lector.doc"

typedef struct lcorpus {
  corpus *c;           /* NULL once closed */
} lcorpus;

typedef struct ldoc {
  corpus *c;           /* a reference of its own: a doc outlives its corpus
                          userdata */
  size_t i;
} ldoc;

/* --- access ---------------------------------------------------------------- */

corpus *lcorpus_test(lua_State *L, int idx) {
  lcorpus *u = luaL_testudata(L, idx, CORPUS_MT);
  return u ? u->c : NULL;
}

static corpus *check_corpus(lua_State *L, int idx) {
  lcorpus *u = luaL_checkudata(L, idx, CORPUS_MT);
  if (!u->c) luaL_argerror(L, idx, "corpus is closed");
  return u->c;
}

corpus *ldoc_test(lua_State *L, int idx, size_t *index) {
  ldoc *d = luaL_testudata(L, idx, DOC_MT);
  if (!d) return NULL;
  if (index) *index = d->i;
  return d->c;
}

static const corpus_doc *check_doc(lua_State *L, int idx, ldoc **out) {
  ldoc *d = luaL_checkudata(L, idx, DOC_MT);
  if (out) *out = d;
  return corpus_doc_at(d->c, d->i);
}

void lcorpus_push(lua_State *L, corpus *c) {
  lcorpus *u = lua_newuserdatauv(L, sizeof *u, 0);
  u->c = c;
  luaL_setmetatable(L, CORPUS_MT);
}

/* Push document i of c. [-0, +1, m] */
static void push_doc(lua_State *L, corpus *c, size_t i) {
  ldoc *d = lua_newuserdatauv(L, sizeof *d, 0);
  d->c = corpus_retain(c);
  d->i = i;
  luaL_setmetatable(L, DOC_MT);
}

/* Read the text of document i, or raise an error naming the file. */
static void read_text(lua_State *L, corpus *c, size_t i, lector_text *out) {
  char *err = NULL;
  if (corpus_text(c, i, out, &err) == 0) return;
  lua_pushstring(L, UTIL_MSG(err));
  free(err);
  lua_error(L);
}

void lcorpus_check_text(lua_State *L, int idx, lector_text *out) {
  size_t i;
  corpus *c = ldoc_test(L, idx, &i);
  if (c) {
    read_text(L, c, i, out);
    return;
  }
  if (lua_type(L, idx) != LUA_TSTRING)
    luaL_typeerror(L, idx, "string or document");
  out->data = lua_tolstring(L, idx, &out->len);
  out->owner_ = NULL;
}

/* --- documents ------------------------------------------------------------- */

static void push_date_part(lua_State *L, const corpus_doc *d, size_t n) {
  char buf[11];
  if (corpus_doc_date(d, buf)) lua_pushlstring(L, buf, n);
  else lua_pushnil(L);
}

static void push_meta(lua_State *L, corpus *c, const corpus_doc *d) {
  lua_newtable(L);
  for (const char *p = d->meta; p && *p;) {
    const char *v = p + strlen(p) + 1;
    lua_pushstring(L, v);
    lua_setfield(L, -2, p);
    p = v + strlen(v) + 1;
  }
  lua_pushstring(L, corpus_encoding_name(c, d));
  lua_setfield(L, -2, "encoding");
  lua_pushboolean(L, d->encoding != CORPUS_ENC_RAW);
  lua_setfield(L, -2, "utf8");
  if (d->date_source != CORPUS_DATE_NONE) {
    lua_pushstring(L, corpus_date_source_name(d->date_source));
    lua_setfield(L, -2, "date_source");
  }
}

static const char *const doc_fields[] = {
  "id", "path", "title", "date", "month", "year", "bytes", "text", "meta",
  "index"
};

/* Push field k of document d; 0 if there is no such field. */
static int push_field(lua_State *L, ldoc *u, const corpus_doc *d,
                      const char *k) {
  if (strcmp(k, "id") == 0) lua_pushstring(L, d->id);
  else if (strcmp(k, "path") == 0) lua_pushstring(L, d->path);
  else if (strcmp(k, "title") == 0) lua_pushstring(L, d->title);
  else if (strcmp(k, "bytes") == 0) lua_pushinteger(L, (lua_Integer)d->bytes);
  else if (strcmp(k, "date") == 0) push_date_part(L, d, 10);
  else if (strcmp(k, "month") == 0) push_date_part(L, d, 7);
  else if (strcmp(k, "year") == 0) push_date_part(L, d, 4);
  else if (strcmp(k, "index") == 0) lua_pushinteger(L, (lua_Integer)u->i + 1);
  else if (strcmp(k, "meta") == 0) push_meta(L, u->c, d);
  else if (strcmp(k, "text") == 0) {
    lector_text t;
    read_text(L, u->c, u->i, &t);
    lua_pushlstring(L, t.data, t.len);
    corpus_text_release(&t);
  } else return 0;
  return 1;
}

static int doc_index(lua_State *L) {
  ldoc *u;
  const corpus_doc *d = check_doc(L, 1, &u);
  const char *k = luaL_checkstring(L, 2);
  if (!push_field(L, u, d, k))
    return luaL_error(L, "a document has no field '%s' (fields: id, path, "
                      "title, date, month, year, bytes, text, meta, index)",
                      k);
  return 1;
}

static int doc_tostring(lua_State *L) {
  const corpus_doc *d = check_doc(L, 1, NULL);
  char date[11];
  lua_pushfstring(L, "doc %s (%s, %I bytes)", d->id,
                  corpus_doc_date(d, date) ? date : "no date",
                  (lua_Integer)d->bytes);
  return 1;
}

/* Multi-line summary for the REPL: id, date, title, first line. */
static int doc_summary(lua_State *L) {
  ldoc *u;
  const corpus_doc *d = check_doc(L, 1, &u);
  char date[11];
  lector_text t;
  read_text(L, u->c, u->i, &t);
  const char *body = t.data;
  size_t n = strcspn(body, "\n");
  if (n > 120) n = 120;
  lua_pushfstring(L, "doc %s\n  date:  %s\n  title: %s\n  bytes: %I\n"
                  "  text:  %s", d->id,
                  corpus_doc_date(d, date) ? date : "(none)", d->title,
                  (lua_Integer)d->bytes, "");
  lua_pushlstring(L, body, n);
  corpus_text_release(&t);
  lua_concat(L, 2);
  return 1;
}

static int doc_eq(lua_State *L) {
  ldoc *a = luaL_checkudata(L, 1, DOC_MT), *b = luaL_checkudata(L, 2, DOC_MT);
  lua_pushboolean(L, corpus_doc_at(a->c, a->i) == corpus_doc_at(b->c, b->i));
  return 1;
}

static int doc_gc(lua_State *L) {
  ldoc *d = luaL_checkudata(L, 1, DOC_MT);
  corpus_release(d->c);
  d->c = NULL;
  return 0;
}

/* --- corpora --------------------------------------------------------------- */

static int corpus_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)corpus_count(check_corpus(L, 1)));
  return 1;
}

/* Upvalues: the corpus, the next index, the progress bar.  A step
** counts the previous document done; the last one ends the bar. */
static int corpus_each_step(lua_State *L) {
  corpus *c = check_corpus(L, lua_upvalueindex(1));
  lua_Integer i = lua_tointeger(L, lua_upvalueindex(2));
  if (i > 0) progress_add(lector_progress_at(L, lua_upvalueindex(3)), 1);
  if ((size_t)i >= corpus_count(c)) {
    lector_progress_done(L, lua_upvalueindex(3));
    return 0;
  }
  lua_pushinteger(L, i + 1);
  lua_replace(L, lua_upvalueindex(2));
  push_doc(L, c, (size_t)i);
  return 1;
}

/* corpus:each() -> iterator over its documents, in order, with a
** progress bar as the to-be-closed value: a generic for ends it however
** the loop ends (break, return, error). */
static int corpus_each(lua_State *L) {
  corpus *c = check_corpus(L, 1);
  lua_settop(L, 1);
  lua_pushinteger(L, 0);
  lector_progress_push(L, "corpus:each", "docs", corpus_count(c));
  lua_pushvalue(L, -1);
  lua_insert(L, 1);                    /* bar, corpus, 0, bar */
  lua_pushcclosure(L, corpus_each_step, 3);
  lua_insert(L, 1);                    /* step, bar */
  lua_pushnil(L);
  lua_pushnil(L);
  lua_rotate(L, 2, 2);                 /* step, nil, nil, bar */
  return 4;
}

/* An index list under construction, kept in a userdata so an error in a
** script's function frees it with the rest. */
typedef struct idx_list {
  size_t n;
  size_t idx[];
} idx_list;

static idx_list *new_list(lua_State *L, size_t cap) {
  idx_list *l = lua_newuserdatauv(L, sizeof *l + cap * sizeof(size_t), 0);
  l->n = 0;
  return l;
}

/* Push a subset of c holding l's indices. [-0, +1, e] */
static void push_subset(lua_State *L, corpus *c, const idx_list *l) {
  corpus *sub;
  char *err = NULL;
  if (corpus_subset(c, l->idx, l->n, &sub, &err) != 0) {
    lua_pushstring(L, UTIL_MSG(err));
    free(err);
    lua_error(L);
  }
  lcorpus_push(L, sub);
}

/* corpus:filter(fn) -> a corpus of the documents for which fn(doc) is
** true.  A slow fn gets a progress bar. */
static int corpus_filter(lua_State *L) {
  corpus *c = check_corpus(L, 1);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  size_t n = corpus_count(c);
  lua_settop(L, 2);
  idx_list *l = new_list(L, n);
  progress *bar = lector_progress_push(L, "corpus:filter", "docs", n);  /* 4 */
  for (size_t i = 0; i < n; i++) {
    lua_pushvalue(L, 2);
    push_doc(L, c, i);
    lua_call(L, 1, 1);
    if (lua_toboolean(L, -1)) l->idx[l->n++] = i;
    lua_pop(L, 1);
    progress_add(bar, 1);
  }
  lector_progress_done(L, 4);
  push_subset(L, c, l);
  return 1;
}

/* Push the group key of document i by field name or function at 2. */
static void push_key(lua_State *L, corpus *c, size_t i) {
  if (lua_type(L, 2) == LUA_TFUNCTION) {
    lua_pushvalue(L, 2);
    push_doc(L, c, i);
    lua_call(L, 1, 1);
    return;
  }
  const char *k = lua_tostring(L, 2);
  const corpus_doc *d = corpus_doc_at(c, i);
  ldoc u = {c, i};
  if (strcmp(k, "text") != 0 && strcmp(k, "meta") != 0 &&
      push_field(L, &u, d, k))
    return;
  for (const char *p = d->meta; p && *p;) {        /* a front-matter key */
    const char *v = p + strlen(p) + 1;
    if (strcmp(p, k) == 0) {
      lua_pushstring(L, v);
      return;
    }
    p = v + strlen(v) + 1;
  }
  lua_pushnil(L);
}

/* Keys sort numbers first, then strings, each in their natural order. */
static int key_less(lua_State *L) {
  int ta = lua_type(L, 1), tb = lua_type(L, 2);
  if (ta != tb) lua_pushboolean(L, ta == LUA_TNUMBER);
  else lua_pushboolean(L, lua_compare(L, 1, 2, LUA_OPLT));
  return 1;
}

/* The iterator of groups_pairs: upvalues keys, position. */
static int groups_next(lua_State *L) {
  lua_Integer i = lua_tointeger(L, lua_upvalueindex(2)) + 1;
  if (lua_rawgeti(L, lua_upvalueindex(1), i) == LUA_TNIL) return 0;
  lua_pushinteger(L, i);
  lua_replace(L, lua_upvalueindex(2));
  lua_pushvalue(L, -1);
  lua_rawget(L, 1);
  return 2;
}

/* __pairs of a group table: its keys in sorted order (table.sort from
** package.loaded, so a script's own global `table` does not matter). */
static int groups_pairs(lua_State *L) {
  lua_Integer n = 0;
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  lua_newtable(L);                                  /* 2: keys */
  lua_pushnil(L);
  while (lua_next(L, 1)) {
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    lua_rawseti(L, 2, ++n);
  }
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_getfield(L, -1, "table");
  lua_getfield(L, -1, "sort");
  lua_pushvalue(L, 2);
  lua_pushcfunction(L, key_less);
  lua_call(L, 2, 0);
  lua_settop(L, 2);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, groups_next, 2);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}

void lcorpus_sorted_pairs(lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  if (luaL_newmetatable(L, "lector.groups")) {
    lua_pushcfunction(L, groups_pairs);
    lua_setfield(L, -2, "__pairs");
  }
  lua_setmetatable(L, idx);
}

/* corpus:group_by(key_or_fn) -> {key = corpus}; pairs() gives the keys in
** order.  key is a field (date, month, year, id, title, bytes) or a
** front-matter key; fn(doc) returns a string or number.  Documents whose
** key is nil are left out. */
static int corpus_group_by(lua_State *L) {
  corpus *c = check_corpus(L, 1);
  if (lua_type(L, 2) != LUA_TFUNCTION && lua_type(L, 2) != LUA_TSTRING)
    luaL_typeerror(L, 2, "field name or function");
  size_t n = corpus_count(c);
  lua_settop(L, 2);
  progress *bar = lector_progress_push(L, "corpus:group_by", "docs", n); /* 3 */
  lua_newtable(L);                     /* 4: key -> index list userdata */
  for (size_t i = 0; i < n; i++) {
    progress_add(bar, 1);
    push_key(L, c, i);
    int t = lua_type(L, -1);
    if (t == LUA_TNIL) {
      lua_pop(L, 1);
      continue;
    }
    if (t != LUA_TSTRING && t != LUA_TNUMBER)
      luaL_error(L, "group_by: the key of %s is a %s (want a string or "
                 "number)", corpus_doc_at(c, i)->id, lua_typename(L, t));
    lua_pushvalue(L, -1);
    if (lua_rawget(L, 4) == LUA_TNIL) {
      lua_pop(L, 1);
      new_list(L, n - i);
      lua_pushvalue(L, -2);
      lua_pushvalue(L, -2);
      lua_rawset(L, 4);
    }
    idx_list *l = lua_touserdata(L, -1);
    l->idx[l->n++] = i;
    lua_pop(L, 2);
  }
  lector_progress_done(L, 3);
  lua_newtable(L);                     /* 5: key -> corpus */
  lua_pushnil(L);
  while (lua_next(L, 4)) {
    push_subset(L, c, lua_touserdata(L, -1));
    lua_pushvalue(L, -3);
    lua_insert(L, -2);
    lua_rawset(L, 5);
    lua_pop(L, 1);
  }
  lcorpus_sorted_pairs(L, 5);
  return 1;
}

/* The first and last dates, into buf (""). */
static void date_range(corpus *c, char lo[11], char hi[11]) {
  int32_t min = 0, max = 0;
  for (size_t i = 0; i < corpus_count(c); i++) {
    int32_t dt = corpus_doc_at(c, i)->date;
    if (!dt) continue;
    if (!min || dt < min) min = dt;
    if (dt > max) max = dt;
  }
  corpus_doc tmp = {.date = min};
  if (!corpus_doc_date(&tmp, lo)) lo[0] = '\0';
  tmp.date = max;
  if (!corpus_doc_date(&tmp, hi)) hi[0] = '\0';
}

static uint64_t total_bytes(corpus *c) {
  uint64_t sum = 0;
  for (size_t i = 0; i < corpus_count(c); i++) sum += corpus_doc_at(c, i)->bytes;
  return sum;
}

/* corpus:dates() -> first and last date ("YYYY-MM-DD"), or nil. */
static int corpus_dates(lua_State *L) {
  char lo[11], hi[11];
  date_range(check_corpus(L, 1), lo, hi);
  if (!lo[0]) return 0;
  lua_pushstring(L, lo);
  lua_pushstring(L, hi);
  return 2;
}

/* corpus:bytes() -> total text bytes. */
static int corpus_total_bytes(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)total_bytes(check_corpus(L, 1)));
  return 1;
}

static void push_warnings(lua_State *L, corpus *c) {
  size_t n = corpus_warning_count(c);
  lua_createtable(L, (int)n, 0);
  for (size_t i = 0; i < n; i++) {
    lua_pushstring(L, corpus_warning(c, i));
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

static int corpus_index(lua_State *L) {
  corpus *c = check_corpus(L, 1);
  if (lua_type(L, 2) == LUA_TNUMBER) {
    lua_Integer i = luaL_checkinteger(L, 2);
    if (i >= 1 && (size_t)i <= corpus_count(c)) push_doc(L, c, (size_t)i - 1);
    else lua_pushnil(L);
    return 1;
  }
  const char *k = luaL_checkstring(L, 2);
  if (strcmp(k, "warnings") == 0) {
    push_warnings(L, c);
    return 1;
  }
  luaL_getmetafield(L, 1, "__methods");
  if (lua_getfield(L, -1, k) == LUA_TNIL)
    return luaL_error(L, "a corpus has no field or method '%s'", k);
  return 1;
}

static int corpus_tostring(lua_State *L) {
  corpus *c = check_corpus(L, 1);
  lua_pushfstring(L, "corpus (%I documents)", (lua_Integer)corpus_count(c));
  return 1;
}

/* Multi-line summary for the REPL. */
static int corpus_summary(lua_State *L) {
  corpus *c = check_corpus(L, 1);
  char lo[11], hi[11];
  date_range(c, lo, hi);
  lua_pushfstring(L, "corpus: %I documents, %I bytes\n  dates: %s%s%s",
                  (lua_Integer)corpus_count(c), (lua_Integer)total_bytes(c),
                  lo[0] ? lo : "(none)", lo[0] ? " .. " : "", hi);
  if (corpus_warning_count(c))
    lua_pushfstring(L, "\n  warnings: %I (see corpus.warnings)",
                    (lua_Integer)corpus_warning_count(c));
  else lua_pushliteral(L, "");
  lua_concat(L, 2);
  return 1;
}

/* __gc and __close: drop the reference once. */
static int corpus_close(lua_State *L) {
  lcorpus *u = luaL_checkudata(L, 1, CORPUS_MT);
  corpus_release(u->c);
  u->c = NULL;
  return 0;
}

/* --- lector.load ----------------------------------------------------------- */

/* Read a string or array of strings at idx into a malloc'd array held in
** a userdata pushed on the stack.  [-0, +1, e] */
static const char **check_strings(lua_State *L, int idx, const char *what,
                                  size_t *n) {
  if (lua_type(L, idx) == LUA_TSTRING) {
    const char **v = lua_newuserdatauv(L, sizeof *v, 0);
    v[0] = lua_tostring(L, idx);
    *n = 1;
    return v;
  }
  if (lua_type(L, idx) != LUA_TTABLE)
    luaL_error(L, "lector.load: %s must be a string or a list of strings",
               what);
  *n = (size_t)luaL_len(L, idx);
  const char **v = lua_newuserdatauv(L, (*n ? *n : 1) * sizeof *v, 0);
  for (size_t i = 0; i < *n; i++) {
    lua_rawgeti(L, idx, (lua_Integer)i + 1);
    if (lua_type(L, -1) != LUA_TSTRING)
      luaL_error(L, "lector.load: %s[%I] is a %s, not a string", what,
                 (lua_Integer)i + 1, luaL_typename(L, -1));
    v[i] = lua_tostring(L, -1);
    lua_pop(L, 1);     /* still referenced by the table */
  }
  return v;
}

static int opt_bool(lua_State *L, int t, const char *k) {
  return lua_getfield(L, t, k) != LUA_TNIL && lua_toboolean(L, -1);
}

static const char *const load_opts[] = {
  "ext", "glob", "encoding", "strict", "quiet", "hidden", "threads", NULL
};

static void parse_opts(lua_State *L, int t, corpus_opts *o) {
  lua_pushnil(L);
  while (lua_next(L, t)) {
    const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
    int known = 0;
    for (int i = 0; load_opts[i]; i++) known |= strcmp(k, load_opts[i]) == 0;
    if (!known)
      luaL_error(L, "lector.load: unknown option '%s' (options: ext, glob, "
                 "encoding, strict, quiet, hidden, threads)",
                 lua_type(L, -2) == LUA_TSTRING ? k : luaL_typename(L, -2));
    lua_pop(L, 1);
  }
  int top = lua_gettop(L);
  if (lua_getfield(L, t, "ext") != LUA_TNIL)
    o->exts = check_strings(L, top + 1, "opts.ext", &o->n_exts);
  if (lua_getfield(L, t, "glob") != LUA_TNIL)
    o->glob = luaL_checkstring(L, -1);
  if (lua_getfield(L, t, "encoding") != LUA_TNIL)
    o->encoding = luaL_checkstring(L, -1);
  if (lua_getfield(L, t, "threads") != LUA_TNIL) {
    lua_Integer n = luaL_checkinteger(L, -1);
    if (n < 0 || n > 256)
      luaL_error(L, "lector.load: opts.threads must be 0..256, not %I", n);
    o->threads = (int)n;
  }
  o->strict = opt_bool(L, t, "strict");
  o->quiet = opt_bool(L, t, "quiet");
  o->hidden = opt_bool(L, t, "hidden");
  /* the values stay referenced by the options table at t */
}

int lcorpus_load(lua_State *L) {
  size_t n;
  lua_settop(L, 2);
  const char **paths = check_strings(L, 1, "path", &n);
  if (n == 0) luaL_argerror(L, 1, "no paths given");
  corpus_opts o = {0};
  if (!lua_isnoneornil(L, 2)) {
    luaL_checktype(L, 2, LUA_TTABLE);
    parse_opts(L, 2, &o);
  }
  corpus *c;
  char *err = NULL;
  int rc = corpus_load(paths, n, &o, &c, &err);
  if (rc != 0) {
    lua_pushfstring(L, "lector.load: %s", UTIL_MSG(err));
    free(err);
    return lua_error(L);
  }
  lcorpus_push(L, c);
  return 1;
}

/* --- metatables ------------------------------------------------------------ */

void lcorpus_open(lua_State *L) {
  static const luaL_Reg corpus_meta[] = {
    {"__index", corpus_index},
    {"__len", corpus_len},
    {"__tostring", corpus_tostring},
    {"__summary", corpus_summary},
    {"__gc", corpus_close},
    {"__close", corpus_close},
    {NULL, NULL}
  };
  static const luaL_Reg corpus_methods[] = {
    {"each", corpus_each},
    {"filter", corpus_filter},
    {"group_by", corpus_group_by},
    {"dates", corpus_dates},
    {"bytes", corpus_total_bytes},
    {"close", corpus_close},
    {NULL, NULL}
  };
  static const luaL_Reg doc_meta[] = {
    {"__index", doc_index},
    {"__tostring", doc_tostring},
    {"__summary", doc_summary},
    {"__eq", doc_eq},
    {"__gc", doc_gc},
    {NULL, NULL}
  };
  luaL_newmetatable(L, CORPUS_MT);
  luaL_setfuncs(L, corpus_meta, 0);
  luaL_newlib(L, corpus_methods);
  lua_setfield(L, -2, "__methods");
  lua_pop(L, 1);
  luaL_newmetatable(L, DOC_MT);
  luaL_setfuncs(L, doc_meta, 0);
  lua_createtable(L, (int)(sizeof doc_fields / sizeof *doc_fields), 0);
  for (size_t i = 0; i < sizeof doc_fields / sizeof *doc_fields; i++) {
    lua_pushstring(L, doc_fields[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "__fields");    /* for the REPL's completion */
  lua_pop(L, 1);
}
