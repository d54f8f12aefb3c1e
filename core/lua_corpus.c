/*
** lua_corpus.c -- corpus and doc userdata: lector.load, indexing,
** iteration, filter, group_by, and the fields of a document.
*/
#include "lua_corpus.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#include "lua_lector.h"
#include "mem.h"
#include "util.h"

#define CORPUS_MT "lector.corpus"
#define DOC_MT "lector.doc"

typedef struct lcorpus {
  corpus *c;           /* NULL once closed */
} lcorpus;

typedef struct ldoc {
  corpus *c;           /* a reference of its own: a doc outlives its corpus
                          userdata; NULL once finalised (__gc) */
  size_t i;
} ldoc;

#define DOC_GONE "a document was used after it was garbage-collected " \
  "(from a __gc metamethod?)"

/* --- access ---------------------------------------------------------------- */

corpus *lcorpus_test(lua_State *L, int idx) {
  lcorpus *u = luaL_testudata(L, idx, CORPUS_MT);
  return u ? u->c : NULL;
}

/* The open corpus at idx; errors say "corpus is closed" for a closed one
** (not "corpus expected, got userdata").  fname NULL: an argument error
** of the running function.  [-0, +0, v] */
static corpus *check_open(lua_State *L, int idx, const char *fname) {
  lcorpus *u = luaL_testudata(L, idx, CORPUS_MT);
  if (u && u->c) return u->c;
  if (fname)
    luaL_error(L, u ? "%s: corpus is closed" : "%s: expected a corpus, got %s",
               fname, luaL_typename(L, idx));
  if (u) luaL_argerror(L, idx, "corpus is closed");
  luaL_typeerror(L, idx, "corpus");
  return NULL;
}

static corpus *check_corpus(lua_State *L, int idx) {
  return check_open(L, idx, NULL);
}

lector_corpus *lcorpus_check(lua_State *L, int idx, const char *fname) {
  return check_open(L, idx, fname);
}

corpus *ldoc_test(lua_State *L, int idx, size_t *index) {
  ldoc *d = luaL_testudata(L, idx, DOC_MT);
  if (!d) return NULL;
  if (!d->c) luaL_error(L, DOC_GONE);
  if (index) *index = d->i;
  return d->c;
}

static const corpus_doc *check_doc(lua_State *L, int idx, ldoc **out) {
  ldoc *d = luaL_checkudata(L, idx, DOC_MT);
  if (!d->c) luaL_error(L, DOC_GONE);
  if (out) *out = d;
  return corpus_doc_at(d->c, d->i);
}

/* lcorpus_push's protected part: an empty corpus box. */
static int push_box(lua_State *L) {
  lcorpus *u = lua_newuserdatauv(L, sizeof *u, 0);
  u->c = NULL;
  luaL_setmetatable(L, CORPUS_MT);
  return 1;
}

/* The box is made in a protected call, so that c is released rather than
** leaked when Lua has no memory for it. */
void lcorpus_push(lua_State *L, corpus *c) {
  lua_pushcfunction(L, push_box);
  if (lua_pcall(L, 0, 1, 0) != LUA_OK) {
    corpus_release(c);
    lua_error(L);
  }
  ((lcorpus *)lua_touserdata(L, -1))->c = c;
}

/* Push document i of c. [-0, +1, m] */
static void push_doc(lua_State *L, corpus *c, size_t i) {
  ldoc *d = lua_newuserdatauv(L, sizeof *d, 0);
  d->c = corpus_retain(c);
  d->i = i;
  luaL_setmetatable(L, DOC_MT);
}

/* push_owned's protected part: the string at the light userdata. */
static int push_span(lua_State *L) {
  const lector_text *t = lua_touserdata(L, 1);
  lua_pushlstring(L, t->data, t->len);
  return 1;
}

/* Push a copy of s[0..n) that the caller frees after: a memory error is
** caught (and left on the stack) so that the caller can free s first.
** LUA_OK, or an error status to raise with lua_error.  [-0, +1, -] */
static int push_owned(lua_State *L, const char *s, size_t n) {
  lector_text t = {.data = s, .len = n};
  lua_pushcfunction(L, push_span);
  lua_pushlightuserdata(L, &t);
  return lua_pcall(L, 1, 1, 0);
}

/* See lua_corpus.h. */
int lcorpus_raise(lua_State *L, const char *prefix, char *err) {
  char *msg = util_errorf("%s%s", prefix, UTIL_MSG(err));
  free(err);
  const char *m = msg ? msg : "out of memory";
  push_owned(L, m, strlen(m));
  free(msg);
  return lua_error(L);
}

