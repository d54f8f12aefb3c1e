/*
** lua_corpus_join.c -- corpus:join(source [, opts]): metadata for the
** documents of a corpus from a CSV/TSV file with a header, a labels file
** ("<id> <label> <label>...", as Reuters' cats.txt) or a Lua table keyed
** by id, set with corpus_meta_set (a joined key hides a loaded one of the
** same name; joining the same key again replaces it).
**
** Ids: a source id matches the documents whose id is exactly it, else
** those whose id less its extension is it, else those whose id is it
** less its extension ("a.txt" never matches "a.md").  A row's id is its
** doc.id (the `id` column it was loaded with, or "<file>#<row>").
**
** The file is opened without blocking, must be a regular file, and is
** read in chunks of JOIN_CHUNK bytes; a record is held whole (at most
** LECTOR_JOIN_RECORD_MAX bytes).  The loop polls session_interrupted().
*/
#include "lua_corpus.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>

#include "corpus_internal.h"
#include "mem.h"
#include "session.h"
#include "table.h"
#include "util.h"

/* Longest record of a join file, in bytes (an unclosed CSV quote makes
** one record of the rest of the file: it stops there, with an error). */
#ifndef LECTOR_JOIN_RECORD_MAX
#define LECTOR_JOIN_RECORD_MAX (1 << 20)
#endif

#define JOIN_CHUNK 65536
#define JOIN_MAX_COLUMNS 4096   /* of a header */
#define JOIN_NAMED 5            /* ids named in a warning */

#define FNAME "corpus:join"

enum { FMT_CSV, FMT_TSV, FMT_LABELS };

/* The file being read and its buffers (counted memory), in a userdata
** whose __gc closes and frees them however the join ends. */
typedef struct join_file {
  int fd;
  char *rec;                   /* the record being assembled */
  size_t len, cap;
  table_field *f;              /* its fields */
  char *cell;                  /* one field's value */
  size_t cell_cap;
} join_file;

/* The stack slots of one join. */
typedef struct join {
  lua_State *L;
  corpus *c;
  const char *path, *shown;    /* shown: path escaped for messages */
  const char *as;              /* labels, scalar values: the key */
  const char *on;              /* tables: the id column */
  int fmt, quiet;
  int exact, stem;             /* id -> doc (an index or a list) */
  int columns;                 /* tables: header names; labels: per doc */
  int unmatched, warnings;     /* lists */
  int header_seen;
  size_t ncols, on_col, rows, skipped;
  uint8_t *hit;                /* per document: got a value */
  join_file *jf;
} join;

/* --- files ----------------------------------------------------------------- */

static void close_file(join_file *jf) {
  if (jf->fd >= 0) close(jf->fd);
  jf->fd = -1;
  mem_free(jf->rec);
  mem_free(jf->f);
  mem_free(jf->cell);
  jf->rec = jf->cell = NULL;
  jf->f = NULL;
}

static int join_file_gc(lua_State *L) {
  close_file(lua_touserdata(L, 1));
  return 0;
}

/* Push the holder of a file, to be closed: an error closes the file as
** it unwinds the stack, not at the next GC.  [-0, +1, m] */
static join_file *new_file(lua_State *L) {
  join_file *jf = lua_newuserdatauv(L, sizeof *jf, 0);
  memset(jf, 0, sizeof *jf);
  jf->fd = -1;
  if (luaL_newmetatable(L, "lector.join_file")) {
    lua_pushcfunction(L, join_file_gc);
    lua_setfield(L, -2, "__gc");
    lua_pushcfunction(L, join_file_gc);
    lua_setfield(L, -2, "__close");
  }
  lua_setmetatable(L, -2);
  lua_toclose(L, -1);
  return jf;
}

/* Open path for reading, never blocking, a regular file only.
** [-0, +0, v] */
static void open_file(join *j) {
  struct stat sb;
  int e = corpus_open_input(j->path, &j->jf->fd, &sb);
  if (e == CORPUS_NOT_REGULAR)
    luaL_error(j->L, FNAME ": %s is not a regular file (%s)", j->shown,
               corpus_file_kind((unsigned)sb.st_mode));
  if (e) luaL_error(j->L, FNAME ": cannot open %s: %s", j->shown, strerror(e));
}

