/*
** ng_route.c -- sending documents' token ids to the other workers
** (ng_route.h).
*/
#include <sched.h>
#include <string.h>

#include "lector/kit.h"
#include "lector/plugin.h"
#include "ng_route.h"

#define NBUF NG_ROUTE_BUFS

/* ------------------------------------------------------------------------
** Setup
*/

int ng_router_init(ng_router *r, int n) {
  size_t nr = (size_t)n * (size_t)n, i;
  memset(r, 0, sizeof *r);
  r->n = n;
  atomic_init(&r->active, n);
  atomic_init(&r->failed, 0);
  r->rings = lk_alloc(nr * sizeof *r->rings);
  if (!r->rings) return -1;
  memset(r->rings, 0, nr * sizeof *r->rings);
  for (i = 0; i < nr; i++) {
    atomic_init(&r->rings[i].head, 0);
    atomic_init(&r->rings[i].tail, 0);
  }
  return 0;
}

/* One receiver is done with b: the last one frees it. */
static void release(ng_block *b) {
  if (atomic_fetch_sub_explicit(&b->refs, 1, memory_order_acq_rel) == 1)
    lk_free(b);
}

void ng_router_free(ng_router *r) {
  size_t i;
  if (r->rings)
    for (i = 0; i < (size_t)r->n * (size_t)r->n; i++) {
      ng_ring *g = &r->rings[i];
      unsigned t = atomic_load(&g->tail), h = atomic_load(&g->head);
      for (; t != h; t++) release(g->blk[t % NBUF]);
    }
  lk_free(r->rings);
  r->rings = NULL;
}

void ng_route_init(ng_route *x, ng_router *r, int self, ng_route_doc_fn doc,
                   void *ud) {
  memset(x, 0, sizeof *x);
  x->r = r;
  x->self = self;
  x->doc = doc;
  x->ud = ud;
}

void ng_route_free(ng_route *x) {
  lk_free(x->cur);
  x->cur = NULL;
}

/* ------------------------------------------------------------------------
** Receiving
*/

/* Count every document of b.  0 or -1. */
static int count_block(ng_route *x, const ng_block *b) {
  uint32_t at = 0;
  while (at < b->used) {
    uint32_t n = b->w[at], group = b->w[at + 1];
    if (x->doc(x->ud, group, b->w + at + 2, n) != 0) return -1;
    at += 2 + n;
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
      ng_block *b = g->blk[tail % NBUF];
      int rc = count_block(x, b);
      release(b);
      atomic_store_explicit(&g->tail, tail + 1, memory_order_release);
      if (rc != 0) return -1;
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

/* Wait until the ring to worker `to` has room, counting what this worker
** was sent meanwhile.  LECTOR_OK, LECTOR_ENOMEM or LECTOR_POOL_STOPPED. */
static int wait_room(ng_route *x, int to) {
  ng_ring *g = ring_to(x, to);
  unsigned head = atomic_load_explicit(&g->head, memory_order_relaxed);
  while (head - atomic_load_explicit(&g->tail, memory_order_acquire) >=
         NBUF) {
    int got = ng_route_drain(x);
    if (got < 0) return LECTOR_ENOMEM;
    if (atomic_load(&x->r->failed)) return LECTOR_POOL_STOPPED;
    if (got == 0) sched_yield();
  }
  return LECTOR_OK;
}

/* Send the current block to every other worker. */
static int publish(ng_route *x) {
  ng_block *b = x->cur;
  int to, rc;
  if (!b || b->used == 0) return LECTOR_OK;
  x->cur = NULL;
  atomic_init(&b->refs, x->r->n - 1);
  for (to = 0; to < x->r->n; to++) {
    ng_ring *g = ring_to(x, to);
    unsigned head;
    if (to == x->self) continue;
    if ((rc = wait_room(x, to)) != LECTOR_OK) {
      for (; to < x->r->n; to++)        /* the unsent shares of b */
        if (to != x->self) release(b);
      return rc;
    }
    head = atomic_load_explicit(&g->head, memory_order_relaxed);
    g->blk[head % NBUF] = b;
    atomic_store_explicit(&g->head, head + 1, memory_order_release);
  }
  return LECTOR_OK;
}

/* A block with room for at least need words.  NULL on out of memory. */
static ng_block *new_block(uint32_t need) {
  uint32_t cap = need > NG_ROUTE_BLOCK ? need : NG_ROUTE_BLOCK;
  ng_block *b = lk_alloc(sizeof *b + (size_t)cap * sizeof(uint32_t));
  if (!b) return NULL;
  b->used = 0;
  b->cap = cap;
  return b;
}

int ng_route_send(ng_route *x, uint32_t group, const uint32_t *ids,
                  size_t n) {
  uint32_t need;
  int rc;
  if (n == 0) return LECTOR_OK;                    /* no grams to count */
  if (n > UINT32_MAX - 2) return LECTOR_ENOMEM;     /* a block's limit */
  need = (uint32_t)n + 2;
  if (x->cur && x->cur->cap - x->cur->used < need &&
      (rc = publish(x)) != LECTOR_OK)
    return rc;
  if (!x->cur && !(x->cur = new_block(need))) return LECTOR_ENOMEM;
  x->cur->w[x->cur->used] = (uint32_t)n;
  x->cur->w[x->cur->used + 1] = group;
  memcpy(x->cur->w + x->cur->used + 2, ids, (size_t)n * sizeof *ids);
  x->cur->used += need;
  return x->cur->used >= NG_ROUTE_BLOCK ? publish(x) : LECTOR_OK;
}

int ng_route_finish(ng_route *x, int failed) {
  ng_router *r = x->r;
  int rc = LECTOR_OK, sent = failed ? LECTOR_OK : publish(x);
  if (sent == LECTOR_ENOMEM) rc = LECTOR_ENOMEM;
  if (sent != LECTOR_OK) failed = 1;
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