/* Read the text of document i, or raise an error naming the file. */
static void read_text(lua_State *L, corpus *c, size_t i, lector_text *out) {
  char *err = NULL;
  if (corpus_text(c, i, out, &err) == 0) return;
  lcorpus_raise(L, "", err);
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

/* Push one metadata value as its type says. */
static void push_meta_value(lua_State *L, const corpus_meta *m) {
  switch (m->type) {
  case CORPUS_META_NUMBER:
    if (lua_stringtonumber(L, m->value) == 0) lua_pushstring(L, m->value);
    break;
  case CORPUS_META_BOOL: lua_pushboolean(L, strcmp(m->value, "true") == 0); break;
  default: lua_pushstring(L, m->value);
  }
}

static void push_meta(lua_State *L, const corpus *c, size_t i,
                      const corpus_doc *d) {
  corpus_meta m;
  size_t pos = 0;
  lua_newtable(L);
  while (corpus_meta_next(c, i, &pos, &m)) {
    if (m.type == CORPUS_META_LIST) {          /* items in order */
      if (lua_getfield(L, -1, m.key) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, m.key);
      }
      lua_pushstring(L, m.value);
      lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
      lua_pop(L, 1);
      continue;
    }
    push_meta_value(L, &m);
    lua_setfield(L, -2, m.key);
  }
  lua_pushstring(L, corpus_encoding_name(c, d));
  lua_setfield(L, -2, "encoding");
  lua_pushboolean(L, d->encoding != CORPUS_ENC_RAW);
  lua_setfield(L, -2, "utf8");
  if (d->date_source != CORPUS_DATE_NONE) {
    lua_pushstring(L, corpus_date_source_name(d->date_source));
    lua_setfield(L, -2, "date_source");
  }
  corpus_filter_meta(c, i, L);             /* a view's own fields */
}

void lcorpus_push_meta(lua_State *L, const corpus *c, size_t i) {
  const corpus_doc *d = corpus_doc_at(c, i);
  if (d) push_meta(L, c, i, d);
  else lua_pushnil(L);
}

const char *lcorpus_meta(const corpus *c, size_t i, const char *key) {
  return corpus_meta_get(c, i, key, NULL);
}

static const char *const doc_fields[] = {
  "id", "path", "title", "date", "month", "year", "folder", "format",
  "bytes", "text", "meta", "index"
};

/* doc.year: a number (the month stays "YYYY-MM"); nil without a date. */
static void push_year(lua_State *L, const corpus_doc *d) {
  if (d->date) lua_pushinteger(L, d->date / 10000);
  else lua_pushnil(L);
}

/* doc.folder: the first component of its file's id, "" at the root. */
static void push_folder(lua_State *L, const corpus_doc *d) {
  size_t cap = strlen(d->file_id ? d->file_id : d->id) + 1;  /* never cut */
  luaL_Buffer b;
  char *p = luaL_buffinitsize(L, &b, cap);
  luaL_pushresultsize(&b, corpus_doc_folder(d, p, cap));
}

/* Push field k of document d; 0 if there is no such field. */
static int push_field(lua_State *L, ldoc *u, const corpus_doc *d,
                      const char *k) {
  if (strcmp(k, "id") == 0) lua_pushstring(L, d->id);
  else if (strcmp(k, "path") == 0) lua_pushstring(L, d->path);
  else if (strcmp(k, "title") == 0) lua_pushstring(L, d->title);
  else if (strcmp(k, "bytes") == 0) lua_pushinteger(L, (lua_Integer)d->bytes);
  else if (strcmp(k, "date") == 0) push_date_part(L, d, 10);
  else if (strcmp(k, "month") == 0) push_date_part(L, d, 7);
  else if (strcmp(k, "year") == 0) push_year(L, d);
  else if (strcmp(k, "folder") == 0) push_folder(L, d);
  else if (strcmp(k, "format") == 0)
    lua_pushstring(L, corpus_format_name(d->format));
  else if (strcmp(k, "index") == 0) lua_pushinteger(L, (lua_Integer)u->i + 1);
  else if (strcmp(k, "meta") == 0) push_meta(L, u->c, u->i, d);
  else if (strcmp(k, "text") == 0) {
    lector_text t;
    read_text(L, u->c, u->i, &t);
    int rc = push_owned(L, t.data, t.len);
    corpus_text_release(&t);
    if (rc != LUA_OK) lua_error(L);
  } else return 0;
  return 1;
}

static int ldoc_index(lua_State *L) {
  ldoc *u;
  const corpus_doc *d = check_doc(L, 1, &u);
  const char *k = luaL_checkstring(L, 2);
  if (!push_field(L, u, d, k))
    return luaL_error(L, "a document has no field '%s' (fields: id, path, "
                      "title, date, month, year, folder, format, bytes, "
                      "text, meta, index)", k);
  return 1;
}