/* Make room for n bytes in *p of capacity *cap (counted memory).
** [-0, +0, v] */
static void *grow(lua_State *L, void *p, size_t *cap, size_t n) {
  if (n <= *cap) return p;
  size_t c = *cap ? *cap : 256;
  while (c < n) c *= 2;
  void *q = mem_realloc(p, c);
  if (!q) luaL_error(L, FNAME ": out of memory");
  *cap = c;
  return q;
}

/* --- ids ------------------------------------------------------------------- */

/* The length of s[0..n) less its extension (a dot in its last path
** component, not its first byte); n when it has none. */
static size_t stem_len(const char *s, size_t n) {
  for (size_t k = n; k > 0; k--) {
    if (s[k - 1] == '/') return n;
    if (s[k - 1] == '.') {
      if (k - 1 == 0 || s[k - 2] == '/') return n;   /* ".profile" */
      return k - 1;
    }
  }
  return n;
}

/* Add document i (0-based) under key s[0..n) of the table at t: an
** integer, or a list when several documents share it.  [-0, +0, m] */
static void index_add(lua_State *L, int t, const char *s, size_t n, size_t i) {
  lua_pushlstring(L, s, n);
  int ty = lua_rawget(L, t);
  if (ty == LUA_TNIL) {
    lua_pop(L, 1);
    lua_pushlstring(L, s, n);
    lua_pushinteger(L, (lua_Integer)i);
    lua_rawset(L, t);
    return;
  }
  if (ty == LUA_TNUMBER) {                 /* a second document: a list */
    lua_createtable(L, 2, 0);
    lua_insert(L, -2);
    lua_rawseti(L, -2, 1);
    lua_pushlstring(L, s, n);
    lua_pushvalue(L, -2);
    lua_rawset(L, t);
  }
  lua_pushinteger(L, (lua_Integer)i);
  lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
  lua_pop(L, 1);
}

/* Both indexes of the corpus's ids.  [-0, +2, m] */
static void build_index(join *j) {
  lua_State *L = j->L;
  size_t n = corpus_count(j->c);
  lua_createtable(L, 0, n < INT32_MAX ? (int)n : 0);
  j->exact = lua_gettop(L);
  lua_createtable(L, 0, n < INT32_MAX ? (int)n : 0);
  j->stem = lua_gettop(L);
  for (size_t i = 0; i < n; i++) {
    const char *id = corpus_doc_at(j->c, i)->id;
    size_t len = strlen(id), sl = stem_len(id, len);
    index_add(L, j->exact, id, len, i);
    if (sl < len) index_add(L, j->stem, id, sl, i);
    else index_add(L, j->stem, id, len, i);
  }
}

/* Push the documents of id s[0..n): nil, an index or a list.
** [-0, +1, m] */
static int lookup(join *j, const char *s, size_t n) {
  lua_State *L = j->L;
  lua_pushlstring(L, s, n);
  if (lua_rawget(L, j->exact) != LUA_TNIL) return 1;
  lua_pop(L, 1);
  lua_pushlstring(L, s, n);
  if (lua_rawget(L, j->stem) != LUA_TNIL) return 1;
  lua_pop(L, 1);
  size_t sl = stem_len(s, n);
  lua_pushlstring(L, s, sl);
  if (sl < n && lua_rawget(L, j->exact) != LUA_TNIL) return 1;
  lua_pop(L, 1);
  lua_pushnil(L);
  return 0;
}

/* The documents of the value at -1 (from lookup): count, and each index
** through fn.  Pops the value. */
static void each_doc(join *j, void (*fn)(join *, size_t, void *), void *ud) {
  lua_State *L = j->L;
  if (lua_type(L, -1) == LUA_TNUMBER) {
    fn(j, (size_t)lua_tointeger(L, -1), ud);
  } else {
    lua_Unsigned n = lua_rawlen(L, -1);
    for (lua_Unsigned k = 1; k <= n; k++) {
      lua_rawgeti(L, -1, (lua_Integer)k);
      size_t i = (size_t)lua_tointeger(L, -1);
      lua_pop(L, 1);
      fn(j, i, ud);
    }
  }
  lua_pop(L, 1);
}

