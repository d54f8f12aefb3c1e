/*
** ng_route.c -- sending grams to the worker that owns them (ng_route.h).
**
** A message is one header word (gram length in bits 0..2, "first in its
** document" in bit 3), the group when the count has groups, then the
** gram's ids.
*/
#include <sched.h>
#include <string.h>

#include "ng_env.h"
#include "ng_par.h"
#include "ng_route.h"

#define NBUF NG_ROUTE_BUFS
#define DS_W (1 + NG_MAX_N)      /* docset entry: generation, key */
#define DS_SMALL 1024            /* entries of a set kept whatever its use */
#define LOOK 16                  /* messages prefetched ahead of counting */

/* ------------------------------------------------------------------------
** The document set
*/

static void ds_free(ng_docset *d) {
  NG_FREE(d->e);
  d->e = NULL;
  d->mask = d->used = 0;
}

/* Double the set (or make the first one), keeping this document's grams.
** 0 or -1. */
static int ds_grow(ng_docset *d) {
  uint32_t cap = d->e ? (d->mask + 1) * 2 : 256, i;
  uint32_t *e;
  if (cap == 0) return -1;
  e = NG_ALLOC((size_t)cap * DS_W * sizeof *e);
  if (!e) return -1;
  memset(e, 0, (size_t)cap * DS_W * sizeof *e);
  for (i = 0; d->e && i <= d->mask; i++) {
    const uint32_t *s = d->e + (size_t)i * DS_W;
    uint32_t pos;
    if (s[0] != d->gen) continue;
    pos = (uint32_t)ng_hash(s + 1, ng_key_len(s + 1, NG_MAX_N)) & (cap - 1);
    while (e[(size_t)pos * DS_W] == d->gen) pos = (pos + 1) & (cap - 1);
    memcpy(e + (size_t)pos * DS_W, s, DS_W * sizeof *s);
  }
  NG_FREE(d->e);
  d->e = e;
  d->mask = cap - 1;
  return 0;
}

/* Is key (hash h, NG_MAX_N words) new in this document?  1 (and now
** known), 0, or -1 on out of memory.  Entries of older generations are
** empty. */
static int ds_first(ng_docset *d, const uint32_t *key, uint64_t h) {
  uint32_t pos;
  if (d->used >= (d->mask + 1) / 2 && ds_grow(d) != 0) return -1;
  for (pos = (uint32_t)h & d->mask;; pos = (pos + 1) & d->mask) {
    uint32_t *e = d->e + (size_t)pos * DS_W;
    if (e[0] != d->gen) {
      e[0] = d->gen;
      memcpy(e + 1, key, NG_MAX_N * sizeof *key);
      d->used++;
      return 1;
    }
    if (memcmp(e + 1, key, NG_MAX_N * sizeof *key) == 0) return 0;
  }
}

void ng_route_begin_doc(ng_route *x) {
  ng_docset *d = &x->ds;
  /* a long document's set would make the next ones miss the cache */
  if (d->mask + 1 > DS_SMALL && d->used * 8 < d->mask + 1) ds_free(d);
  d->used = 0;
  if (++d->gen == 0) {                     /* wrapped: forget everything */
    if (d->e) memset(d->e, 0, (size_t)(d->mask + 1) * DS_W * sizeof *d->e);
    d->gen = 1;
  }
}

/* ------------------------------------------------------------------------
** Setup
*/

int ng_router_init(ng_router *r, int n, int grouped) {
  size_t nr = (size_t)n * (size_t)n, i;
  uint32_t words = NG_ROUTE_BYTES / 4 / NBUF / (uint32_t)(n - 1), j;
  memset(r, 0, sizeof *r);
  if (words < 1024) words = 1024;
  if (words > 16384) words = 16384;
  r->n = n;
  r->grouped = grouped;
  r->words = words;
  atomic_init(&r->active, n);
  atomic_init(&r->failed, 0);
  r->rings = NG_ALLOC(nr * sizeof *r->rings);
  if (!r->rings) return -1;
  memset(r->rings, 0, nr * sizeof *r->rings);
  for (i = 0; i < nr; i++) {
    atomic_init(&r->rings[i].head, 0);
    atomic_init(&r->rings[i].tail, 0);
    if (i / (size_t)n == i % (size_t)n) continue;     /* no ring to self */
    for (j = 0; j < NBUF; j++)
      if (!(r->rings[i].buf[j] = NG_ALLOC(words * sizeof(uint32_t))))
        return -1;
  }
  return 0;
}

void ng_router_free(ng_router *r) {
  size_t i, j;
  if (r->rings)
    for (i = 0; i < (size_t)r->n * (size_t)r->n; i++)
      for (j = 0; j < NBUF; j++) NG_FREE(r->rings[i].buf[j]);
  NG_FREE(r->rings);
  r->rings = NULL;
}

void ng_route_init(ng_route *x, ng_router *r, int self,
                   ng_route_tables_fn tables, void *ud) {
  memset(x, 0, sizeof *x);
  x->r = r;
  x->self = self;
  x->tables = tables;
  x->ud = ud;
}

void ng_route_free(ng_route *x) { ds_free(&x->ds); }

/* ------------------------------------------------------------------------
** Counting what was sent
*/

