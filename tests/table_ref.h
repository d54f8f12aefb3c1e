/*
** table_ref.h -- the jansson reference for table_json_each (core/table.c),
** for the tests, the fuzzer and the benchmark only: ref_json_each has
** table_json_each's contract and is what it was before the hand-written
** walker (jansson's json_loadb, then the record's own text walked in step
** with jansson's members for numbers and nested values).  Its messages
** are jansson's; only accept/reject and the members are compared.
**
** Header-only (static functions): include it from one .c file per program.
*/
#ifndef LECTOR_TABLE_REF_H
#define LECTOR_TABLE_REF_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

static size_t ref_ws(const char *s, size_t i, size_t n) {
  while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
    i++;
  return i;
}

/* s[i] is a quote: the offset past the string's closing quote. */
static size_t ref_string_end(const char *s, size_t i, size_t n) {
  for (i++; i < n; i++) {
    if (s[i] == '\\') i++;
    else if (s[i] == '"') return i + 1;
  }
  return n;
}

/* The offset past the value starting at s[i]. */
static size_t ref_value_end(const char *s, size_t i, size_t n) {
  if (i >= n) return n;
  if (s[i] == '"') return ref_string_end(s, i, n);
  if (s[i] == '{' || s[i] == '[') {
    size_t depth = 0;
    while (i < n) {
      char c = s[i];
      if (c == '"') { i = ref_string_end(s, i, n); continue; }
      if (c == '{' || c == '[') depth++;
      else if ((c == '}' || c == ']') && --depth == 0) return i + 1;
      i++;
    }
    return n;
  }
  while (i < n && !strchr(",}] \t\r\n", s[i])) i++;   /* a number or literal */
  return i;
}

/* s[0..n) less the white space outside strings, into out. */
static size_t ref_compact(const char *s, size_t n, char *out) {
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    if (s[i] == '"') {
      size_t e = ref_string_end(s, i, n);
      memcpy(out + o, s + i, e - i);
      o += e - i;
      i = e;
    } else {
      if (!strchr(" \t\r\n", s[i])) out[o++] = s[i];
      i++;
    }
  }
  out[o] = '\0';
  return o;
}

static const char *ref_type_name(const json_t *v) {
  switch (json_typeof(v)) {
  case JSON_ARRAY: return "an array";
  case JSON_STRING: return "a string";
  case JSON_INTEGER: case JSON_REAL: return "a number";
  case JSON_TRUE: case JSON_FALSE: return "a boolean";
  case JSON_NULL: return "null";
  default: return "an object";
  }
}

/* Call fn for each member of obj, walking the text rec[0..n) beside it. */
static int ref_members(json_t *obj, const char *rec, size_t n,
                       int (*fn)(void *, const table_value *), void *ud,
                       char *scratch) {
  size_t i = ref_ws(rec, 0, n) + 1;  /* past the '{' */
  for (void *it = json_object_iter(obj); it; it = json_object_iter_next(obj, it)) {
    json_t *v = json_object_iter_value(it);
    i = ref_ws(rec, i, n);
    i = ref_string_end(rec, i, n);   /* the key */
    i = ref_ws(rec, i, n) + 1;       /* the colon */
    i = ref_ws(rec, i, n);
    if (i > n) i = n;
    size_t end = ref_value_end(rec, i, n);
    table_value tv = { json_object_iter_key(it), json_object_iter_key_len(it),
                       0, NULL, 0 };
    switch (json_typeof(v)) {
    case JSON_STRING:
      tv.type = 's'; tv.val = json_string_value(v); tv.len = json_string_length(v);
      break;
    case JSON_INTEGER: case JSON_REAL:
      tv.type = 'n';
      memcpy(scratch, rec + i, end - i);
      scratch[end - i] = '\0';
      tv.val = scratch; tv.len = end - i;
      break;
    case JSON_TRUE: tv.type = 'b'; tv.val = "true"; tv.len = 4; break;
    case JSON_FALSE: tv.type = 'b'; tv.val = "false"; tv.len = 5; break;
    case JSON_NULL: tv.type = 'z'; tv.val = "null"; tv.len = 4; break;
    default:
      tv.type = 'j';
      tv.len = ref_compact(rec + i, end - i, scratch);
      tv.val = scratch;
      break;
    }
    int r = fn(ud, &tv);
    if (r) return r;
    i = ref_ws(rec, end, n) + 1;     /* past the comma */
  }
  return 0;
}

/* table_json_each through jansson (its contract; jansson's messages). */
static int ref_json_each(const char *rec, size_t n,
                         int (*fn)(void *ud, const table_value *v), void *ud,
                         char *why, size_t whylen) {
  json_error_t err;
  const char *nul = memchr(rec, '\0', n);
  if (nul) {                        /* jansson would stop there as at the end */
    snprintf(why, whylen, "invalid JSON at byte %zu: a NUL byte",
             (size_t)(nul - rec) + 1);
    return -1;
  }
  json_t *root = json_loadb(rec, n, JSON_DECODE_ANY | JSON_DECODE_INT_AS_REAL |
                            JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &err);
  if (!root) {
    if (json_error_code(&err) == json_error_out_of_memory) {
      snprintf(why, whylen, "out of memory");
      return -2;
    }
    snprintf(why, whylen, "invalid JSON at column %d: %s", err.column, err.text);
    return -1;
  }
  int rc = 0;
  char *scratch = NULL;
  if (!json_is_object(root)) {
    snprintf(why, whylen, "expected a JSON object, got %s", ref_type_name(root));
    rc = -1;
  } else if (!(scratch = malloc(n + 1))) {
    snprintf(why, whylen, "out of memory");
    rc = -2;
  } else {
    rc = ref_members(root, rec, n, fn, ud, scratch);
  }
  free(scratch);
  json_decref(root);
  return rc;
}

/* The members a table_json_each-like function shows, flattened: for each
** member, key length, key, type, text length, text (lengths as 8 bytes). */
typedef struct ref_flat { char *p; size_t len, cap, calls; } ref_flat;

static inline void ref_put(ref_flat *f, const void *p, size_t n) {
  if (f->len + n > f->cap) {
    size_t cap = (f->len + n) * 2 + 64;
    char *q = realloc(f->p, cap);
    if (!q) abort();
    f->p = q;
    f->cap = cap;
  }
  memcpy(f->p + f->len, p, n);
  f->len += n;
}

static inline int ref_flatten(void *ud, const table_value *v) {
  ref_flat *f = ud;
  uint64_t kl = v->key_len, vl = v->len;
  if (v->val[v->len] != '\0') abort();
  ref_put(f, &kl, sizeof kl);
  ref_put(f, v->key, v->key_len);
  ref_put(f, &v->type, 1);
  ref_put(f, &vl, sizeof vl);
  ref_put(f, v->val, v->len);
  f->calls++;
  return 0;
}

#endif