static void unmatched(join *j, const char *s, size_t n) {
  lua_pushlstring(j->L, s, n);
  lua_rawseti(j->L, j->unmatched,
              (lua_Integer)lua_rawlen(j->L, j->unmatched) + 1);
}

/* --- setting --------------------------------------------------------------- */

/* corpus_meta_set, raising its error.  [-0, +0, v] */
static void meta_set(join *j, size_t i, const char *key, int type,
                     const char *const *v, size_t n) {
  char *err = NULL;
  if (corpus_meta_set(j->c, i, key, type, v, n, &err) != 0)
    lcorpus_raise(j->L, FNAME ": ", err);
  j->hit[i] = 1;
}

/* A warning about the source: kept in the result, printed unless quiet.
** [-0, +0, m] */
static void warnf(join *j, const char *fmt, ...) {
  lua_State *L = j->L;
  va_list ap;
  va_start(ap, fmt);
  lua_pushvfstring(L, fmt, ap);
  va_end(ap);
  if (!j->quiet)
    fprintf(stderr, "lector: warning: %s\n", lua_tostring(L, -1));
  lua_rawseti(L, j->warnings, (lua_Integer)lua_rawlen(L, j->warnings) + 1);
}

/* --- tables and labels files ----------------------------------------------- */

/* Field k of the record as a C string in jf->cell.  [-0, +0, v] */
static const char *cell(join *j, size_t k, size_t *len) {
  join_file *jf = j->jf;
  table_format tf = j->fmt == FMT_TSV ? TABLE_TSV : TABLE_CSV;
  jf->cell = grow(j->L, jf->cell, &jf->cell_cap, jf->f[k].len + 1);
  *len = table_field_copy(tf, jf->rec, &jf->f[k], jf->cell);
  return jf->cell;
}

/* The header: column names into the list at j->columns ("" for a column
** that is left out: an empty name, or the id column).  [-0, +0, v] */
static void header(join *j, size_t nf) {
  lua_State *L = j->L;
  int found = 0;
  for (size_t k = 0; k < nf; k++) {
    size_t len;
    const char *name = cell(j, k, &len);
    if (!found && strcmp(name, j->on) == 0 && strlen(name) == len) {
      found = 1;
      j->on_col = k;
      lua_pushliteral(L, "");
    } else if (strlen(name) != len) {
      lua_pushliteral(L, "");          /* a NUL byte: no key */
    } else {
      lua_pushlstring(L, name, len);
    }
    lua_rawseti(L, j->columns, (lua_Integer)k + 1);
  }
  j->ncols = nf;
  if (found) return;
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (size_t k = 0; k < nf; k++) {
    size_t len;
    const char *name = cell(j, k, &len);
    if (k) luaL_addstring(&b, ", ");
    luaL_addlstring(&b, name, strlen(name));
  }
  luaL_pushresult(&b);
  luaL_error(L, FNAME ": %s has no column '%s' to join on (columns: %s; "
             "opts.on names another)", j->shown, j->on, lua_tostring(L, -1));
}

/* Set the row's cells on document i; ud: the row's field count. */
static void set_row(join *j, size_t i, void *ud) {
  size_t nf = *(size_t *)ud;
  for (size_t k = 0; k < nf; k++) {
    lua_rawgeti(j->L, j->columns, (lua_Integer)k + 1);
    const char *key = lua_tostring(j->L, -1);
    lua_pop(j->L, 1);                  /* kept by the columns list */
    if (!*key) continue;
    size_t len;
    const char *v = cell(j, k, &len);
    meta_set(j, i, key, CORPUS_META_STRING, &v, 1);
  }
}

