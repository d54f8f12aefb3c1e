/*
** ng_route.h -- counting on several threads without a copy of the table
** per thread: every gram has one owner, the worker its hash picks
** (ng_route_owner), and only the owner's tables hold it.  So the tables
** hold each distinct gram once however many threads count, and nothing is
** merged at the end.
**
** A worker counts the grams it owns at once and sends the others to
** their owner in batches: one single-producer single-consumer ring of
** NG_ROUTE_BUFS buffers per (sender, owner) pair.  An owner counts what it
** was sent between its own documents, while it waits for room in a full
** ring, and after its last document until every worker is done.
**
** Document frequency: an owner's own documents use the stamps of its
** tables (ng_table.h).  A sent gram instead carries "first time in its
** document" from the sender's document set, and the owner adds that to df
** without touching the stamp, so batches may arrive at any time.
**
** Ownership: the router and each worker's end belong to ng_count.c; the
** tables a drain counts into belong to the owner (got through `tables`).
*/
#ifndef NG_ROUTE_H
#define NG_ROUTE_H

#include <stdatomic.h>
#include <stdint.h>

#include "ng_config.h"
#include "ng_par.h"
#include "ng_table.h"

/* One sender -> one owner.  The sender's and the owner's words are 64
** bytes apart, so they never share a cache line. */
typedef struct ng_ring {
  atomic_uint head;                /* buffers published (sender) */
  uint32_t fill[NG_ROUTE_BUFS];    /* words used in each published buffer */
  uint32_t *buf[NG_ROUTE_BUFS];
  char pad_[64];
  atomic_uint tail;                /* buffers counted (owner) */
  char pad2_[60];
} ng_ring;

/* What the workers of one count share. */
typedef struct ng_router {
  int n;                           /* workers (owners), >= 2 */
  int grouped;                     /* messages carry a group */
  uint32_t words;                  /* words per buffer */
  ng_ring *rings;                  /* rings[from * n + to] */
  atomic_int active;               /* workers still sending */
  atomic_int failed;               /* a worker stopped on an error */
} ng_router;

/* The grams of the current document that were sent: entries of one
** generation word and NG_MAX_N key words. */
typedef struct ng_docset {
  uint32_t *e;
  uint32_t mask, used, gen;
} ng_docset;

/* The owner's tables of a group (indexed by gram length, started), or
** NULL on out of memory. */
typedef ng_table *(*ng_route_tables_fn)(void *ud, uint32_t group);

/* One worker's end. */
typedef struct ng_route {
  ng_router *r;
  int self;
  uint32_t at[NG_MAX_THREADS];     /* words written, per owner */
  ng_docset ds;
  ng_route_tables_fn tables;
  void *ud;
} ng_route;

/* The worker that owns the gram of hash h among n (low hash bits: the
** table's home slot uses the high ones). */
static inline int ng_route_owner(uint64_t h, int n) {
  return (int)(((h & 0xFFFFFFFFu) * (uint64_t)n) >> 32);
}

/* Make r for n >= 2 workers.  0, or -1 on out of memory (r then empty
** but valid to free). */
int ng_router_init(ng_router *r, int n, int grouped);
void ng_router_free(ng_router *r);

/* Make worker self's end of r; its drains count into tables(ud, group). */
void ng_route_init(ng_route *x, ng_router *r, int self,
                   ng_route_tables_fn tables, void *ud);
void ng_route_free(ng_route *x);

/* A new document starts: its grams are new to the document set. */
void ng_route_begin_doc(ng_route *x);

/* Send the gram key (length len, hash h, NG_MAX_N words) of group to its
** owner (not self).  LECTOR_OK, LECTOR_ENOMEM, or NG_PAR_STOPPED when
** another worker failed while this one waited for room. */
int ng_route_send(ng_route *x, const uint32_t *key, int len, uint64_t h,
                  uint32_t group);

/* Count what the other workers sent to this one.  The number of buffers
** counted, or -1 on out of memory. */
int ng_route_drain(ng_route *x);

/* After the worker's last document: send what is left, then count what
** arrives until every worker is done (or, with failed, just leave).
** LECTOR_OK, or LECTOR_ENOMEM. */
int ng_route_finish(ng_route *x, int failed);

#endif
