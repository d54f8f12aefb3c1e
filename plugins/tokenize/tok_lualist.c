/*
** tok_lualist.c -- the token list tokenize.tokens returns: a userdata
** holding the spans, the normalised forms and a copy of the text.
**   #list, list[i] -> {kind=, offset= (1-based), length=, id=, text=,
**   norm=, flags=, allcaps=, capital=}, ipairs(list), list:norms(),
**   list:texts(), list:ids(); __tostring and the REPL's __summary and
**   __methods (plugin.h).  Its memory is the host's (counted).
*/
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "lector/kit.h"
#include "tok_lua.h"
#include "tok_opts.h"

#define LIST_MT "lector.tokenize.tokens"
#define SUMMARY_TOKENS 10      /* tokens the REPL's summary shows */

struct tok_list {
  size_t n, cap;
  lector_tok_span *spans;
  uint32_t *noff;             /* norm i: norms[noff[i] .. noff[i + 1]) */
  char *norms;
  size_t nlen, ncap;
  char *text;                 /* a copy of the source text */
  size_t text_len;
};

/* __gc, __close.  [-0, +0, -] */
static int list_gc(lua_State *L) {
  tok_list *t = luaL_checkudata(L, 1, LIST_MT);
  lk_free(t->spans);
  lk_free(t->noff);
  lk_free(t->norms);
  lk_free(t->text);
  memset(t, 0, sizeof *t);
  return 0;
}

tok_list *tok_lualist_new(lua_State *L, const char *fname, const char *text,
                          size_t len) {
  tok_list *t = lua_newuserdatauv(L, sizeof *t, 0);
  memset(t, 0, sizeof *t);
  luaL_setmetatable(L, LIST_MT);
  t->text = lk_alloc(len + 1);
  if (!t->text) luaL_error(L, "%s: out of memory", fname);
  memcpy(t->text, text, len);
  t->text[len] = '\0';
  t->text_len = len;
  return t;
}

int tok_lualist_push(tok_list *t, const lector_tok_span *sp, const char *norm,
                     size_t nlen) {
  if (t->n + 2 > t->cap) {     /* spans and noff grow to the same cap */
    size_t c1 = t->cap, c2 = t->cap;
    lector_tok_span *spans = lk_grow(t->spans, &c1, t->n + 2,
                                     sizeof *t->spans);
    uint32_t *noff;
    if (!spans) return 0;
    t->spans = spans;
    noff = lk_grow(t->noff, &c2, t->n + 2, sizeof *t->noff);
    if (!noff) return 0;
    t->noff = noff;
    t->cap = c1 < c2 ? c1 : c2;
  }
  if (t->nlen + nlen > UINT32_MAX) return 0;
  if (t->nlen + nlen + 1 > t->ncap) {
    char *norms = lk_grow(t->norms, &t->ncap, t->nlen + nlen + 1, 1);
    if (!norms) return 0;
    t->norms = norms;
  }
  memcpy(t->norms + t->nlen, norm, nlen);
  t->spans[t->n] = *sp;
  t->noff[t->n] = (uint32_t)t->nlen;
  t->nlen += nlen;
  t->n++;
  t->noff[t->n] = (uint32_t)t->nlen;
  return 1;
}

size_t tok_lualist_count(const tok_list *t) { return t->n; }

/* Push norm i of t.  [-0, +1, m] */
static void push_norm(lua_State *L, const tok_list *t, size_t i) {
  lua_pushlstring(L, t->norms + t->noff[i], t->noff[i + 1] - t->noff[i]);
}

/* Push the table of token i (0-based) of t.  [-0, +1, m] */
static void push_token(lua_State *L, const tok_list *t, size_t i) {
  const lector_tok_span *sp = &t->spans[i];
  lua_createtable(L, 0, 9);
  lua_pushstring(L, tok_kind_name(sp->kind));
  lua_setfield(L, -2, "kind");
  lua_pushinteger(L, (lua_Integer)sp->offset + 1);
  lua_setfield(L, -2, "offset");
  lua_pushinteger(L, (lua_Integer)sp->length);
  lua_setfield(L, -2, "length");
  lua_pushinteger(L, (lua_Integer)sp->id);
  lua_setfield(L, -2, "id");
  lua_pushlstring(L, t->text + sp->offset, sp->length);
  lua_setfield(L, -2, "text");
  push_norm(L, t, i);
  lua_setfield(L, -2, "norm");
  lua_pushinteger(L, sp->flags);
  lua_setfield(L, -2, "flags");
  lua_pushboolean(L, (sp->flags & LECTOR_TOKF_ALLCAPS) != 0);
  lua_setfield(L, -2, "allcaps");
  lua_pushboolean(L, (sp->flags & LECTOR_TOKF_CAPITAL) != 0);
  lua_setfield(L, -2, "capital");
}