/* A CSV/TSV record on line `line`.  [-0, +0, v] */
static void table_record(join *j, uint64_t line) {
  lua_State *L = j->L;
  join_file *jf = j->jf;
  table_format tf = j->fmt == FMT_TSV ? TABLE_TSV : TABLE_CSV;
  size_t max = j->header_seen ? j->ncols + 1 : JOIN_MAX_COLUMNS, nf;
  const char *why;
  if (table_split(tf, jf->rec, jf->len, jf->f, max, &nf, &why) != 0) {
    if (!j->header_seen)
      luaL_error(L, FNAME ": %s:%I: the header is malformed: %s", j->shown,
                 (lua_Integer)line, why);
    j->skipped++;
    warnf(j, FNAME ": %s:%I: %s, skipped", j->shown, (lua_Integer)line,
          strcmp(why, "more fields than the limit") == 0
              ? "more fields than the header" : why);
    return;
  }
  if (!j->header_seen) {
    j->header_seen = 1;
    header(j, nf);
    return;
  }
  if (nf != j->ncols) {
    j->skipped++;
    warnf(j, FNAME ": %s:%I: %I fields, the header has %I, skipped",
          j->shown, (lua_Integer)line, (lua_Integer)nf, (lua_Integer)j->ncols);
    return;
  }
  j->rows++;
  size_t len;
  const char *id = cell(j, j->on_col, &len);
  lua_pushlstring(L, id, len);           /* cell() is reused by set_row */
  const char *key = lua_tostring(L, -1);
  if (lookup(j, key, len)) {
    lua_remove(L, -2);
    each_doc(j, set_row, &nf);
  } else {
    lua_pop(L, 1);
    unmatched(j, key, len);
    lua_pop(L, 1);
  }
}

/* Append a label to document i's list in j->columns; ud: the label at
** the stack index it points to. */
static void add_label(join *j, size_t i, void *ud) {
  lua_State *L = j->L;
  if (lua_rawgeti(L, j->columns, (lua_Integer)i + 1) == LUA_TNIL) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_rawseti(L, j->columns, (lua_Integer)i + 1);
  }
  if (ud) {                            /* once: a label is in or not */
    lua_Unsigned n = lua_rawlen(L, -1), k;
    for (k = 1; k <= n; k++) {
      lua_rawgeti(L, -1, (lua_Integer)k);
      int same = lua_rawequal(L, -1, *(int *)ud);
      lua_pop(L, 1);
      if (same) break;
    }
    if (k > n) {
      lua_pushvalue(L, *(int *)ud);
      lua_rawseti(L, -2, (lua_Integer)n + 1);
    }
  }
  lua_pop(L, 1);
  j->hit[i] = 1;
}

static int is_space(char ch) {
  return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == '\v';
}

/* A line of a labels file: an id, then its labels.  [-0, +0, v] */
static void labels_record(join *j) {
  lua_State *L = j->L;
  const char *p = j->jf->rec, *end = p + j->jf->len;
  while (end > p && (end[-1] == '\n' || is_space(end[-1]))) end--;
  while (p < end && is_space(*p)) p++;
  if (p == end) return;
  const char *id = p;
  while (p < end && !is_space(*p)) p++;
  j->rows++;
  size_t idlen = (size_t)(p - id);
  if (!lookup(j, id, idlen)) {
    lua_pop(L, 1);
    unmatched(j, id, idlen);
    return;
  }
  int docs = lua_gettop(L);
  int any = 0;
  for (;;) {
    while (p < end && is_space(*p)) p++;
    if (p == end) break;
    const char *w = p;
    while (p < end && !is_space(*p)) p++;
    lua_pushlstring(L, w, (size_t)(p - w));
    int at = lua_gettop(L);
    lua_pushvalue(L, docs);
    each_doc(j, add_label, &at);
    lua_pop(L, 1);
    any = 1;
  }
  if (!any) {                          /* an id alone: matched, no label */
    lua_pushvalue(L, docs);
    each_doc(j, add_label, NULL);
  }
  lua_pop(L, 1);
}

/* Set every labelled document's list.  [-0, +0, v] */
static void set_labels(join *j) {
  lua_State *L = j->L;
  size_t n = corpus_count(j->c);
  for (size_t i = 0; i < n; i++) {
    if (lua_rawgeti(L, j->columns, (lua_Integer)i + 1) != LUA_TTABLE) {
      lua_pop(L, 1);
      continue;
    }
    size_t k = lua_rawlen(L, -1);
    const char **v = lua_newuserdatauv(L, (k ? k : 1) * sizeof *v, 0);
    for (size_t x = 0; x < k; x++) {
      lua_rawgeti(L, -2, (lua_Integer)x + 1);
      v[x] = lua_tostring(L, -1);
      lua_pop(L, 1);                   /* kept by the list */
    }
    meta_set(j, i, j->as, CORPUS_META_LIST, v, k);
    lua_pop(L, 2);
  }
}

