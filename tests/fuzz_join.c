/*
** fuzz_join.c -- libFuzzer target for corpus:join's file reader
** (core/lua_corpus_join.c on table.c and corpus_meta.c): the input's first
** byte picks the form (CSV, TSV, labels) and the id column, the rest is
** written to a file of that name and joined onto a corpus of four
** documents loaded once.  Checks: the join either returns (the corpus and
** a summary whose counts add up) or raises a string naming the file; every
** document's metadata can be walked after it.  ASan/UBSan catch the rest.
** lcorpus_check and lcorpus_raise are stand-ins (lua_corpus.c needs the
** whole host).
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lualib.h>

#include "corpus.h"
#include "lua_corpus.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int session_interrupted(void);

#define CHECK(c) do { if (!(c)) abort(); } while (0)

int session_interrupted(void) { return 0; }

static corpus *the_corpus;
static lua_State *the_state;
static char dir[64];

lector_corpus *lcorpus_check(lua_State *L, int idx, const char *fname) {
  (void)L, (void)idx, (void)fname;
  return the_corpus;
}

int lcorpus_raise(lua_State *L, const char *prefix, char *err) {
  lua_pushfstring(L, "%s%s", prefix, UTIL_MSG(err));
  free(err);
  return lua_error(L);
}

/* A folder with a.txt, b.txt, farm/c.txt, farm/d.md, loaded once. */
static void setup(void) {
  static const char *const files[] = {"a.txt", "b.txt", "farm/c.txt",
                                      "farm/d.md"};
  char path[128];
  snprintf(dir, sizeof dir, "/tmp/fuzz_join.XXXXXX");
  CHECK(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/farm", dir);
  CHECK(mkdir(path, 0700) == 0);
  for (size_t i = 0; i < 4; i++) {
    snprintf(path, sizeof path, "%s/%s", dir, files[i]);
    FILE *f = fopen(path, "w");
    CHECK(f);
    fprintf(f, "Title %zu\nSome text.\n", i);
    fclose(f);
  }
  const char *roots[] = {dir};
  corpus_opts o = {.quiet = 1, .threads = 1};
  char *err = NULL;
  CHECK(corpus_load(roots, 1, &o, &the_corpus, &err) == 0);
  the_state = luaL_newstate();
  CHECK(the_state);
  luaL_openlibs(the_state);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const names[] = {"j.csv", "j.tsv", "j.txt"};
  static const char *const ons[] = {"id", "x", "name", "id"};
  if (!the_state) setup();
  if (size < 1) return 0;
  lua_State *L = the_state;
  int form = data[0] % 3, on = (data[0] / 3) % 4;
  char path[128];
  snprintf(path, sizeof path, "%s/%s", dir, names[form]);
  FILE *f = fopen(path, "wb");
  CHECK(f);
  CHECK(fwrite(data + 1, 1, size - 1, f) == size - 1);
  fclose(f);
  lua_settop(L, 0);
  lua_pushcfunction(L, lcorpus_join);
  lua_pushboolean(L, 1);                 /* the corpus: the stand-in's */
  lua_pushstring(L, path);
  lua_createtable(L, 0, 3);
  lua_pushboolean(L, 1);
  lua_setfield(L, -2, "quiet");
  if (form == 2) {
    lua_pushliteral(L, "labels");
    lua_setfield(L, -2, "format");
  } else {
    lua_pushstring(L, ons[on]);
    lua_setfield(L, -2, "on");
  }
  if (lua_pcall(L, 3, 2, 0) == LUA_OK) {
    CHECK(lua_istable(L, 2));
    lua_getfield(L, 2, "matched");
    lua_getfield(L, 2, "docs_without");
    CHECK(lua_tointeger(L, -1) + lua_tointeger(L, -2) ==
          (lua_Integer)corpus_count(the_corpus));
  } else {
    const char *msg = lua_tostring(L, -1);
    CHECK(msg && strncmp(msg, "corpus:join: ", 13) == 0);
    CHECK(strstr(msg, "j.") || strstr(msg, "out of memory"));
  }
  /* every entry well formed; then the joined keys go (the documents have
  ** no loaded metadata), so that runs do not pile keys up */
  for (size_t i = 0; i < corpus_count(the_corpus); i++) {
    size_t pos = 0, nk = 0;
    corpus_meta m;
    char *keys[64];
    while (corpus_meta_next(the_corpus, i, &pos, &m)) {
      CHECK(m.key[0] && m.value);
      if (nk < 64) keys[nk++] = strdup(m.key);
    }
    for (size_t k = 0; k < nk; k++) {
      char *err = NULL;
      CHECK(keys[k]);
      CHECK(corpus_meta_set(the_corpus, i, keys[k], CORPUS_META_STRING, NULL,
                            0, &err) == 0);
      free(keys[k]);
    }
  }
  lua_settop(L, 0);
  lua_gc(L, LUA_GCCOLLECT);
  return 0;
}