static int ldoc_tostring(lua_State *L) {
  const corpus_doc *d = check_doc(L, 1, NULL);
  char date[11];
  lua_pushfstring(L, "doc %s (%s, %I bytes)", d->id,
                  corpus_doc_date(d, date) ? date : "no date",
                  (lua_Integer)d->bytes);
  return 1;
}

/* Multi-line summary for the REPL: id, date, title, first line. */
static int ldoc_summary(lua_State *L) {
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

static int ldoc_eq(lua_State *L) {
  ldoc *a = luaL_checkudata(L, 1, DOC_MT), *b = luaL_checkudata(L, 2, DOC_MT);
  if (!a->c || !b->c) luaL_error(L, DOC_GONE);
  lua_pushboolean(L, corpus_doc_at(a->c, a->i) == corpus_doc_at(b->c, b->i));
  return 1;
}

static int ldoc_gc(lua_State *L) {
  ldoc *d = luaL_checkudata(L, 1, DOC_MT);
  corpus_release(d->c);
  d->c = NULL;
  return 0;
}

/* --- corpora --------------------------------------------------------------- */

static int lcorpus_len(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)corpus_count(check_corpus(L, 1)));
  return 1;
}

/* Upvalues: the corpus, the next index, the progress bar.  A step
** counts the previous document done; the last one ends the bar. */
static int lcorpus_each_step(lua_State *L) {
  corpus *c = check_open(L, lua_upvalueindex(1), "corpus:each");
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
static int lcorpus_each(lua_State *L) {
  corpus *c = check_corpus(L, 1);
  lua_settop(L, 1);
  lua_pushinteger(L, 0);
  lector_progress_push(L, "corpus:each", "docs", corpus_count(c));
  lua_pushvalue(L, -1);
  lua_insert(L, 1);                    /* bar, corpus, 0, bar */
  lua_pushcclosure(L, lcorpus_each_step, 3);
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
  if (corpus_subset(c, l->idx, l->n, &sub, &err) != 0) lcorpus_raise(L, "", err);
  lcorpus_push(L, sub);
}

/* The corpus userdata at idx, for checking after a script's function ran
** that it was not closed meanwhile.  [-0, +0, v] */
static corpus *still_open(lua_State *L, int idx, const char *fname,
                          const char *what) {
  lcorpus *u = lua_touserdata(L, idx);
  if (!u->c) luaL_error(L, "%s: corpus was closed during %s", fname, what);
  return u->c;
}

/* corpus:filter(fn) -> a corpus of the documents for which fn(doc) is
** true.  A slow fn gets a progress bar.  The corpus value stays at 1, and
** is checked after every call of fn: fn may close it. */
static int lcorpus_filter(lua_State *L) {
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
    c = still_open(L, 1, "corpus:filter", "filter");
    if (lua_toboolean(L, -1)) l->idx[l->n++] = i;
    lua_pop(L, 1);
    progress_add(bar, 1);
  }
  lector_progress_done(L, 4);
  push_subset(L, c, l);
  return 1;
}

/* --- group keys: one implementation for corpus:group_by and plugins ------ */

/* Fields of a document that make no sense as group keys: the text, the
** metadata table, the length.  (A function can still bucket them.) */
static const char *const not_keys[] = {"text", "meta", "bytes", NULL};

/* Raise unless the value at idx is a usable `by`.  [-0, +0, v] */
static void check_by(lua_State *L, int idx, const char *fname) {
  int t = lua_type(L, idx);
  if (t == LUA_TFUNCTION) return;
  if (t != LUA_TSTRING)
    luaL_error(L, "%s: 'by' must be a field name, a front-matter key or a "
               "function, got %s", fname, luaL_typename(L, idx));
  const char *k = lua_tostring(L, idx);
  if (!*k) luaL_error(L, "%s: 'by' is an empty string", fname);
  for (int i = 0; not_keys[i]; i++)
    if (strcmp(k, not_keys[i]) == 0)
      luaL_error(L, "%s: cannot group by '%s' (keys: date, month, year, "
                 "folder, format, id, path, title, index, a metadata key, "
                 "or a function of the document)", fname, k);
}

/* Push metadata key k of document i as a group key: nil when absent, a
** list's items as a Lua list (a group each), a number as a number, any
** other value as its text (a boolean "true"/"false": keys are strings or
** numbers).  [-0, +1, m] */
static void push_meta_key(lua_State *L, const corpus *c, size_t i,
                          const char *k) {
  int type;
  const char *v = corpus_meta_get(c, i, k, &type);
  if (!v) {
    lua_pushnil(L);
    return;
  }
  if (type == CORPUS_META_NUMBER && lua_stringtonumber(L, v)) return;
  if (type != CORPUS_META_LIST) {
    lua_pushstring(L, v);
    return;
  }
  corpus_meta m;
  size_t pos = 0;
  lua_newtable(L);
  while (corpus_meta_next(c, i, &pos, &m))
    if (m.type == CORPUS_META_LIST && strcmp(m.key, k) == 0) {
      lua_pushstring(L, m.value);
      lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
    }
}

