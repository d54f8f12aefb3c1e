/*
** ng_lua.c -- the Lua module lector.ngram: counting, files, and the
** module table (statistics: ng_lua_stats.c; concordance: ng_lua_kwic.c).
**
**   ngram.count(source [, opts])           -> count table, or {key = table}
**   ngram.load(path)                       -> count table
**   ngram.merge_files(paths, out [, opts]) streaming merge of saved tables
**   ngram.collocations(source [, opts])    -> { {gram =, count =, score =,
**                                              pmi =, llr =, t =, chi2 =} }
**   ngram.keyness(target, reference [, opts])
**                                          -> { {gram =, count =, ref_count =,
**                                              llr =, log_ratio =} }
**   ngram.tfidf(source [, opts])           -> { {doc =, index =, terms =
**                                              { {gram =, tf =, df =,
**                                              tfidf =} } } }
**   ngram.kwic(source, pattern [, opts])   -> { {doc =, index =, left =,
**                                              match =, right =} }
**   ngram.collocates(source, node [, opts]) -> { {word =, left =, right =,
**                                              count =, f_word =, score =} }
**   ngram.dispersion(source, word_or_list [, opts])
**                                          -> {word =, freq =, parts =,
**                                              range =, dp =, dp_norm =,
**                                              juilland_d =, counts =}
** A source is a corpus, a document, a string or (count only) an array of
** tokens; collocations and keyness also take count tables.
*/
#include <string.h>

#include "lector/kit.h"
#include "ng_lua.h"
#include "ng_next.h"
#include "ng_spill.h"

/* ------------------------------------------------------------------------
** Counting
*/

/* Make the counted table's meta: n, skip, min_count, the options at
** opts_idx.  [-0, +0, m] */
static void set_meta(lua_State *L, ng_counts *c, const ng_copts *o,
                     int opts_idx, const char *const *extra, uint64_t docs) {
  size_t len;
  const char *s;
  ng_copts_describe(L, opts_idx, extra);
  s = lua_tolstring(L, -1, &len);
  c->m.nmin = o->spec.nmin;
  c->m.nmax = o->spec.nmax;
  c->m.skip = o->spec.skip;
  c->m.min_count = o->min_count;
  c->m.docs = docs;
  c->m.options = lk_alloc(len + 1);
  if (!c->m.options) luaL_error(L, "out of memory");
  memcpy(c->m.options, s, len + 1);
  lua_pop(L, 1);
}

/* Count the array of tokens at src_idx.  [-0, +1, v] */
static ng_counts *count_tokens(lua_State *L, int src_idx, int opts_idx,
                               const char *fname, const char *const *extra,
                               const ng_copts *o) {
  const ng_spec *sp = &o->spec;
  ng_table *parts[NG_MAX_N + 1];
  ng_sink out = {NULL, NULL, 0, 1, 0};
  ng_guard *g;
  ng_grams gr;
  ng_counts *c;
  int k;
  lua_Integer i, n = (lua_Integer)lua_rawlen(L, src_idx);
  ng_copts_no_tokenizer(L, opts_idx, fname, extra, "a list of tokens");
  g = ng_guard_new(L);
  for (k = sp->nmin; k <= sp->nmax; k++) {
    parts[k - sp->nmin] = &g->tab[k];
    if (ng_table_init(&g->tab[k], k, 1, 0) != 0)
      luaL_error(L, "%s: out of memory", fname);
  }
  out.t = g->tab;
  ng_grams_begin(&gr, sp, &out, 1);
  for (i = 1; i <= n && !gr.failed; i++) {
    size_t len;
    const char *s;
    uint32_t id;
    if (lua_rawgeti(L, src_idx, i) != LUA_TSTRING)
      luaL_error(L, "%s: token %I is a %s (want a string)", fname,
                 (LUAI_UACINT)i, luaL_typename(L, -1));
    s = lua_tolstring(L, -1, &len);
    if (len == 0)
      luaL_error(L, "%s: token %I is an empty string", fname, (LUAI_UACINT)i);
    id = lk_host->vocab_intern(s, len);
    lua_pop(L, 1);
    if (!id) break;
    ng_grams_push(&gr, id, 0);
  }
  if (i <= n || ng_grams_end(&gr) != 0)
    luaL_error(L, "%s: out of memory", fname);
  c = ng_lua_counts_new(L);
  if (ng_table_assemble(&c->t, parts, (size_t)(sp->nmax - sp->nmin + 1),
                        sp->nmax, o->min_count, 1) != 0)
    luaL_error(L, "%s: out of memory", fname);
  set_meta(L, c, o, opts_idx, extra, n > 0 ? 1 : 0);
  lua_closeslot(L, -2);                                /* the guard */
  lua_remove(L, -2);
  return c;
}

