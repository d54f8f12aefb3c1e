/*
** corpus_meta.c -- documents' metadata: reading the blocks corpus.h
** describes (loaded and joined), setting joined keys, and the builder the
** loader fills blocks with.
**
** A document's joined block is malloc'd (mem.h, so it counts against the
** memory limit) and rebuilt whole by each corpus_meta_set: joins are rare
** and blocks small, and a reader never sees a block half written.
*/
#include "corpus_meta.h"

#include <stdlib.h>
#include <string.h>

#include "corpus_internal.h"
#include "mem.h"
#include "util.h"

/* ---------------------------------------------------------------------
** Walking a block
*/

/* The entry at p (not the end): its key, type and value; returns the
** next entry. */
static const char *entry(const char *p, corpus_meta *m) {
  m->key = p;
  p += strlen(p) + 1;
  m->type = (unsigned char)*p++;
  m->value = p;
  return p + strlen(p) + 1;
}

/* Bytes of the block b, its final empty key included. */
static size_t block_len(const char *b) {
  const char *p = b;
  corpus_meta m;
  while (p && *p) p = entry(p, &m);
  return p ? (size_t)(p - b) + 1 : 0;
}

/* 1 when the block b has an entry for key. */
static int block_has(const char *b, const char *key) {
  corpus_meta m;
  for (const char *p = b; p && *p;) {
    p = entry(p, &m);
    if (strcmp(m.key, key) == 0) return 1;
  }
  return 0;
}

/* ---------------------------------------------------------------------
** Reading
**
** *pos counts bytes: [1, joined length] inside the joined block, then
** past it inside the loaded one, so one number says where we are.
*/

static const char *joined_block(const corpus *c, size_t i) {
  const corpus_store *st = c->store;
  return st->joined ? st->joined[corpus_store_index(c, i)] : NULL;
}

/* See corpus.h. */
int corpus_meta_next(const corpus *c, size_t i, size_t *pos, corpus_meta *m) {
  const corpus_doc *d = corpus_doc_at(c, i);
  if (!d) return 0;
  const char *j = joined_block(c, i);
  size_t jl = block_len(j);
  if (*pos < jl && j[*pos]) {
    *pos = (size_t)(entry(j + *pos, m) - j);
    return 1;
  }
  if (*pos < jl) *pos = jl;               /* the joined block is done */
  while (d->meta && d->meta[*pos - jl]) {
    const char *p = d->meta + (*pos - jl);
    *pos = (size_t)(entry(p, m) - d->meta) + jl;
    if (!block_has(j, m->key)) return 1;
  }
  return 0;
}

/* See corpus.h. */
const char *corpus_meta_get(const corpus *c, size_t i, const char *key,
                            int *type) {
  corpus_meta m;
  size_t pos = 0;
  while (corpus_meta_next(c, i, &pos, &m)) {
    if (strcmp(m.key, key) == 0) {
      if (type) *type = m.type;
      return m.value;
    }
  }
  return NULL;
}

/* See corpus.h. */
size_t corpus_doc_folder(const corpus_doc *d, char *buf, size_t cap) {
  const char *id = d->file_id ? d->file_id : d->id, *slash = strchr(id, '/');
  size_t n = slash ? (size_t)(slash - id) : 0;
  if (cap == 0) return 0;
  if (n >= cap) n = cap - 1;
  memcpy(buf, id, n);
  buf[n] = '\0';
  return n;
}

/* ---------------------------------------------------------------------
** Building blocks
*/

/* See corpus_meta.h. */
int meta_add(util_buf *b, const char *key, size_t klen, int type,
             const char *val, size_t vlen) {
  if (klen == 0 || memchr(key, '\0', klen) || memchr(val, '\0', vlen)) return 1;
  if (util_buf_reserve(b, klen + vlen + 4) != 0) return -1;
  memcpy(b->data + b->len, key, klen);
  b->len += klen;
  b->data[b->len++] = '\0';
  b->data[b->len++] = (char)type;
  memcpy(b->data + b->len, val, vlen);
  b->len += vlen;
  b->data[b->len++] = '\0';
  return 0;
}

/* See corpus_meta.h. */
const char *meta_finish(util_buf *b, arena *a) {
  if (b->len == 0) return NULL;
  char *p = arena_alloc(a, b->len + 1);
  if (!p) return NULL;
  memcpy(p, b->data, b->len);
  p[b->len] = '\0';
  return p;
}

/* ---------------------------------------------------------------------
** Joining
*/

/* The joined block old without key, then key = values, as a new block
** (mem_alloc'd; NULL when it would be empty, *oom when out of memory). */
static char *rebuild(const char *old, const char *key, int type,
                     const char *const *values, size_t n, int *oom) {
  util_buf b = {0};
  corpus_meta m;
  int rc = 0;
  for (const char *p = old; p && *p && rc == 0;) {
    p = entry(p, &m);
    if (strcmp(m.key, key) != 0)
      rc = meta_add(&b, m.key, strlen(m.key), m.type, m.value, strlen(m.value));
  }
  if (n > 1) type = CORPUS_META_LIST;
  for (size_t k = 0; k < n && rc == 0; k++)
    rc = meta_add(&b, key, strlen(key), type, values[k], strlen(values[k]));
  char *out = rc == 0 && b.len ? mem_alloc(b.len + 1) : NULL;
  if (out) {
    memcpy(out, b.data, b.len);
    out[b.len] = '\0';
  }
  *oom = rc != 0 || (b.len && !out);
  util_buf_free(&b);
  return out;
}

/* See corpus.h. */
int corpus_meta_set(corpus *c, size_t i, const char *key, int type,
                    const char *const *values, size_t n, char **err) {
  corpus_store *st = c->store;
  int oom;
  if (i >= corpus_count(c))
    return *err = util_errorf("corpus_meta_set: no document %zu", i), 1;
  if (!*key) return *err = util_errorf("corpus_meta_set: empty key"), 1;
  if (!st->joined) {
    st->joined = mem_alloc((st->n ? st->n : 1) * sizeof *st->joined);
    if (!st->joined) return *err = NULL, 1;
    memset(st->joined, 0, (st->n ? st->n : 1) * sizeof *st->joined);
  }
  size_t s = corpus_store_index(c, i);
  char *nb = rebuild(st->joined[s], key, type, values, n, &oom);
  if (oom) return *err = NULL, 1;
  st->joined_bytes -= block_len(st->joined[s]);
  st->joined_bytes += block_len(nb);
  mem_free(st->joined[s]);
  st->joined[s] = nb;
  return 0;
}
