/*
** pretty.c -- the value pretty-printer (see pretty.h).
**
** Every value is rendered into a Lua string of its own, its lines after
** the first starting at column 0.  A table renders its items first and
** then decides from their renderings whether it fits on one line; when it
** does not, it indents the lines of multi-line items by two spaces as it
** places them.  Renderings live on the Lua stack or in Lua tables, so an
** error raised half-way (by a __summary, or out of memory) leaks nothing.
*/
#include "pretty.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>

#define PRETTY_INDENT "  "
#define PRETTY_INDENT_LEN 2
/* Narrowest room given to a nested table, however deep it sits. */
#define PRETTY_MIN_ROOM 24

typedef struct pretty {
  lua_State *L;
  int depth_limit;
  int seen;            /* stack index: tables being rendered -> true */
} pretty;

/* One key of a table's hash part, for sorting. */
typedef struct pretty_key {
  int rank;            /* 0 number, 1 string, 2 boolean, 3 anything else */
  int sub;             /* integer number / boolean value / Lua type */
  lua_Integer i;
  lua_Number n;
  const char *s;       /* string keys: kept alive by the keys table */
  size_t len;
  int pos;             /* the key's index in the keys table */
} pretty_key;

static void render(pretty *p, int idx, int level, int room);


/* --- strings ---------------------------------------------------------- */

/* Length of the valid UTF-8 sequence at s (n bytes available), or 0. */
static size_t utf8_seq(const unsigned char *s, size_t n) {
  unsigned c = s[0], lo = 0x80, hi = 0xBF;
  size_t len, i;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) len = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;          /* overlong */
    else if (c == 0xED) hi = 0x9F;     /* surrogates */
  }
  else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;          /* overlong */
    else if (c == 0xF4) hi = 0x8F;     /* past U+10FFFF */
  }
  else return 0;
  if (n < len || s[1] < lo || s[1] > hi) return 0;
  for (i = 2; i < len; i++)
    if ((s[i] & 0xC0) != 0x80) return 0;
  return len;
}

/* The escape for byte c, or NULL when it stands for itself. */
static const char *short_escape(unsigned c) {
  switch (c) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\n': return "\\n";
    case '\r': return "\\r";
    case '\t': return "\\t";
    case '\a': return "\\a";
    case '\b': return "\\b";
    case '\f': return "\\f";
    case '\v': return "\\v";
    default: return NULL;
  }
}

/* Add str[0..len) to b as a Lua string literal.  UTF-8 characters stay as
** they are; other control bytes become \ddd and invalid bytes \xHH.  When
** max > 0 and the string is longer, it is cut after at most max bytes (on
** a character boundary) and its full length noted. */
static void add_quoted(luaL_Buffer *b, const char *str, size_t len,
                       size_t max) {
  const unsigned char *s = (const unsigned char *)str;
  size_t end = (max > 0 && len > max) ? max : len, i = 0, n;
  char esc[48];
  luaL_addchar(b, '"');
  while (i < end) {
    unsigned c = s[i];
    const char *e = short_escape(c);
    if (e != NULL) {
      luaL_addstring(b, e);
      i++;
    }
    else if (c < 0x20 || c == 0x7F) {
      /* three digits when a digit follows, as %q does */
      int digit = i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9';
      snprintf(esc, sizeof esc, digit ? "\\%03u" : "\\%u", c);
      luaL_addstring(b, esc);
      i++;
    }
    else if (c < 0x80) {
      luaL_addchar(b, (char)c);
      i++;
    }
    else if ((n = utf8_seq(s + i, len - i)) != 0) {
      if (i + n > end) break;          /* never split a character */
      luaL_addlstring(b, str + i, n);
      i += n;
    }
    else {
      snprintf(esc, sizeof esc, "\\x%02X", c);
      luaL_addstring(b, esc);
      i++;
    }
  }
  luaL_addchar(b, '"');
  if (i < len) {
    snprintf(esc, sizeof esc, "... (%zu bytes)", len);
    luaL_addstring(b, esc);
  }
}

/* [-0, +1, m] */
static void render_string(lua_State *L, int idx, int level) {
  size_t len;
  const char *s = lua_tolstring(L, idx, &len);
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  add_quoted(&b, s, len, level > 0 ? PRETTY_STRING_MAX : PRETTY_STRING_TOP);
  luaL_pushresult(&b);
}