/* The default budget: three quarters of what the session's memory limit
** leaves (lector.memory()); 0 (none) without a limit.  [-0, +0, -] */
static uint64_t default_budget(lua_State *L) {
  uint64_t b = 0;
  int top = lua_gettop(L);
  if (lua_getglobal(L, "lector") == LUA_TTABLE &&
      lua_getfield(L, -1, "memory") == LUA_TFUNCTION &&
      lua_pcall(L, 0, 1, 0) == LUA_OK && lua_istable(L, -1)) {
    lua_Integer limit, used;
    lua_getfield(L, -1, "limit");
    lua_getfield(L, -2, "used");
    limit = lua_tointeger(L, -2);
    used = lua_tointeger(L, -1);
    if (limit > 0) b = limit > used ? (uint64_t)(limit - used) / 4 * 3 : 1;
  }
  lua_settop(L, top);
  return b;
}

/* opts.memory (bytes, or a string "512M") and opts.tmpdir of the table at
** opts_idx into a new spill of g, when counting may spill.  [-0, +0, v] */
static void read_spill(lua_State *L, int opts_idx, const char *fname,
                       const ng_copts *o, ng_guard *g) {
  uint64_t budget = 0;
  const char *tmpdir = NULL;
  int t = LUA_TNIL, has = lua_type(L, opts_idx) == LUA_TTABLE;
  if (has) t = lua_getfield(L, opts_idx, "memory");
  if (t == LUA_TNUMBER) {
    lua_Integer v = lua_tointeger(L, -1);
    if (!lua_isinteger(L, -1) || v < 1)
      luaL_error(L, "%s: option 'memory' must be a number of bytes >= 1 or "
                 "a size such as \"512M\" (got %s)", fname,
                 lua_tostring(L, -1));
    budget = (uint64_t)v;
  } else if (t == LUA_TSTRING) {
    size_t n;
    const char *v = lua_tolstring(L, -1, &n);
    if (ng_spill_parse_size(v, n, &budget) != 0 || budget == 0)
      luaL_error(L, "%s: option 'memory' must be a size such as \"512M\", "
                 "\"2G\", \"64K\" or a number of bytes (got '%s')", fname, v);
  } else if (t != LUA_TNIL) {
    luaL_error(L, "%s: option 'memory' must be a size such as \"512M\" or a "
               "number of bytes (got %s)", fname, luaL_typename(L, -1));
  } else {
    budget = default_budget(L);
  }
  if (has) lua_pop(L, 1);
  if (has && (t = lua_getfield(L, opts_idx, "tmpdir")) != LUA_TNIL) {
    if (t != LUA_TSTRING)
      luaL_error(L, "%s: option 'tmpdir' must be a folder name (got %s)",
                 fname, luaL_typename(L, -1));
    tmpdir = lua_tostring(L, -1);     /* anchored by the options table */
  }
  if (has) lua_pop(L, 1);
  if (budget == 0) return;
  if (budget > SIZE_MAX) budget = SIZE_MAX;
  g->spill = lk_alloc(sizeof *g->spill);
  if (!g->spill) luaL_error(L, "%s: out of memory", fname);
  ng_spill_init(g->spill, tmpdir, (size_t)budget, o->spec.nmin, o->spec.nmax,
                o->spec.skip);
}

/* Run the counting job of source s (at src_idx, options at opts_idx) with
** the given groups into g->job.  [-0, +0, v] */
static void run_count(lua_State *L, ng_lua_src *s, int opts_idx,
                      const char *fname, const char *const *extra,
                      const ng_copts *o, ng_guard *g,
                      const lector_groups *groups) {
  ng_tokens tok;
  char *err = NULL;
  ng_copts_tokens(L, opts_idx, fname, extra, o, g, &tok);
  memset(&g->job, 0, sizeof g->job);
  g->job.spec = &o->spec;
  g->job.tok = &tok;
  g->job.src = &s->docs;
  g->job.ngroups = 1;
  if (groups) {
    g->job.group = groups->group;
    g->job.ngroups = (uint32_t)groups->ngroups;
    if (groups->multi) {
      g->job.first = groups->first;
      g->job.member = groups->member;
    }
  }
  g->job.min_count = o->min_count;
  read_spill(L, opts_idx, fname, o, g);
  if (g->spill) {                        /* the results' header */
    size_t len;
    const char *d;
    ng_copts_describe(L, opts_idx, extra);
    d = lua_tolstring(L, -1, &len);
    g->mem[3] = lk_alloc(len + 1);
    if (!g->mem[3]) luaL_error(L, "%s: out of memory", fname);
    memcpy(g->mem[3], d, len + 1);
    lua_pop(L, 1);
    g->job.options = g->mem[3];
    g->job.spill = g->spill;
  }
  ng_lua_src_stream(s, &tok);
  ng_lua_src_ready(s, o->threads, fname);
  if (ng_count_run(&g->job, &err) != LECTOR_OK) lk_raise(L, fname, err);
}