/* One record of the file (line: where it starts).  [-0, +0, v] */
static void record(join *j, uint64_t line, int blank) {
  if (j->jf->len > 0 && !blank) {
    if (j->fmt == FMT_LABELS) labels_record(j);
    else table_record(j, line);
  }
  j->jf->len = 0;
}

/* Read the file through, record by record.  [-0, +0, v] */
static void read_file(join *j) {
  lua_State *L = j->L;
  join_file *jf = j->jf;
  table_scan s;
  table_scan_init(&s, j->fmt == FMT_CSV ? TABLE_CSV : TABLE_TSV);
  jf->f = mem_alloc(JOIN_MAX_COLUMNS * sizeof *jf->f);
  char *buf = lua_newuserdatauv(L, JOIN_CHUNK, 0);
  if (!jf->f) luaL_error(L, FNAME ": out of memory");
  int first = 1;
  uint64_t start = 1;
  for (;;) {
    if (session_interrupted()) luaL_error(L, FNAME ": %s: interrupted",
                                          j->shown);
    ssize_t got = read(jf->fd, buf, JOIN_CHUNK);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0)
      luaL_error(L, FNAME ": cannot read %s: %s", j->shown, strerror(errno));
    if (got == 0) break;
    const char *p = buf;
    size_t n = (size_t)got;
    if (first && n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3, n -= 3;
    first = 0;
    while (n > 0) {
      if (jf->len == 0) start = s.lines + 1;   /* a record starts here */
      size_t used = table_scan_feed(&s, p, n);
      size_t take = used == TABLE_MORE ? n : used;
      if (jf->len + take > LECTOR_JOIN_RECORD_MAX)
        luaL_error(L, FNAME ": %s:%I: a record longer than %d bytes (an "
                   "unclosed quote?)", j->shown, (lua_Integer)start,
                   LECTOR_JOIN_RECORD_MAX);
      jf->rec = grow(L, jf->rec, &jf->cap, jf->len + take + 1);
      memcpy(jf->rec + jf->len, p, take);
      jf->len += take;
      p += take;
      n -= take;
      if (used != TABLE_MORE) record(j, s.rec_line, s.rec_blank);
    }
  }
  if (table_scan_end(&s)) record(j, s.rec_line, s.rec_blank);
  if (j->fmt != FMT_LABELS && !j->header_seen)
    luaL_error(L, FNAME ": %s is empty (a header row was expected)", j->shown);
  lua_pop(L, 1);
}

/* --- Lua tables ------------------------------------------------------------ */

/* The list at idx as metadata of key on document i: its items as
** strings (numbers written as Lua writes them).  [-0, +0, v] */
static void set_list(join *j, size_t i, const char *id, const char *key,
                     int idx) {
  lua_State *L = j->L;
  size_t n = lua_rawlen(L, idx);
  lua_createtable(L, n < INT32_MAX ? (int)n : 0, 0);   /* keeps the items */
  const char **items = lua_newuserdatauv(L, (n ? n : 1) * sizeof *items, 0);
  for (size_t k = 0; k < n; k++) {
    int t = lua_rawgeti(L, idx, (lua_Integer)k + 1);
    if (t != LUA_TSTRING && t != LUA_TNUMBER)
      luaL_error(L, FNAME ": the value of '%s' for '%s' is a list whose item "
                 "%I is a %s (a list holds strings or numbers)", key, id,
                 (lua_Integer)k + 1, lua_typename(L, t));
    items[k] = lua_tostring(L, -1);     /* a number becomes its text */
    lua_rawseti(L, -3, (lua_Integer)k + 1);
  }
  meta_set(j, i, key, CORPUS_META_LIST, items, n);
  lua_pop(L, 2);
}