int pretty_is_name(const char *s, size_t len) {
  static const char *const reserved[] = {
    "and", "break", "do", "else", "elseif", "end", "false", "for",
    "function", "goto", "if", "in", "local", "nil", "not", "or", "repeat",
    "return", "then", "true", "until", "while", NULL
  };
  size_t i;
  int r;
  if (len == 0 || (s[0] >= '0' && s[0] <= '9')) return 0;
  for (i = 0; i < len; i++) {
    char c = s[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
          (c >= '0' && c <= '9') || c == '_'))
      return 0;
  }
  for (r = 0; reserved[r]; r++)
    if (strlen(reserved[r]) == len && memcmp(reserved[r], s, len) == 0)
      return 0;
  return 1;
}


/* --- metamethods ------------------------------------------------------ */

/* When the value at idx has metafield `event`, push event(value), with
** trailing newlines dropped, and return 1; else push nothing, return 0.
** [-0, +(0|1), e] */
static int call_meta(lua_State *L, int idx, const char *event) {
  size_t len, n;
  const char *s;
  if (luaL_getmetafield(L, idx, event) == LUA_TNIL) return 0;
  lua_pushvalue(L, idx);
  lua_call(L, 1, 1);
  if (lua_type(L, -1) != LUA_TSTRING)
    luaL_error(L, "'%s' must return a string", event);
  s = lua_tolstring(L, -1, &len);
  for (n = len; n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'); n--) {}
  if (n < len) {
    lua_pushlstring(L, s, n);
    lua_replace(L, -2);
  }
  return 1;
}

/* A value shown on its own gets its long form (__summary); inside a
** table, its one-line form (__tostring) if it has one. [-0, +(0|1), e] */
static int render_meta(lua_State *L, int idx, int level) {
  if (level == 0)
    return call_meta(L, idx, "__summary") || call_meta(L, idx, "__tostring");
  return call_meta(L, idx, "__tostring") || call_meta(L, idx, "__summary");
}


/* --- table keys ------------------------------------------------------- */

/* Length of the array part: 1..n all present. */
static lua_Integer array_len(lua_State *L, int t) {
  lua_Integer n = 0;
  while (lua_rawgeti(L, t, n + 1) != LUA_TNIL) {
    lua_pop(L, 1);
    n++;
  }
  lua_pop(L, 1);
  return n;
}

static int is_array_key(lua_State *L, int k, lua_Integer n) {
  lua_Integer i;
  if (!lua_isinteger(L, k)) return 0;
  i = lua_tointeger(L, k);
  return i >= 1 && i <= n;
}

static void key_fill(lua_State *L, int k, pretty_key *key, int pos) {
  memset(key, 0, sizeof *key);
  key->pos = pos;
  switch (lua_type(L, k)) {
    case LUA_TNUMBER:
      key->rank = 0;
      key->sub = lua_isinteger(L, k);
      key->i = key->sub ? lua_tointeger(L, k) : 0;
      key->n = lua_tonumber(L, k);
      break;
    case LUA_TSTRING:
      key->rank = 1;
      key->s = lua_tolstring(L, k, &key->len);
      break;
    case LUA_TBOOLEAN:
      key->rank = 2;
      key->sub = lua_toboolean(L, k);
      break;
    default:
      key->rank = 3;
      key->sub = lua_type(L, k);
      break;
  }
}

static int key_cmp(const void *va, const void *vb) {
  const pretty_key *a = va, *b = vb;
  if (a->rank != b->rank) return a->rank < b->rank ? -1 : 1;
  if (a->rank == 0) {
    if (a->sub && b->sub) {
      if (a->i != b->i) return a->i < b->i ? -1 : 1;
    }
    else if (a->n != b->n) return a->n < b->n ? -1 : 1;
  }
  else if (a->rank == 1) {
    size_t n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->s, b->s, n);
    if (c != 0) return c;
    if (a->len != b->len) return a->len < b->len ? -1 : 1;
  }
  else if (a->sub != b->sub) return a->sub < b->sub ? -1 : 1;
  return a->pos < b->pos ? -1 : a->pos > b->pos;
}

/* Push a table of the keys of t outside its array part 1..n, and below
** it their sorted descriptions (a userdata); return how many.
** [-0, +2, m] */
static int collect_keys(lua_State *L, int t, lua_Integer n,
                        pretty_key **out) {
  int count = 0, j = 0, kt;
  pretty_key *keys;
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    if (!is_array_key(L, -1, n)) count++;
  }
  keys = lua_newuserdatauv(L, (size_t)(count > 0 ? count : 1) * sizeof *keys,
                           0);
  lua_createtable(L, count, 0);
  kt = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, t)) {
    lua_pop(L, 1);
    if (is_array_key(L, -1, n) || j == count) continue;
    lua_pushvalue(L, -1);
    lua_rawseti(L, kt, j + 1);      /* keeps string keys alive */
    key_fill(L, -1, &keys[j], j + 1);
    j++;
  }
  qsort(keys, (size_t)j, sizeof *keys, key_cmp);
  *out = keys;
  return j;
}