/* Push the key of document i by the field name or function at by; a
** function's result is checked by the caller.  [-0, +1, e] */
static void push_key(lua_State *L, corpus *c, size_t i, int by) {
  if (lua_type(L, by) == LUA_TFUNCTION) {
    lua_pushvalue(L, by);
    push_doc(L, c, i);
    lua_call(L, 1, 1);
    return;
  }
  const char *k = lua_tostring(L, by);
  const corpus_doc *d = corpus_doc_at(c, i);
  ldoc u = {c, i};
  if (push_field(L, &u, d, k)) return;
  push_meta_key(L, c, i, k);                       /* a metadata key */
}

/* The result of lcorpus_groups, in counted memory freed by __gc. */
typedef struct groups_data {
  lector_groups g;
  int32_t *group, *member;
  size_t *first;
  size_t cap;          /* of member */
} groups_data;

static int groups_data_gc(lua_State *L) {
  groups_data *gd = lua_touserdata(L, 1);
  mem_free(gd->group);
  mem_free(gd->member);
  mem_free(gd->first);
  memset(gd, 0, sizeof *gd);
  return 0;
}

static groups_data *new_groups_data(lua_State *L, size_t n) {
  groups_data *gd = lua_newuserdatauv(L, sizeof *gd, 0);
  memset(gd, 0, sizeof *gd);
  if (luaL_newmetatable(L, "lector.groups_data")) {
    lua_pushcfunction(L, groups_data_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_setmetatable(L, -2);
  if (n >= INT32_MAX || n + 1 > SIZE_MAX / sizeof(size_t))
    luaL_error(L, "too many documents to group (%I)", (lua_Integer)n);
  gd->group = mem_alloc((n ? n : 1) * sizeof *gd->group);
  gd->first = mem_alloc((n + 1) * sizeof *gd->first);
  if (!gd->group || !gd->first) luaL_error(L, "out of memory");
  gd->g.ndocs = n;
  return gd;
}

/* Append group id m (1-based, provisional) to gd's members. */
static void add_member(lua_State *L, groups_data *gd, size_t *nm, int32_t m) {
  if (*nm == gd->cap) {
    size_t cap = gd->cap ? gd->cap * 2 : 64;
    if (cap < gd->cap || cap > SIZE_MAX / sizeof *gd->member)
      luaL_error(L, "out of memory");
    int32_t *p = mem_realloc(gd->member, cap * sizeof *p);
    if (!p) luaL_error(L, "out of memory");
    gd->member = p;
    gd->cap = cap;
  }
  gd->member[(*nm)++] = m;
}

/* One key at -1 for document i: its provisional id (1-based, in order of
** first appearance) from the table at ids, adding it to the list at keys.
** Pops the key.  [-1, +0, e] */
static int32_t key_id(lua_State *L, int ids, int keys, corpus *c, size_t i,
                      const char *fname) {
  int t = lua_type(L, -1);
  if (t != LUA_TSTRING && t != LUA_TNUMBER)
    luaL_error(L, "%s: the key of %s is a %s (want a string, a number or a "
               "list of them)", fname, corpus_doc_at(c, i)->id,
               lua_typename(L, t));
  if (t == LUA_TNUMBER && isnan(lua_tonumber(L, -1)))
    luaL_error(L, "%s: the key of %s is NaN", fname, corpus_doc_at(c, i)->id);
  lua_pushvalue(L, -1);
  if (lua_rawget(L, ids) == LUA_TNIL) {
    lua_Unsigned k = lua_rawlen(L, keys) + 1;
    if (k >= INT32_MAX) luaL_error(L, "%s: too many groups", fname);
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    lua_rawseti(L, keys, (lua_Integer)k);
    lua_pushinteger(L, (lua_Integer)k);
    lua_rawset(L, ids);                      /* pops the key too */
    return (int32_t)k;
  }
  int32_t k = (int32_t)lua_tointeger(L, -1);
  lua_pop(L, 2);
  return k;
}

/* The keys of document i (the value at -1: nil, a key, or a list) into
** gd's members.  Pops the value.  [-1, +0, e] */
static void doc_keys(lua_State *L, groups_data *gd, size_t *nm, int ids,
                     int keys, corpus *c, size_t i, const char *fname) {
  size_t start = *nm;
  if (lua_type(L, -1) == LUA_TTABLE) {
    lua_Unsigned len = lua_rawlen(L, -1);
    if (len == 0)
      luaL_error(L, "%s: the key of %s is an empty list (return nil to "
                 "leave a document out)", fname, corpus_doc_at(c, i)->id);
    for (lua_Unsigned j = 1; j <= len; j++) {
      lua_rawgeti(L, -1, (lua_Integer)j);
      int32_t m = key_id(L, ids, keys, c, i, fname);
      int seen = 0;
      for (size_t x = start; x < *nm; x++) seen |= gd->member[x] == m;
      if (!seen) add_member(L, gd, nm, m);
    }
  } else if (!lua_isnil(L, -1)) {
    lua_pushvalue(L, -1);
    add_member(L, gd, nm, key_id(L, ids, keys, c, i, fname));
  }
  lua_pop(L, 1);
}

static int key_less(lua_State *L);

/* Sort the list at keys as pairs() walks a group table.  [-0, +0, e] */
static void sort_keys(lua_State *L, int keys) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_getfield(L, -1, "table");
  lua_getfield(L, -1, "sort");
  lua_pushvalue(L, keys);
  lua_pushcfunction(L, key_less);
  lua_call(L, 2, 0);
  lua_pop(L, 2);
}

const lector_groups *lcorpus_groups(lua_State *L, int cidx, int by,
                                    const char *fname) {
  cidx = lua_absindex(L, cidx);
  by = lua_absindex(L, by);
  corpus *c = check_open(L, cidx, fname);
  check_by(L, by, fname);
  int fn = lua_type(L, by) == LUA_TFUNCTION;
  size_t n = corpus_count(c), nm = 0;
  groups_data *gd = new_groups_data(L, n);         /* result 1 */
  int top = lua_gettop(L);
  lua_newtable(L);                                 /* top+1: keys */
  lua_newtable(L);                                 /* top+2: key -> id */
  progress *bar = lector_progress_push(L, fname, "docs", n);    /* top+3 */
  for (size_t i = 0; i < n; i++) {
    push_key(L, c, i, by);
    if (fn) c = still_open(L, cidx, fname, "the 'by' function");
    gd->first[i] = nm;
    doc_keys(L, gd, &nm, top + 2, top + 1, c, i, fname);
    progress_add(bar, 1);
  }
  gd->first[n] = nm;
  lector_progress_done(L, top + 3);
  size_t ng = lua_rawlen(L, top + 1);
  /* provisional id -> rank in sorted order */
  int32_t *rank = lua_newuserdatauv(L, (ng ? ng : 1) * sizeof *rank, 0);
  sort_keys(L, top + 1);
  for (size_t g = 0; g < ng; g++) {
    lua_rawgeti(L, top + 1, (lua_Integer)g + 1);
    lua_rawget(L, top + 2);
    rank[lua_tointeger(L, -1) - 1] = (int32_t)g;
    lua_pop(L, 1);
  }
  for (size_t x = 0; x < nm; x++) gd->member[x] = rank[gd->member[x] - 1];
  for (size_t i = 0; i < n; i++) {
    gd->group[i] = gd->first[i] < gd->first[i + 1]
                       ? gd->member[gd->first[i]] : -1;
    gd->g.multi |= gd->first[i + 1] - gd->first[i] > 1;
  }
  gd->g.ngroups = ng;
  gd->g.group = gd->group;
  gd->g.first = gd->first;
  gd->g.member = gd->member;
  lua_settop(L, top + 1);                          /* holder, keys */
  return &gd->g;
}

/* corpus:group_by(key_or_fn) -> {key = corpus}, multi; pairs() gives the
** keys in order.  The keys are lcorpus_groups's (plugin.h: group_keys);
** documents whose key is nil are left out, a list (from the function or
** a list in doc.meta) puts a document in each group; multi (only when
** not 0) counts the documents in more than one group, so that a caller
** can tell that the groups' sizes add up to more than the corpus. */
static int lcorpus_group_by(lua_State *L) {
  lua_settop(L, 2);
  const lector_groups *g = lcorpus_groups(L, 1, 2, "corpus:group_by");
  corpus *c = check_corpus(L, 1);                  /* 3: holder, 4: keys */
  size_t ng = g->ngroups ? g->ngroups : 1;
  lua_createtable(L, 0, g->ngroups < INT32_MAX ? (int)g->ngroups : 0); /* 5 */
  size_t *count = lua_newuserdatauv(L, ng * sizeof *count, 0);      /* 6 */
  idx_list **list = lua_newuserdatauv(L, ng * sizeof *list, 0);     /* 7 */
  lua_createtable(L, g->ngroups < INT32_MAX ? (int)g->ngroups : 0, 0); /* 8 */
  memset(count, 0, ng * sizeof *count);
  for (size_t x = 0; x < g->first[g->ndocs]; x++) count[g->member[x]]++;
  for (size_t k = 0; k < g->ngroups; k++) {  /* lists kept alive by 8 */
    list[k] = new_list(L, count[k]);
    lua_rawseti(L, 8, (lua_Integer)k + 1);
  }
  for (size_t i = 0; i < g->ndocs; i++)       /* one pass, docs in order */
    for (size_t x = g->first[i]; x < g->first[i + 1]; x++) {
      idx_list *l = list[g->member[x]];
      l->idx[l->n++] = i;
    }
  for (size_t k = 0; k < g->ngroups; k++) {
    lua_rawgeti(L, 4, (lua_Integer)k + 1);
    push_subset(L, c, list[k]);
    lua_rawset(L, 5);
  }
  lua_settop(L, 5);
  lcorpus_sorted_pairs(L, 5);
  size_t multi = 0;                 /* documents in more than one group */
  for (size_t i = 0; g->multi && i < g->ndocs; i++)
    multi += g->first[i + 1] - g->first[i] > 1;
  if (!multi) return 1;             /* the usual case shows as before */
  lua_pushinteger(L, (lua_Integer)multi);
  return 2;
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
static int lcorpus_dates(lua_State *L) {
  char lo[11], hi[11];
  date_range(check_corpus(L, 1), lo, hi);
  if (!lo[0]) return 0;
  lua_pushstring(L, lo);
  lua_pushstring(L, hi);
  return 2;
}

/* corpus:bytes() -> total text bytes. */
static int lcorpus_total_bytes(lua_State *L) {
  lua_pushinteger(L, (lua_Integer)total_bytes(check_corpus(L, 1)));
  return 1;
}

/* --- warnings: tables that behave as their message ----------------------- */

#define WARNING_MT "lector.warning"

/* The message of the warning table at idx, or NULL.  [-0, +0, -] */
static const char *warning_message(lua_State *L, int idx, size_t *len) {
  if (!lua_istable(L, idx) || !lua_getmetatable(L, idx)) return NULL;
  luaL_getmetatable(L, WARNING_MT);
  int is = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  if (!is) return NULL;
  lua_pushliteral(L, "message");
  lua_rawget(L, idx);
  const char *s = lua_tolstring(L, -1, len);
  lua_pop(L, 1);                 /* still referenced by the table */
  return s;
}

static int warning_tostring(lua_State *L) {
  size_t n;
  const char *s = warning_message(L, 1, &n);
  lua_pushlstring(L, s ? s : "", s ? n : 0);
  return 1;
}

/* w .. x and x .. w: as if w were its message. */
static int warning_concat(lua_State *L) {
  for (int i = 1; i <= 2; i++) {
    size_t n;
    const char *s = warning_message(L, i, &n);
    if (s) lua_pushlstring(L, s, n);
    else if (lua_type(L, i) == LUA_TSTRING || lua_type(L, i) == LUA_TNUMBER)
      lua_pushvalue(L, i);
    else
      return luaL_error(L, "attempt to concatenate a %s value",
                        luaL_typename(L, i));
  }
  lua_concat(L, 2);
  return 1;
}

/* A string method called on a warning: upvalue 1 is the method. */
static int warning_method(lua_State *L) {
  size_t n;
  const char *s = warning_message(L, 1, &n);
  if (s) {
    lua_pushlstring(L, s, n);
    lua_replace(L, 1);
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}

/* w:find(...), w:match(...) ...: the string methods, on the message. */
static int warning_index(lua_State *L) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  if (lua_type(L, 2) != LUA_TSTRING || lua_getfield(L, -1, "string") !=
      LUA_TTABLE || lua_getfield(L, -1, lua_tostring(L, 2)) != LUA_TFUNCTION)
    return 0;
  lua_pushcclosure(L, warning_method, 1);
  return 1;
}

/* Push warning i of c: {message =, path =, reason =, line = (nil for
** none)}, printing as its message.  [-0, +1, m] */
static void push_warning(lua_State *L, corpus *c, size_t i) {
  const corpus_warning_info *w = corpus_warning_at(c, i);
  lua_createtable(L, 0, 4);
  lua_pushstring(L, w->msg);
  lua_setfield(L, -2, "message");
  lua_pushstring(L, w->path);
  lua_setfield(L, -2, "path");
  lua_pushstring(L, w->reason);
  lua_setfield(L, -2, "reason");
  if (w->line) {
    lua_pushinteger(L, (lua_Integer)w->line);
    lua_setfield(L, -2, "line");
  }
  luaL_setmetatable(L, WARNING_MT);
}

static void push_warnings(lua_State *L, corpus *c) {
  size_t n = corpus_warning_count(c);
  lua_createtable(L, n < INT32_MAX ? (int)n : 0, 0);
  for (size_t i = 0; i < n; i++) {
    push_warning(L, c, i);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
}

static int lcorpus_index(lua_State *L) {
  if (lua_type(L, 2) == LUA_TSTRING) {      /* methods, even when closed: */
    luaL_getmetafield(L, 1, "__methods");   /* they say "corpus is closed" */
    if (lua_getfield(L, -1, lua_tostring(L, 2)) != LUA_TNIL) return 1;
    lua_pop(L, 2);
  }
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

static int lcorpus_tostring(lua_State *L) {
  lcorpus *u = luaL_checkudata(L, 1, CORPUS_MT);
  if (!u->c) {
    lua_pushliteral(L, "corpus (closed)");
    return 1;
  }
  corpus *c = u->c;
  lua_pushfstring(L, "corpus (%I documents)", (lua_Integer)corpus_count(c));
  return 1;
}

/* Multi-line summary for the REPL. */
static int lcorpus_summary(lua_State *L) {
  if (!lcorpus_test(L, 1)) return lcorpus_tostring(L);
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
static int lcorpus_close(lua_State *L) {
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
  lua_Integer len = luaL_len(L, idx);
  /* __len is the script's: check it against the memory it would take and
  ** against the table itself before allocating for it. */
  if (len < 0 || (lua_Unsigned)len > SIZE_MAX / sizeof(char *) ||
      (lua_Unsigned)len > lua_rawlen(L, idx))
    luaL_error(L, "lector.load: %s has a length of %I, but holds %I items",
               what, len, (lua_Integer)lua_rawlen(L, idx));
  *n = (size_t)len;
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
  "ext", "glob", "encoding", "strict", "quiet", "hidden", "threads",
  "format", "text", "id", "date", "dates", "shard", NULL
};

/* opts[k] when it is a string (nil: NULL), else an error naming k; the
** string stays referenced by the options table.  [-0, +1, v] */
static const char *opt_string(lua_State *L, int t, const char *k) {
  int ty = lua_getfield(L, t, k);
  if (ty == LUA_TNIL) return NULL;
  if (ty != LUA_TSTRING)
    luaL_error(L, "lector.load: opts.%s: expected a column name (a string), "
               "got %s", k, luaL_typename(L, -1));
  size_t n;
  const char *s = lua_tolstring(L, -1, &n);
  if (n == 0 || strlen(s) != n)
    luaL_error(L, "lector.load: opts.%s: %s", k,
               n ? "a column name cannot hold a NUL byte"
                 : "an empty column name");
  return s;
}

/* opts.format: "auto" (nil), "text", "csv", "tsv" or "jsonl". */
static int opt_format(lua_State *L, int t) {
  static const char *const names[] = {"auto", "text", "csv", "tsv", "jsonl",
                                      NULL};
  static const int fmts[] = {CORPUS_FMT_AUTO, CORPUS_FMT_TEXT, CORPUS_FMT_CSV,
                             CORPUS_FMT_TSV, CORPUS_FMT_JSONL};
  int ty = lua_getfield(L, t, "format");
  if (ty == LUA_TNIL) return CORPUS_FMT_AUTO;
  if (ty == LUA_TSTRING)
    for (int i = 0; names[i]; i++)
      if (strcmp(lua_tostring(L, -1), names[i]) == 0) return fmts[i];
  return luaL_error(L, "lector.load: opts.format: %s%s%s (formats: "
                    "\"auto\", \"text\", \"csv\", \"tsv\", \"jsonl\")",
                    ty == LUA_TSTRING ? "unknown format '" : "expected a "
                    "string, got ", ty == LUA_TSTRING ? lua_tostring(L, -1)
                    : luaL_typename(L, -1), ty == LUA_TSTRING ? "'" : "");
}

/* opts.dates: "auto" (nil), "header" or false. */
static int opt_dates(lua_State *L, int t) {
  int ty = lua_getfield(L, t, "dates");
  if (ty == LUA_TNIL) return CORPUS_DATES_AUTO;
  if (ty == LUA_TBOOLEAN && !lua_toboolean(L, -1)) return CORPUS_DATES_NONE;
  if (ty == LUA_TSTRING && strcmp(lua_tostring(L, -1), "auto") == 0)
    return CORPUS_DATES_AUTO;
  if (ty == LUA_TSTRING && strcmp(lua_tostring(L, -1), "header") == 0)
    return CORPUS_DATES_HEADER;
  return luaL_error(L, "lector.load: opts.dates: expected \"auto\", "
                    "\"header\" or false, got %s%s%s",
                    ty == LUA_TSTRING ? "'" : "", luaL_tolstring(L, -1, NULL),
                    ty == LUA_TSTRING ? "'" : "");
}

/* opts.shard: {i, n}, integers with 1 <= i <= n. */
static void opt_shard(lua_State *L, int t, corpus_opts *o) {
  if (lua_getfield(L, t, "shard") == LUA_TNIL) {
    lua_pop(L, 1);
    return;
  }
  lua_Integer v[2] = {0, 0};
  int ok = lua_type(L, -1) == LUA_TTABLE && lua_rawlen(L, -1) == 2;
  for (int k = 0; ok && k < 2; k++) {
    int isint = 0;
    lua_rawgeti(L, -1 - k, k + 1);
    v[k] = lua_tointegerx(L, -1, &isint);
    ok = isint && lua_type(L, -1) == LUA_TNUMBER;
  }
  if (!ok || v[1] < 1 || v[1] > 1000000 || v[0] < 1 || v[0] > v[1])
    luaL_error(L, "lector.load: opts.shard: expected {i, n}, integers with "
               "1 <= i <= n <= 1000000");
  o->shard_i = (unsigned)v[0];
  o->shard_n = (unsigned)v[1];
  lua_pop(L, 3);
}

static void parse_opts(lua_State *L, int t, corpus_opts *o) {
  luaL_checkstack(L, 24, "lector.load: options");
  lua_pushnil(L);
  while (lua_next(L, t)) {
    const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
    int known = 0;
    for (int i = 0; load_opts[i]; i++) known |= strcmp(k, load_opts[i]) == 0;
    if (!known)
      luaL_error(L, "lector.load: unknown option '%s' (options: ext, glob, "
                 "encoding, strict, quiet, hidden, threads, format, text, "
                 "id, date, dates, shard)",
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
    int isint = 0;
    lua_Integer n = lua_tointegerx(L, -1, &isint);
    if (lua_type(L, -1) != LUA_TNUMBER || !isint)
      luaL_error(L, "lector.load: opts.threads: expected an integer, got %s",
                 lua_type(L, -1) == LUA_TNUMBER
                     ? lua_pushfstring(L, "%f", lua_tonumber(L, -1))
                     : luaL_typename(L, -1));
    if (n < 0 || n > LECTOR_MAX_THREADS)
      luaL_error(L, "lector.load: opts.threads: expected 0 (all cores) to %d, "
                 "got %I", LECTOR_MAX_THREADS, n);
    o->threads = (int)n;
  }
  o->format = opt_format(L, t);
  o->dates = opt_dates(L, t);
  o->text_field = opt_string(L, t, "text");
  o->id_field = opt_string(L, t, "id");
  o->date_field = opt_string(L, t, "date");
  opt_shard(L, t, o);
  o->strict = opt_bool(L, t, "strict");
  o->quiet = opt_bool(L, t, "quiet");
  o->hidden = opt_bool(L, t, "hidden");
  /* the values stay referenced by the options table at t, which stays on
  ** the stack during the load */
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
  if (rc != 0) return lcorpus_raise(L, "lector.load: ", err);
  lcorpus_push(L, c);
  return 1;
}

/* --- metatables ------------------------------------------------------------ */

void lcorpus_open(lua_State *L) {
  static const luaL_Reg lcorpus_mt[] = {
    {"__index", lcorpus_index},
    {"__len", lcorpus_len},
    {"__tostring", lcorpus_tostring},
    {"__summary", lcorpus_summary},
    {"__gc", lcorpus_close},
    {"__close", lcorpus_close},
    {NULL, NULL}
  };
  static const luaL_Reg lcorpus_methods[] = {
    {"each", lcorpus_each},
    {"filter", lcorpus_filter},
    {"group_by", lcorpus_group_by},
    {"join", lcorpus_join},
    {"dates", lcorpus_dates},
    {"bytes", lcorpus_total_bytes},
    {"close", lcorpus_close},
    {NULL, NULL}
  };
  static const luaL_Reg ldoc_mt[] = {
    {"__index", ldoc_index},
    {"__tostring", ldoc_tostring},
    {"__summary", ldoc_summary},
    {"__eq", ldoc_eq},
    {"__gc", ldoc_gc},
    {NULL, NULL}
  };
  static const luaL_Reg warning_mt[] = {
    {"__tostring", warning_tostring},
    {"__concat", warning_concat},
    {"__index", warning_index},
    {NULL, NULL}
  };
  luaL_newmetatable(L, WARNING_MT);
  luaL_setfuncs(L, warning_mt, 0);
  lua_pop(L, 1);
  luaL_newmetatable(L, CORPUS_MT);
  luaL_setfuncs(L, lcorpus_mt, 0);
  luaL_newlib(L, lcorpus_methods);
  lua_setfield(L, -2, "__methods");
  lua_pop(L, 1);
  luaL_newmetatable(L, DOC_MT);
  luaL_setfuncs(L, ldoc_mt, 0);
  lua_createtable(L, (int)(sizeof doc_fields / sizeof *doc_fields), 0);
  for (size_t i = 0; i < sizeof doc_fields / sizeof *doc_fields; i++) {
    lua_pushstring(L, doc_fields[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "__fields");    /* for the REPL's completion */
  lua_pop(L, 1);
}