/* Push a count table made of group i of g->job.  [-0, +1, m] */
static ng_counts *take_table(lua_State *L, ng_guard *g, uint32_t i,
                             const ng_copts *o, int opts_idx,
                             const char *const *extra) {
  ng_counts *c = ng_lua_counts_new(L);
  ng_table_move(&c->t, &g->job.tables[i]);
  set_meta(L, c, o, opts_idx, extra, g->job.docs[i]);
  if (g->spill && g->spill->files)      /* counted through runs: on disk */
    ng_lua_counts_disk(L, c, ng_spill_take(g->spill, i), g->spill->lines[i],
                       g->spill->seq);
  return c;
}

/* ng_count_source; the result may be a table on disk.  [-0, +1, v] */
static ng_counts *count_source(lua_State *L, int src_idx, int opts_idx,
                               const char *fname, const char *const *extra,
                               const ng_copts *o) {
  ng_lua_src s;
  ng_guard *g;
  ng_counts *c;
  int kind = ng_lua_src_get(L, src_idx, &s);
  if (!kind)
    luaL_error(L, "%s: argument %d must be a corpus, a document, a string "
               "or a list of tokens (got %s)", fname, src_idx,
               luaL_typename(L, src_idx));
  if (kind == NG_SRC_TOKENS)
    return count_tokens(L, src_idx, opts_idx, fname, extra, o);
  g = ng_guard_new(L);
  ng_lua_src_hold(L, src_idx, &s, g, fname);
  run_count(L, &s, opts_idx, fname, extra, o, g, NULL);
  c = take_table(L, g, 0, o, opts_idx, extra);
  lua_closeslot(L, -2);                                /* the guard */
  lua_remove(L, -2);
  return c;
}

ng_counts *ng_count_source(lua_State *L, int src_idx, int opts_idx,
                           const char *fname, const char *const *extra,
                           const ng_copts *o) {
  count_source(L, src_idx, opts_idx, fname, extra, o);
  /* the callers read c->t: a count that went through runs is loaded */
  return ng_lua_counts_check(L, -1, fname);
}

/* ------------------------------------------------------------------------
** Groups (by = ...)
*/

/* ngram.count with by = ...: {key = count table}, the groups of
** corpus:group_by(by).  [-0, +1, v] */
static int count_groups(lua_State *L, ng_lua_src *s, const ng_copts *o,
                        const char *fname) {
  const lector_groups *groups;
  ng_guard *g;
  uint32_t i;
  int keys_idx, res_idx;
  if (s->kind != NG_SRC_CORPUS)
    return luaL_error(L, "%s: option 'by' needs a corpus", fname);
  g = ng_guard_new(L);                                 /* 3 */
  ng_lua_src_hold(L, 1, s, g, fname);     /* a 'by' function runs Lua */
  lua_getfield(L, 2, "by");                            /* 4 */
  groups = lk_host->group_keys(L, 1, 4, fname);        /* 5: owner, 6: keys */
  keys_idx = lua_gettop(L);
  lua_createtable(L, 0, groups->ngroups < 1000000 ? (int)groups->ngroups : 0);
  res_idx = lua_gettop(L);
  if (groups->ngroups > 0) {
    run_count(L, s, 2, fname, NULL, o, g, groups);
    for (i = 0; i < groups->ngroups; i++) {
      lua_rawgeti(L, keys_idx, (lua_Integer)i + 1);
      take_table(L, g, i, o, 2, NULL);
      lua_rawset(L, res_idx);
    }
  }
  lk_host->sorted_pairs(L, res_idx);       /* pairs() in key order */
  return 1;
}

/* ngram.count(source [, opts]) -> count table, or {key = count table}
** with opts.by.  [-0, +1, v] */
static int l_count(lua_State *L) {
  static const char fname[] = "ngram.count";
  ng_copts o;
  ng_lua_src s;
  lua_settop(L, 2);
  ng_copts_read(L, 2, fname, NULL, &o);
  if (o.by) {
    if (!ng_lua_src_get(L, 1, &s))
      return luaL_error(L, "%s: option 'by' needs a corpus", fname);
    return count_groups(L, &s, &o, fname);
  }
  count_source(L, 1, 2, fname, NULL, &o);
  return 1;
}

/* ------------------------------------------------------------------------
** Files
*/

