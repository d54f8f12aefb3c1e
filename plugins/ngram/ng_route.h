/*
** ng_route.h -- counting on several threads without a copy of the table
** per thread: every gram has one owner, the worker that owns its first
** word (ng_owner), and only the owner's tables hold it.  So the tables
** hold each distinct gram once however many threads count, and nothing is
** merged at the end.
**
** A worker tokenizes its own documents into token ids, counts the grams
** it owns, and sends the ids to every other worker, which counts the
** grams it owns.  Ids are cheap to send and to scan; the work that costs
** (reading, tokenizing, the word lookups, hashing and probing a gram) is
** done once.  Each document is counted whole by each worker, so document
** frequencies come from the tables' stamps, as on one thread.
**
** Documents travel in blocks (about NG_ROUTE_BLOCK words, or one long
** document), each shared by all the receivers and freed by the last one;
** one single-producer single-consumer ring of NG_ROUTE_BUFS blocks per
** (sender, receiver) pair.  A worker counts what it was sent between its
** own documents, while it waits for room in a full ring, and after its
** last document until every worker is done.
**
** A document in a block: its number of words, its group, then its words:
** a token id (bit 31 set for a stop word in drop mode) or 0 where a
** sentence ends.
**
** Ownership: the router and each worker's end belong to ng_count.c.  The
** tables a received document is counted into belong to its receiver
** (through the `doc` callback).
*/
#ifndef NG_ROUTE_H
#define NG_ROUTE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "ng_config.h"

/* A token word: an id, with the stop flag in the top bit. */
#define NG_STOP_BIT 0x80000000u
#define NG_ID_MAX (NG_STOP_BIT - 1)

/* Documents' words, shared read-only once sent. */
typedef struct ng_block {
  atomic_int refs;                 /* receivers that have yet to count it */
  uint32_t used, cap;              /* words */
  uint32_t w[];
} ng_block;

/* One sender -> one receiver.  The sender's and the receiver's words are
** 64 bytes apart, so they never share a cache line. */
typedef struct ng_ring {
  atomic_uint head;                /* blocks published (sender) */
  ng_block *blk[NG_ROUTE_BUFS];
  char pad_[64];
  atomic_uint tail;                /* blocks counted (receiver) */
  char pad2_[60];
} ng_ring;

/* What the workers of one count share. */
typedef struct ng_router {
  int n;                           /* workers, >= 2 */
  ng_ring *rings;                  /* rings[from * n + to] */
  atomic_int active;               /* workers still sending */
  atomic_int failed;               /* a worker stopped on an error */
} ng_router;

/* Count a received document: words ids[0..n) of group.  0, or -1 on out
** of memory. */
typedef int (*ng_route_doc_fn)(void *ud, uint32_t group, const uint32_t *ids,
                               uint32_t n);

/* One worker's end. */
typedef struct ng_route {
  ng_router *r;
  int self;
  ng_block *cur;                   /* being filled; private until sent */
  ng_route_doc_fn doc;
  void *ud;
} ng_route;

/* The worker among n that owns the grams whose first word is id. */
static inline int ng_owner(uint32_t id, int n) {
  return (int)(((uint64_t)(id * 0x9E3779B1u) * (uint64_t)n) >> 32);
}

/* Make r for n >= 2 workers.  0, or -1 on out of memory (r then empty
** but valid to free). */
int ng_router_init(ng_router *r, int n);

/* Free r and the blocks still in its rings (every worker has stopped). */
void ng_router_free(ng_router *r);

/* Make worker self's end of r; it counts what it receives with doc(ud,
** ...). */
void ng_route_init(ng_route *x, ng_router *r, int self, ng_route_doc_fn doc,
                   void *ud);
void ng_route_free(ng_route *x);

/* Send document words ids[0..n) of group to every other worker.
** LECTOR_OK, LECTOR_ENOMEM, or LECTOR_POOL_STOPPED when another worker failed
** while this one waited for room. */
int ng_route_send(ng_route *x, uint32_t group, const uint32_t *ids,
                  size_t n);

/* Count what the other workers sent to this one.  The number of blocks
** counted, or -1 on out of memory. */
int ng_route_drain(ng_route *x);

/* After the worker's last document: send what is left, then count what
** arrives until every worker is done (or, with failed, just leave).
** LECTOR_OK, or LECTOR_ENOMEM. */
int ng_route_finish(ng_route *x, int failed);

#endif