/* list[i] -> token table (nil out of range); list.name -> method.
** [-0, +1, m] */
static int list_index(lua_State *L) {
  tok_list *t = luaL_checkudata(L, 1, LIST_MT);
  int isint;
  lua_Integer i = lua_tointegerx(L, 2, &isint);
  if (isint) {
    if (i >= 1 && (size_t)i <= t->n) push_token(L, t, (size_t)(i - 1));
    else lua_pushnil(L);
    return 1;
  }
  lua_pushvalue(L, 2);
  lua_rawget(L, lua_upvalueindex(1));
  return 1;
}

/* #list.  [-0, +1, -] */
static int list_len(lua_State *L) {
  tok_list *t = luaL_checkudata(L, 1, LIST_MT);
  lua_pushinteger(L, (lua_Integer)t->n);
  return 1;
}

/* tostring(list) -> "tokens: N".  [-0, +1, m] */
static int list_tostring(lua_State *L) {
  tok_list *t = luaL_checkudata(L, 1, LIST_MT);
  lua_pushfstring(L, "tokens: %I", (LUAI_UACINT)t->n);
  return 1;
}

/* The REPL's long form: the count, the text's size, the first tokens as
** offset, kind, text -> norm.  [-0, +1, m] */
static int list_summary(lua_State *L) {
  tok_list *t = luaL_checkudata(L, 1, LIST_MT);
  size_t i, shown = t->n < SUMMARY_TOKENS ? t->n : SUMMARY_TOKENS;
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  lua_pushfstring(L, "tokens: %I, over a text of %I bytes",
                  (LUAI_UACINT)t->n, (LUAI_UACINT)t->text_len);
  luaL_addvalue(&b);
  if (shown > 0) luaL_addstring(&b, "\n    offset  kind        text -> norm");
  for (i = 0; i < shown; i++) {
    const lector_tok_span *sp = &t->spans[i];
    char line[48];
    snprintf(line, sizeof line, "\n  %8lu  %-10s  ",
             (unsigned long)sp->offset + 1, tok_kind_name(sp->kind));
    luaL_addstring(&b, line);
    luaL_addlstring(&b, t->text + sp->offset, sp->length);
    luaL_addstring(&b, " -> ");
    luaL_addlstring(&b, t->norms + t->noff[i], t->noff[i + 1] - t->noff[i]);
  }
  if (t->n > shown) {
    lua_pushfstring(L, "\n  ... %I more", (LUAI_UACINT)(t->n - shown));
    luaL_addvalue(&b);
  }
  luaL_pushresult(&b);
  return 1;
}

/* list:norms(), list:texts(), list:ids() -> arrays.  [-0, +1, m] */
static int list_array(lua_State *L, int what) {
  tok_list *t = luaL_checkudata(L, 1, LIST_MT);
  size_t i;
  lua_createtable(L, (int)(t->n < 100000000 ? t->n : 0), 0);
  for (i = 0; i < t->n; i++) {
    const lector_tok_span *sp = &t->spans[i];
    if (what == 0)
      push_norm(L, t, i);
    else if (what == 1)
      lua_pushlstring(L, t->text + sp->offset, sp->length);
    else
      lua_pushinteger(L, (lua_Integer)sp->id);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}

static int list_norms(lua_State *L) { return list_array(L, 0); }
static int list_texts(lua_State *L) { return list_array(L, 1); }
static int list_ids(lua_State *L) { return list_array(L, 2); }

void tok_lualist_open(lua_State *L) {
  static const luaL_Reg methods[] = {
    { "norms", list_norms }, { "texts", list_texts }, { "ids", list_ids },
    { NULL, NULL }
  };
  static const luaL_Reg meta[] = {
    { "__gc", list_gc }, { "__close", list_gc }, { "__len", list_len },
    { "__tostring", list_tostring }, { "__summary", list_summary },
    { NULL, NULL }
  };
  lk_newclass(L, LIST_MT, meta, methods, NULL, list_index);
}