/* ngram.load(path) -> count table.  [-0, +1, v] */
static int l_load(lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  ng_counts *c = ng_lua_counts_new(L);
  char *err = NULL;
  if (ng_format_load(path, &c->t, &c->m, &err) != 0)
    return lk_raise(L, "ngram.load", err);
  return 1;
}

/* ngram.merge_files({path, ...}, out [, {min_count = k}]): merge saved
** tables into out with one streaming pass (a k-way merge: memory per
** input, not per gram); grams counted fewer than min_count times in all
** are left out.  out may not be one of the inputs.  [-0, +0, v] */
static int l_merge_files(lua_State *L) {
  static const char *const keys[] = {"min_count", NULL};
  const char *out = luaL_checkstring(L, 2);
  lua_Integer i, n;
  const char **paths;
  char *err = NULL;
  ng_merge_opts mo;
  memset(&mo, 0, sizeof mo);
  if (!lua_isnoneornil(L, 3)) {
    luaL_checktype(L, 3, LUA_TTABLE);
    lk_opt_check(L, 3, "ngram.merge_files", keys, NULL);
    mo.min_count = (uint64_t)lk_opt_integer(L, 3, "ngram.merge_files",
                                            "min_count", 1, 1,
                                            LUA_MAXINTEGER);
  }
  lua_settop(L, 2);
  luaL_checktype(L, 1, LUA_TTABLE);
  n = (lua_Integer)lua_rawlen(L, 1);
  if (n < 0 || (lua_Unsigned)n > (size_t)-1 / sizeof *paths / 2)
    return luaL_error(L, "ngram.merge_files: too many paths");
  paths = lua_newuserdatauv(L, (size_t)(n > 0 ? n : 1) * sizeof *paths, 0);
  lua_createtable(L, n > 0 && n < 1000000 ? (int)n : 0, 0);  /* anchors */
  for (i = 1; i <= n; i++) {
    int t = lua_rawgeti(L, 1, i);
    if (t != LUA_TSTRING && t != LUA_TNUMBER)
      return luaL_error(L, "ngram.merge_files: item %I is not a path (got "
                        "%s)", (LUAI_UACINT)i, lua_typename(L, t));
    /* a number becomes a new string: keep it where the GC sees it */
    paths[i - 1] = lua_tostring(L, -1);
    lua_rawseti(L, -2, i);
  }
  if (ng_format_merge_x(out, paths, (size_t)n, &mo, &err) != 0)
    return lk_raise(L, "ngram.merge_files", err);
  return 0;
}

/* ngram._pack_stats() -> {stream_docs =, next_words =, kwic_docs =,
** kwic_seek_docs =, kwic_fallbacks =}: documents whose words were read
** from a pack's token streams, first words whose successor lists a count
** read (ng_next.h), documents kwic tokenized whole, documents it served from a
** pack's checkpoints, and those whose checkpoints it tried and gave up
** (ng_kwic.h), since the plugin was loaded; for the tests, which check
** that a packed corpus took the fast path (the results alone cannot
** tell).  [-0, +1, m] */
static int l_pack_stats(lua_State *L) {
  lua_createtable(L, 0, 5);
  lua_pushinteger(L, (lua_Integer)atomic_load(&ng_next_words));
  lua_setfield(L, -2, "next_words");
  lua_pushinteger(L, (lua_Integer)atomic_load(&ng_kwic_seek_docs));
  lua_setfield(L, -2, "kwic_seek_docs");
  lua_pushinteger(L, (lua_Integer)atomic_load(&ng_kwic_fallbacks));
  lua_setfield(L, -2, "kwic_fallbacks");
  lua_pushinteger(L, (lua_Integer)atomic_load(&ng_count_stream_docs));
  lua_setfield(L, -2, "stream_docs");
  lua_pushinteger(L, (lua_Integer)atomic_load(&ng_kwic_docs));
  lua_setfield(L, -2, "kwic_docs");
  return 1;
}

/* ------------------------------------------------------------------------
** The module
*/

int ng_lua_open(lua_State *L) {
  static const luaL_Reg funcs[] = {
    {"count", l_count}, {"load", l_load}, {"merge_files", l_merge_files},
    {"collocations", ng_l_collocations}, {"keyness", ng_l_keyness},
    {"tfidf", ng_l_tfidf}, {"kwic", ng_l_kwic},
    {"collocates", ng_l_collocates}, {"dispersion", ng_l_dispersion},
    {"dtm", ng_l_dtm}, {"_pack_stats", l_pack_stats}, {NULL, NULL}
  };
  ng_lua_counts_open(L);
  ng_lua_dtm_open(L);
  luaL_newlib(L, funcs);
  lua_pushinteger(L, NG_MAX_N);
  lua_setfield(L, -2, "max_n");
  return 1;
}