/* The value at idx as metadata of key on document i, typed as Lua types
** it.  [-0, +0, v] */
static void set_value(join *j, size_t i, const char *id, const char *key,
                      int idx) {
  lua_State *L = j->L;
  char num[64];
  const char *v;
  int type;
  switch (lua_type(L, idx)) {
  case LUA_TSTRING:
    v = lua_tostring(L, idx);
    type = CORPUS_META_STRING;
    break;
  case LUA_TNUMBER:
    if (lua_isinteger(L, idx))
      snprintf(num, sizeof num, LUA_INTEGER_FMT, lua_tointeger(L, idx));
    else if (isfinite(lua_tonumber(L, idx)))
      snprintf(num, sizeof num, "%.17g", (double)lua_tonumber(L, idx));
    else
      luaL_error(L, FNAME ": the value of '%s' for '%s' is %s (a number "
                 "must be finite)", key, id, luaL_tolstring(L, idx, NULL));
    v = num;
    type = CORPUS_META_NUMBER;
    break;
  case LUA_TBOOLEAN:
    v = lua_toboolean(L, idx) ? "true" : "false";
    type = CORPUS_META_BOOL;
    break;
  case LUA_TTABLE:
    set_list(j, i, id, key, idx);
    return;
  default:
    luaL_error(L, FNAME ": the value of '%s' for '%s' is a %s (want a "
               "string, a number, a boolean or a list)", key, id,
               luaL_typename(L, idx));
    return;
  }
  meta_set(j, i, key, type, &v, 1);
}

/* The value at -1 for id (at -2) on document i: {key = value} pairs, or
** with opts.as one value.  ud: unused. */
static void set_entry(join *j, size_t i, void *ud) {
  lua_State *L = j->L;
  int val = lua_gettop(L) - 1;         /* under each_doc's lookup value */
  const char *id = lua_tostring(L, val - 1);
  (void)ud;
  j->hit[i] = 1;                       /* even for an empty table */
  if (j->as) {
    set_value(j, i, id, j->as, val);
    return;
  }
  lua_pushnil(L);
  while (lua_next(L, val)) {
    if (lua_type(L, -2) != LUA_TSTRING || !*lua_tostring(L, -2))
      luaL_error(L, FNAME ": the values for '%s' have a key that is %s (keys "
                 "are names: non-empty strings)", id,
                 lua_type(L, -2) == LUA_TSTRING ? "empty"
                 : lua_pushfstring(L, "a %s", luaL_typename(L, -2)));
    set_value(j, i, id, lua_tostring(L, -2), lua_gettop(L));
    lua_pop(L, 1);
  }
}

/* Join the Lua table at idx.  [-0, +0, v] */
static void read_table(join *j, int idx) {
  lua_State *L = j->L;
  lua_pushnil(L);
  while (lua_next(L, idx)) {                  /* id, value */
    if (session_interrupted()) luaL_error(L, FNAME ": interrupted");
    if (lua_type(L, -2) != LUA_TSTRING)
      luaL_error(L, FNAME ": a key of the table is a %s (keys are document "
                 "ids: strings)", luaL_typename(L, -2));
    int t = lua_type(L, -1);
    const char *id = lua_tostring(L, -2);
    if (!j->as && t != LUA_TTABLE)
      luaL_error(L, FNAME ": the value for '%s' is a %s: give opts.as to "
                 "name its key, or a table of key = value", id,
                 luaL_typename(L, -1));
    j->rows++;
    size_t len;
    lua_tolstring(L, -2, &len);
    if (lookup(j, id, len)) {
      each_doc(j, set_entry, NULL);
    } else {
      lua_pop(L, 1);
      unmatched(j, id, len);
    }
    lua_pop(L, 1);
  }
  /* lua_next's order is arbitrary: name the unmatched ids in order */
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_getfield(L, -1, "table");
  lua_getfield(L, -1, "sort");
  lua_pushvalue(L, j->unmatched);
  lua_call(L, 1, 0);
  lua_pop(L, 2);
}

/* --- the call -------------------------------------------------------------- */

