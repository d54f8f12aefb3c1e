/*
** ng_uni.c -- unigram counts by vocabulary id (see ng_uni.h).
*/
#include <string.h>

#include "lector/kit.h"
#include "ng_uni.h"

void ng_uni_free(ng_uni *u) {
  lk_free(u->e);
  memset(u, 0, sizeof *u);
}

int ng_uni_grow_(ng_uni *u, uint32_t id) {
  uint64_t cap = (uint64_t)u->cap * 2;
  ng_uni_e *e;
  if (cap < 4096) cap = 4096;
  if (cap <= id) cap = (uint64_t)id + 1;
  if (cap > UINT32_MAX) cap = UINT32_MAX;
  if (cap <= id) return -1;
  e = lk_realloc(u->e, (size_t)cap * sizeof *e);
  if (!e) return -1;
  ng_huge_pages(e, (size_t)cap * sizeof *e);
  memset(e + u->cap, 0, (size_t)(cap - u->cap) * sizeof *e);
  u->e = e;
  u->cap = (uint32_t)cap;
  return 0;
}

int ng_uni_into(ng_table *part, const ng_uni *const *u, int n) {
  uint32_t id, cap = 0, kept = 0;
  int i;
  for (i = 0; i < n; i++)
    if (u[i]->cap > cap) cap = u[i]->cap;
  for (id = 1; id < cap; id++)
    for (i = 0; i < n; i++)
      if (id < u[i]->cap && u[i]->e[id].count) {
        kept++;
        break;
      }
  if (ng_table_init(part, 1, 0, kept) != 0) return -1;
  for (id = 1; id < cap; id++) {
    uint64_t count = 0, df = 0;
    for (i = 0; i < n; i++)
      if (id < u[i]->cap) {
        count += u[i]->e[id].count;
        df += u[i]->e[id].df;
      }
    if (count && ng_table_add(part, &id, count,
                              df > UINT32_MAX ? UINT32_MAX : (uint32_t)df)) {
      ng_table_free(part);
      return -1;
    }
  }
  return 0;
}