/* Push the key at k as written before " = ": name or [key]. [-0, +1, e] */
static void render_key(lua_State *L, int k) {
  luaL_Buffer b;
  size_t len;
  const char *s;
  if (lua_type(L, k) == LUA_TSTRING) {
    s = lua_tolstring(L, k, &len);
    if (pretty_is_name(s, len)) {
      lua_pushvalue(L, k);
      return;
    }
    luaL_buffinit(L, &b);
    luaL_addchar(&b, '[');
    add_quoted(&b, s, len, PRETTY_STRING_MAX);
    luaL_addchar(&b, ']');
    luaL_pushresult(&b);
    return;
  }
  if (lua_type(L, k) == LUA_TNUMBER) {
    lua_pushvalue(L, k);
    s = lua_tostring(L, -1);
  }
  else
    s = luaL_tolstring(L, k, NULL);
  lua_pushfstring(L, "[%s]", s);
  lua_remove(L, -2);
}


/* --- tables ----------------------------------------------------------- */

static int room_for(int room, size_t used) {
  int r = room - (int)used;
  return r < PRETTY_MIN_ROOM ? PRETTY_MIN_ROOM : r;
}

/* Store the rendering on top as item i of the pieces table pt, indenting
** its later lines for the multi-line layout.  [-1, +0, m] */
static void store_piece(lua_State *L, int pt, int i) {
  size_t len;
  const char *s = lua_tolstring(L, -1, &len);
  if (memchr(s, '\n', len) != NULL) {
    luaL_gsub(L, s, "\n", "\n" PRETTY_INDENT);
    lua_remove(L, -2);
  }
  lua_rawseti(L, pt, i);
}

/* Render the first `shown` items into pieces table pt: array items as
** their values, other keys as "key = value".  [-0, +0, e] */
static void render_items(pretty *p, int t, int level, int room, int pt,
                         lua_Integer n, const pretty_key *keys, int kt,
                         int shown) {
  lua_State *L = p->L;
  int i;
  for (i = 1; i <= shown; i++) {
    if (i <= n) {
      lua_rawgeti(L, t, i);
      render(p, lua_gettop(L), level + 1,
             room_for(room, PRETTY_INDENT_LEN + 1));
      lua_remove(L, -2);
    }
    else {
      size_t klen;
      lua_rawgeti(L, kt, keys[i - 1 - n].pos);         /* the key */
      render_key(L, lua_gettop(L));
      lua_tolstring(L, -1, &klen);
      lua_pushvalue(L, -2);
      lua_rawget(L, t);                                /* the value */
      lua_pushliteral(L, " = ");
      lua_insert(L, -2);
      render(p, lua_gettop(L), level + 1,
             room_for(room, PRETTY_INDENT_LEN + klen + 4));
      lua_remove(L, -2);                               /* the value */
      lua_concat(L, 3);                                /* key = value */
      lua_remove(L, -2);                               /* the key */
    }
    store_piece(L, pt, i);
  }
}

/* Length of piece i and whether it has several lines. */
static size_t piece_len(lua_State *L, int pt, int i, int *multi) {
  size_t len;
  const char *s;
  lua_rawgeti(L, pt, i);
  s = lua_tolstring(L, -1, &len);
  *multi = memchr(s, '\n', len) != NULL;
  lua_pop(L, 1);
  return len;
}

/* Push the one-line layout {a, b, k = v}, or return 0 when some piece has
** several lines or the line would be wider than room.  [-0, +(0|1), m] */
static int layout_line(lua_State *L, int pt, int shown, const char *more,
                       int room) {
  size_t width = 2 + (*more ? strlen(more) + 2 * (shown > 0) : 0);
  luaL_Buffer b;
  int i, multi;
  for (i = 1; i <= shown; i++) {
    width += piece_len(L, pt, i, &multi) + (i > 1 ? 2 : 0);
    if (multi || width > (size_t)room) return 0;
  }
  luaL_buffinit(L, &b);
  luaL_addchar(&b, '{');
  for (i = 1; i <= shown; i++) {
    if (i > 1) luaL_addstring(&b, ", ");
    lua_rawgeti(L, pt, i);
    luaL_addvalue(&b);
  }
  if (*more) {
    if (shown > 0) luaL_addstring(&b, ", ");
    luaL_addstring(&b, more);
  }
  luaL_addchar(&b, '}');
  luaL_pushresult(&b);
  return 1;
}