/* The names in the list at t (first JOIN_NAMED, then "..."), pushed.
** [-0, +1, m] */
static void push_named(lua_State *L, int t, size_t n) {
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (size_t k = 0; k < n && k < JOIN_NAMED; k++) {
    if (k) luaL_addstring(&b, ", ");
    lua_rawgeti(L, t, (lua_Integer)k + 1);
    luaL_addvalue(&b);
  }
  if (n > JOIN_NAMED) luaL_addstring(&b, ", ...");
  luaL_pushresult(&b);
}

/* The result table and the summary warning.  [-0, +1, m] */
static void push_result(join *j) {
  lua_State *L = j->L;
  size_t n = corpus_count(j->c), matched = 0;
  lua_newtable(L);                              /* docs without a value */
  int without = lua_gettop(L);
  for (size_t i = 0; i < n; i++) {
    if (j->hit[i]) {
      matched++;
    } else if (lua_rawlen(L, without) < JOIN_NAMED) {
      lua_pushstring(L, corpus_doc_at(j->c, i)->id);
      lua_rawseti(L, without, (lua_Integer)lua_rawlen(L, without) + 1);
    }
  }
  size_t nu = lua_rawlen(L, j->unmatched), nw = n - matched;
  if (nu) {
    push_named(L, j->unmatched, nu);
    warnf(j, FNAME ": %s: %I %s no document (%s)", j->shown, (lua_Integer)nu,
          nu == 1 ? "id matches" : "ids match", lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  if (nw) {
    push_named(L, without, nw);
    warnf(j, FNAME ": %s: %I %s no value (%s)", j->shown, (lua_Integer)nw,
          nw == 1 ? "document has" : "documents have", lua_tostring(L, -1));
    lua_pop(L, 1);
  }
  lua_createtable(L, 0, 7);
  lua_pushinteger(L, (lua_Integer)matched);
  lua_setfield(L, -2, "matched");
  lua_pushinteger(L, (lua_Integer)j->rows);
  lua_setfield(L, -2, "rows");
  lua_pushinteger(L, (lua_Integer)j->skipped);
  lua_setfield(L, -2, "skipped");
  lua_pushvalue(L, j->unmatched);
  lua_setfield(L, -2, "unmatched_ids");
  lua_pushinteger(L, (lua_Integer)nw);
  lua_setfield(L, -2, "docs_without");
  lua_pushvalue(L, without);
  lua_setfield(L, -2, "docs_without_ids");
  lua_pushvalue(L, j->warnings);
  lua_setfield(L, -2, "warnings");
  lua_remove(L, without);
}

/* opts.format: "csv", "tsv", "labels", or by the name's extension. */
static int join_format(join *j, int oidx) {
  lua_State *L = j->L;
  static const char *const names[] = {"csv", "tsv", "labels", NULL};
  const char *f = NULL;
  if (oidx && lua_getfield(L, oidx, "format") != LUA_TNIL) {
    if (lua_type(L, -1) == LUA_TSTRING) f = lua_tostring(L, -1);
    for (int k = 0; f && names[k]; k++)
      if (strcmp(f, names[k]) == 0) return k;
    luaL_error(L, FNAME ": opts.format: %s%s%s (formats: \"csv\", \"tsv\", "
               "\"labels\"; by default the file's extension)",
               f ? "unknown format '" : "expected a string, got ",
               f ? f : luaL_typename(L, -1), f ? "'" : "");
  }
  const char *dot = strrchr(j->path, '.');
  if (dot && strchr(dot, '/') == NULL) {
    if (strcmp(dot, ".csv") == 0) return FMT_CSV;
    if (strcmp(dot, ".tsv") == 0 || strcmp(dot, ".tab") == 0) return FMT_TSV;
  }
  return luaL_error(L, FNAME ": cannot tell the format of %s from its name "
                    "(give opts.format: \"csv\", \"tsv\" or \"labels\")",
                    j->shown);
}

/* opts[k] as a non-empty string, or NULL.  [-0, +1, v] */
static const char *opt_name(lua_State *L, int oidx, const char *k) {
  if (!oidx || lua_getfield(L, oidx, k) == LUA_TNIL) {
    if (oidx) lua_pop(L, 1);
    lua_pushnil(L);
    return NULL;
  }
  size_t n;
  const char *s = lua_tolstring(L, -1, &n);
  if (lua_type(L, -1) != LUA_TSTRING || n == 0 || strlen(s) != n)
    luaL_error(L, FNAME ": opts.%s: expected a name (a non-empty string), "
               "got %s", k, lua_type(L, -1) == LUA_TSTRING
               ? lua_pushfstring(L, "'%s'", s) : luaL_typename(L, -1));
  return s;
}

static void check_opts(lua_State *L, int oidx) {
  static const char *const known[] = {"on", "format", "as", "quiet", NULL};
  lua_pushnil(L);
  while (lua_next(L, oidx)) {
    int ok = 0;
    for (int k = 0; known[k] && lua_type(L, -2) == LUA_TSTRING; k++)
      ok |= strcmp(lua_tostring(L, -2), known[k]) == 0;
    if (!ok)
      luaL_error(L, FNAME ": unknown option '%s' (options: on, format, as, "
                 "quiet)", lua_type(L, -2) == LUA_TSTRING
                 ? lua_tostring(L, -2) : luaL_typename(L, -2));
    lua_pop(L, 1);
  }
}

/* The escaped path for messages, pushed.  [-0, +1, m] */
static const char *push_shown(lua_State *L, const char *path) {
  char *e = corpus_escape(path, strlen(path));
  if (!e) luaL_error(L, FNAME ": out of memory");
  lua_pushstring(L, e);
  free(e);
  return lua_tostring(L, -1);
}

/* corpus:join(path_or_table [, opts]) -> corpus, result. */
int lcorpus_join(lua_State *L) {
  join j;
  memset(&j, 0, sizeof j);
  j.L = L;
  lua_settop(L, 3);
  j.c = lcorpus_check(L, 1, FNAME);
  int src = lua_type(L, 2);
  if (src != LUA_TSTRING && src != LUA_TTABLE)
    luaL_error(L, FNAME ": expected a file name or a table of id = values, "
               "got %s", luaL_typename(L, 2));
  int oidx = 0;
  if (!lua_isnil(L, 3)) {
    luaL_checktype(L, 3, LUA_TTABLE);
    oidx = 3;
    check_opts(L, oidx);
  }
  j.quiet = oidx && (lua_getfield(L, oidx, "quiet"), lua_toboolean(L, -1));
  j.as = opt_name(L, oidx, "as");                         /* 5 */
  j.on = opt_name(L, oidx, "on");                         /* 6 */
  if (!j.on) j.on = "id";
  luaL_checkstack(L, 24, FNAME);
  size_t n = corpus_count(j.c);
  j.hit = lua_newuserdatauv(L, n ? n : 1, 0);
  memset(j.hit, 0, n ? n : 1);
  lua_newtable(L);
  j.unmatched = lua_gettop(L);
  lua_newtable(L);
  j.warnings = lua_gettop(L);
  lua_newtable(L);
  j.columns = lua_gettop(L);
  build_index(&j);
  if (src == LUA_TTABLE) {
    for (int k = 0; oidx && k < 2; k++)
      if (lua_getfield(L, oidx, k ? "on" : "format") != LUA_TNIL)
        luaL_error(L, FNAME ": opts.%s is for files (a table's keys are the "
                   "ids)", k ? "on" : "format");
    j.path = j.shown = "the table";
    read_table(&j, 2);
  } else {
    j.path = lua_tostring(L, 2);
    j.shown = push_shown(L, j.path);
    j.fmt = join_format(&j, oidx);
    lua_pop(L, 1);
    if (j.fmt == FMT_LABELS && !j.as) j.as = "labels";
    if (j.fmt != FMT_LABELS && j.as)
      luaL_error(L, FNAME ": opts.as is for labels files and tables (a "
                 "table file's columns name its keys)");
    j.jf = new_file(L);
    open_file(&j);
    read_file(&j);
    if (j.fmt == FMT_LABELS) set_labels(&j);
    close_file(j.jf);               /* now (also its __close) */
  }
  push_result(&j);
  lua_pushvalue(L, 1);
  lua_insert(L, -2);
  return 2;
}