typedef struct look {
  uint64_t h;
  ng_table *t;
  uint32_t key[NG_MAX_N];
  uint32_t len, first;
} look;

/* Count the messages b[0..n), their table slots prefetched LOOK ahead.
** 0 or -1. */
static int count_buf(ng_route *x, const uint32_t *b, uint32_t n) {
  look q[LOOK];
  ng_table *tabs = NULL;
  uint32_t i = 0, cur = 0, qn = 0, qh = 0;
  while (i < n || qn) {
    if (qn == LOOK || (i >= n && qn)) {
      look *e = &q[qh];
      if (ng_table_hit(e->t, e->key, (int)e->len, e->h, 0, e->first) != 0)
        return -1;
      qh = (qh + 1) % LOOK;
      qn--;
      continue;
    }
    {
      uint32_t w = b[i++], grp = x->r->grouped ? b[i++] : 0;
      look *e = &q[(qh + qn) % LOOK];
      if (!tabs || grp != cur) {
        if (!(tabs = x->tables(x->ud, grp))) return -1;
        cur = grp;
      }
      e->len = w & 7;
      e->first = (w >> 3) & 1;
      memset(e->key, 0, sizeof e->key);
      memcpy(e->key, b + i, e->len * sizeof *b);
      i += e->len;
      e->t = &tabs[e->len];
      e->h = ng_hash(e->key, (int)e->len);
      ng_table_prefetch(e->t, e->h);
      qn++;
    }
  }
  return 0;
}

int ng_route_drain(ng_route *x) {
  ng_router *r = x->r;
  int from, got = 0;
  for (from = 0; from < r->n; from++) {
    ng_ring *g = &r->rings[(size_t)from * (size_t)r->n + (size_t)x->self];
    unsigned tail, head;
    if (from == x->self) continue;
    tail = atomic_load_explicit(&g->tail, memory_order_relaxed);
    head = atomic_load_explicit(&g->head, memory_order_acquire);
    for (; tail != head; tail++, got++) {
      if (count_buf(x, g->buf[tail % NBUF], g->fill[tail % NBUF]) != 0)
        return -1;
      atomic_store_explicit(&g->tail, tail + 1, memory_order_release);
    }
  }
  return got;
}

/* ------------------------------------------------------------------------
** Sending
*/

static ng_ring *ring_to(ng_route *x, int to) {
  return &x->r->rings[(size_t)x->self * (size_t)x->r->n + (size_t)to];
}

/* Publish the buffer being written for owner to. */
static void push(ng_route *x, int to) {
  ng_ring *g = ring_to(x, to);
  unsigned head = atomic_load_explicit(&g->head, memory_order_relaxed);
  g->fill[head % NBUF] = x->at[to];
  atomic_store_explicit(&g->head, head + 1, memory_order_release);
  x->at[to] = 0;
}

/* Wait until the ring to owner to has a free buffer, counting what this
** worker was sent meanwhile.  LECTOR_OK, LECTOR_ENOMEM or NG_PAR_STOPPED. */
static int wait_room(ng_route *x, int to) {
  ng_ring *g = ring_to(x, to);
  unsigned head = atomic_load_explicit(&g->head, memory_order_relaxed);
  while (head - atomic_load_explicit(&g->tail, memory_order_acquire) >=
         NBUF) {
    int got = ng_route_drain(x);
    if (got < 0) return LECTOR_ENOMEM;
    if (atomic_load(&x->r->failed)) return NG_PAR_STOPPED;
    if (got == 0) sched_yield();
  }
  return LECTOR_OK;
}

int ng_route_send(ng_route *x, const uint32_t *key, int len, uint64_t h,
                  uint32_t group) {
  ng_router *r = x->r;
  int to = ng_route_owner(h, r->n), first, rc;
  uint32_t need = 1 + (uint32_t)r->grouped + (uint32_t)len, *b;
  ng_ring *g = ring_to(x, to);
  if (x->at[to] + need > r->words) {
    push(x, to);
    if ((rc = wait_room(x, to)) != LECTOR_OK) return rc;
  }
  first = ds_first(&x->ds, key, h);
  if (first < 0) return LECTOR_ENOMEM;
  b = g->buf[atomic_load_explicit(&g->head, memory_order_relaxed) % NBUF] +
      x->at[to];
  *b++ = (uint32_t)len | (uint32_t)first << 3;
  if (r->grouped) *b++ = group;
  memcpy(b, key, (size_t)len * sizeof *key);
  x->at[to] += need;
  return LECTOR_OK;
}

int ng_route_finish(ng_route *x, int failed) {
  ng_router *r = x->r;
  int to, rc = LECTOR_OK;
  for (to = 0; to < r->n && !failed; to++)
    if (to != x->self && x->at[to] > 0) push(x, to);
  if (failed) atomic_store(&r->failed, 1);
  atomic_fetch_sub_explicit(&r->active, 1, memory_order_release);
  while (!atomic_load(&r->failed)) {
    int last = atomic_load_explicit(&r->active, memory_order_acquire) == 0;
    int got = ng_route_drain(x);
    if (got < 0) {
      atomic_store(&r->failed, 1);
      rc = LECTOR_ENOMEM;
      break;
    }
    if (last) break;                  /* everything sent is counted */
    if (got == 0) sched_yield();
  }
  return rc;
}