/* Push the multi-line layout: array items packed on lines, other items
** one per line, each followed by a comma. [-0, +1, m] */
static void layout_lines(lua_State *L, int pt, int shown, lua_Integer n,
                         const char *more, int room) {
  luaL_Buffer b;
  size_t col = 0;            /* 0: at the start of a fresh line */
  int i, multi;
  luaL_buffinit(L, &b);
  luaL_addchar(&b, '{');
  for (i = 1; i <= shown; i++) {
    size_t len = piece_len(L, pt, i, &multi);
    int packed = i <= n && !multi;
    if (col > 0 && packed && col + 1 + len + 1 <= (size_t)room) {
      luaL_addchar(&b, ' ');
      col += 1;
    }
    else {
      luaL_addstring(&b, "\n" PRETTY_INDENT);
      col = PRETTY_INDENT_LEN;
    }
    lua_rawgeti(L, pt, i);
    luaL_addvalue(&b);
    luaL_addchar(&b, ',');
    col = packed ? col + len + 1 : (size_t)room + 1;  /* alone on its line */
  }
  if (*more) {
    luaL_addstring(&b, "\n" PRETTY_INDENT);
    luaL_addstring(&b, more);
  }
  luaL_addstring(&b, "\n}");
  luaL_pushresult(&b);
}

/* [-0, +1, e] */
static void render_table(pretty *p, int t, int level, int room) {
  lua_State *L = p->L;
  int base = lua_gettop(L), nkeys, shown, kt, pt;
  lua_Integer n, total;
  pretty_key *keys;
  char more[48] = "";
  lua_pushvalue(L, t);
  if (lua_rawget(L, p->seen) != LUA_TNIL) {
    lua_pushliteral(L, "<cycle>");
    goto done;
  }
  if (level >= p->depth_limit) {
    lua_pushnil(L);
    if (lua_next(L, t)) {
      lua_pop(L, 2);
      lua_pushliteral(L, "{...}");
    }
    else
      lua_pushliteral(L, "{}");
    goto done;
  }
  lua_pushvalue(L, t);
  lua_pushboolean(L, 1);
  lua_rawset(L, p->seen);
  n = array_len(L, t);
  nkeys = collect_keys(L, t, n, &keys);
  kt = lua_gettop(L);
  total = n + nkeys;
  shown = total > PRETTY_ITEMS ? PRETTY_ITEMS : (int)total;
  if (total > shown)
    snprintf(more, sizeof more, "... (%lld more)", (long long)(total - shown));
  lua_createtable(L, shown, 0);
  pt = lua_gettop(L);
  render_items(p, t, level, room, pt, n, keys, kt, shown);
  if (!layout_line(L, pt, shown, more, room))
    layout_lines(L, pt, shown, n, more, room);
  lua_pushvalue(L, t);
  lua_pushnil(L);
  lua_rawset(L, p->seen);
done:
  lua_replace(L, base + 1);
  lua_settop(L, base + 1);
}


/* --- values ----------------------------------------------------------- */

/* Push the rendering of the value at (absolute) idx. [-0, +1, e] */
static void render(pretty *p, int idx, int level, int room) {
  lua_State *L = p->L;
  luaL_checkstack(L, 16, "value too deeply nested to show");
  switch (lua_type(L, idx)) {
    case LUA_TSTRING:
      render_string(L, idx, level);
      break;
    case LUA_TNUMBER:      /* a copy: lua_tostring converts in place */
      lua_pushvalue(L, idx);
      lua_tostring(L, -1);
      break;
    case LUA_TTABLE:
      if (!render_meta(L, idx, level)) render_table(p, idx, level, room);
      break;
    case LUA_TUSERDATA:
      if (!render_meta(L, idx, level)) luaL_tolstring(L, idx, NULL);
      break;
    default:               /* nil, booleans, functions, threads */
      luaL_tolstring(L, idx, NULL);
      break;
  }
}

void pretty_push(lua_State *L, int idx, int depth_limit) {
  pretty p;
  idx = lua_absindex(L, idx);
  lua_newtable(L);
  p.L = L;
  p.seen = lua_gettop(L);
  p.depth_limit = depth_limit < 1 ? PRETTY_DEPTH : depth_limit;
  render(&p, idx, 0, PRETTY_WIDTH);
  lua_remove(L, p.seen);
}

int pretty_lua_show(lua_State *L) {
  int depth = (int)luaL_optinteger(L, 2, PRETTY_DEPTH);
  size_t len;
  const char *s;
  luaL_checkany(L, 1);
  pretty_push(L, 1, depth);
  s = lua_tolstring(L, -1, &len);
  lua_writestring(s, len);
  lua_writeline();
  return 0;
}
