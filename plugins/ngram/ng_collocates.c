/*
** ng_collocates.c -- collocates of a node within a span (see
** ng_collocates.h).
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lector/kit.h"
#include "ng_collocates.h"
#include "ng_order.h"
#include "ng_route.h"
#include "ng_stats.h"

/* ------------------------------------------------------------------------
** Counting (the words_fn of an ng_count word-mode job)
*/

/* One worker's counts: a group array of its own. */
typedef struct cl_worker {
  ng_collocates_group *g;
  uint32_t stamp;              /* this worker's document counter */
} cl_worker;

typedef struct cl_ctx {
  const ng_collocates_spec *spec;
  cl_worker w[LECTOR_MAX_THREADS];
} cl_ctx;

void ng_collocates_free(ng_collocates_group *g, uint32_t n) {
  uint32_t i;
  if (!g) return;
  for (i = 0; i < n; i++) {
    ng_table_free(&g[i].freq);
    ng_table_free(&g[i].side[0]);
    ng_table_free(&g[i].side[1]);
  }
  lk_free(g);
}

/* n empty groups, or NULL on out of memory. */
static ng_collocates_group *new_groups(uint32_t n) {
  ng_collocates_group *g = lk_alloc((size_t)n * sizeof *g);
  uint32_t i;
  if (!g) return NULL;
  memset(g, 0, (size_t)n * sizeof *g);
  for (i = 0; i < n; i++)
    if (ng_table_init(&g[i].freq, 1, 1, 0) != 0 ||
        ng_table_init(&g[i].side[0], 1, 1, 0) != 0 ||
        ng_table_init(&g[i].side[1], 1, 1, 0) != 0) {
      ng_collocates_free(g, n);
      return NULL;
    }
  return g;
}

/* Count one occurrence of word x (id, maybe with the stop bit). */
static int hit(ng_table *t, uint32_t x, uint32_t stamp) {
  uint32_t key[NG_MAX_N] = {0};  /* the width is 1; the array is for the
                                    compiler, which sees every width */
  key[0] = x & NG_ID_MAX;
  return ng_table_hit(t, key, 1, ng_hash(key, 1), stamp);
}

/* Does the node stand at ids[i..]?  (i + nlen <= n.) */
static int node_at(const ng_collocates_spec *sp, const uint32_t *ids,
                   size_t i) {
  int j;
  for (j = 0; j < sp->nlen; j++)
    if ((ids[i + (size_t)j] & NG_ID_MAX) != sp->node[j]) return 0;
  return 1;
}

/* Count the spans of the occurrence of the node at ids[i..i+nlen) in
** the tables of group g.  0 or -1. */
static int count_spans(const ng_collocates_spec *sp, ng_collocates_group *g,
                       const uint32_t *ids, size_t n, size_t i,
                       uint32_t stamp) {
  size_t j, k;
  for (j = i, k = 0; j > 0 && k < (size_t)sp->left && ids[j - 1]; j--, k++)
    if (!(ids[j - 1] & NG_STOP_BIT) && hit(&g->side[0], ids[j - 1], stamp))
      return -1;
  for (j = i + (size_t)sp->nlen, k = 0; j < n && k < (size_t)sp->right &&
       ids[j]; j++, k++)
    if (!(ids[j] & NG_STOP_BIT) && hit(&g->side[1], ids[j], stamp))
      return -1;
  return 0;
}

/* Count document ids[0..n) into group g.  0 or -1. */
static int count_group(const ng_collocates_spec *sp, ng_collocates_group *g,
                       const uint32_t *ids, size_t n, uint32_t stamp) {
  size_t i, nl = (size_t)sp->nlen;
  for (i = 0; i < n; i++) {
    if (!ids[i]) continue;                     /* a sentence ends */
    if (!sp->from_index) {                     /* else from the index */
      g->tokens++;
      if (hit(&g->freq, ids[i], stamp)) return -1;
    }
    if (i + nl <= n && node_at(sp, ids, i)) {
      g->nodes++;
      if (count_spans(sp, g, ids, n, i, stamp)) return -1;
    }
  }
  return 0;
}

static int on_words(void *ud, int worker, size_t doc, const uint32_t *ids,
                    size_t n, char **err) {
  cl_ctx *c = ud;
  const ng_collocates_spec *sp = c->spec;
  cl_worker *w = &c->w[worker];
  size_t x, end;
  int rc = 0;
  if (++w->stamp == 0) w->stamp = 1;           /* 0 means "no stamp" */
  if (!sp->group) {
    rc = count_group(sp, &w->g[0], ids, n, w->stamp);
  } else if (sp->first) {                      /* in several groups */
    end = sp->first[doc + 1];
    for (x = sp->first[doc]; rc == 0 && x < end; x++)
      rc = count_group(sp, &w->g[sp->member[x]], ids, n, w->stamp);
  } else if (sp->group[doc] >= 0) {
    rc = count_group(sp, &w->g[sp->group[doc]], ids, n, w->stamp);
  }
  if (rc == 0) return LECTOR_OK;
  *err = lk_errorf("out of memory counting collocates");
  return LECTOR_ENOMEM;
}

/* Add every worker's groups into worker 0's.  LECTOR_OK or a code with
** *err. */
static int merge_workers(cl_ctx *c, int n, uint32_t ngroups, char **err) {
  uint32_t gi;
  int i, t;
  for (gi = 0; gi < ngroups; gi++) {
    ng_collocates_group *dst = &c->w[0].g[gi];
    if (lk_interrupted()) {
      *err = lk_errorf("interrupted");
      return LECTOR_EINTERRUPT;
    }
    for (i = 1; i < n; i++) {
      const ng_collocates_group *src = &c->w[i].g[gi];
      dst->tokens += src->tokens;
      dst->nodes += src->nodes;
      if (ng_table_merge(&dst->freq, &src->freq) != 0) goto oom;
      for (t = 0; t < 2; t++)
        if (ng_table_merge(&dst->side[t], &src->side[t]) != 0) goto oom;
    }
  }
  return LECTOR_OK;
oom:
  *err = lk_errorf("out of memory counting collocates");
  return LECTOR_ENOMEM;
}

/* ------------------------------------------------------------------------
** Frequencies from a pack's index (from_index)
*/

int ng_collocates_indexable(const ng_collocates_spec *spec) {
  const lector_host *h = lk_host;
  uint64_t n;
  char *err = NULL;
  return spec->tok->pack && !spec->group && spec->ngroups == 1 && h &&
         LECTOR_HOST_HAS(h, word_count) && h->word_count &&
         h->word_count(spec->tok->pack, UINT32_MAX, &n, &err) == LECTOR_OK;
}

/* The occurrences in the pack of vocabulary word id (0 when the pack has
** no such word) into *n.  LECTOR_OK or a code with *err. */
static int pack_count(const lector_corpus *pack, uint32_t id, uint64_t *n,
                      char **err) {
  size_t len = 0;
  const char *s = lk_env_cur.vocab_string(id, &len);
  uint32_t pid = s ? lk_host->tokens_find(pack, s, len) : UINT32_MAX;
  int rc;
  *n = 0;
  if (pid == UINT32_MAX) return LECTOR_OK;
  rc = lk_host->word_count(pack, pid, n, err);
  return rc == LECTOR_ENOTFOUND ? LECTOR_OK : rc;
}

/* N (every token but those of no word: an empty normalised form) and
** the f_word of every collocate of g, from the pack.  LECTOR_OK or a
** code with *err. */
static int index_counts(const ng_collocates_spec *spec,
                        ng_collocates_group *g, char **err) {
  const lector_corpus *pack = spec->tok->pack;
  uint32_t key[NG_MAX_N] = {0}, i, pid;
  uint64_t n, empty = 0;
  int s, rc;
  if ((rc = lk_host->word_count(pack, UINT32_MAX, &n, err)) != LECTOR_OK)
    return rc == LECTOR_ENOTFOUND ? LECTOR_ERR : rc;
  pid = lk_host->tokens_find(pack, "", 0);
  if (pid != UINT32_MAX &&
      (rc = lk_host->word_count(pack, pid, &empty, err)) != LECTOR_OK)
    return rc;
  g->tokens = n - (empty < n ? empty : n);
  for (s = 0; s < 2; s++)
    for (i = 0; i < g->side[s].cap; i++) {
      const uint32_t *slot = ng_table_slot(&g->side[s], i);
      if (!slot || ng_table_find(&g->freq, slot)) continue;
      if ((i & 4095) == 4095 && lk_interrupted()) {
        *err = lk_errorf("interrupted");
        return LECTOR_EINTERRUPT;
      }
      if ((rc = pack_count(pack, slot[0], &n, err)) != LECTOR_OK) return rc;
      key[0] = slot[0];
      if (ng_table_add(&g->freq, key, n, 0) != 0) {
        *err = lk_errorf("out of memory counting collocates");
        return LECTOR_ENOMEM;
      }
    }
  return LECTOR_OK;
}

int ng_collocates_run(const ng_collocates_spec *spec, const ng_docs *docs,
                      ng_collocates_group **out, char **err) {
  static const ng_spec unigrams = {1, 1, 0, 0};
  ng_job job;
  cl_ctx *c;
  int n = docs->nworkers, i, rc = LECTOR_OK;
  *out = NULL;
  *err = NULL;
  if (n < 1 || n > LECTOR_MAX_THREADS || spec->nlen < 1 ||
      spec->ngroups < 1 || spec->left < 0 || spec->right < 0) {
    *err = lk_errorf("bad collocates job (%d workers, node of %d words, "
                     "span %d %d)", n, spec->nlen, spec->left, spec->right);
    return LECTOR_ERR;
  }
  if (!(c = lk_alloc(sizeof *c))) {
    *err = lk_errorf("out of memory");
    return LECTOR_ENOMEM;
  }
  memset(c, 0, sizeof *c);
  c->spec = spec;
  for (i = 0; i < n && rc == LECTOR_OK; i++)
    if (!(c->w[i].g = new_groups(spec->ngroups))) {
      *err = lk_errorf("out of memory");
      rc = LECTOR_ENOMEM;
    }
  if (rc == LECTOR_OK) {
    memset(&job, 0, sizeof job);
    job.spec = &unigrams;
    job.tok = spec->tok;
    job.src = docs;
    job.group = spec->group;
    job.ngroups = spec->ngroups;
    job.words_fn = on_words;
    job.doc_ud = c;
    rc = ng_count_run(&job, err);
  }
  if (rc == LECTOR_OK) rc = merge_workers(c, n, spec->ngroups, err);
  if (rc == LECTOR_OK && spec->from_index)
    rc = index_counts(spec, &c->w[0].g[0], err);
  if (rc == LECTOR_OK) {
    *out = c->w[0].g;
    c->w[0].g = NULL;
  }
  for (i = 0; i < n; i++) ng_collocates_free(c->w[i].g, spec->ngroups);
  lk_free(c);
  return rc;
}

/* ------------------------------------------------------------------------
** Scores and rows
*/

double ng_collocates_score(int measure, double o, double f_node,
                           double f_word, double n, double span_size) {
  double m[NG_NMEASURES], dice = 2 * o / (f_node + f_word);
  switch (measure) {
    case NG_CL_FREQ: return o;
    case NG_CL_DICE: return dice;
    case NG_CL_LOGDICE: return 14 + log2(dice);
    default: break;
  }
  ng_stats_assoc2(o, f_node * span_size, f_word, n, m);
  if (measure == NG_CL_MI) return m[NG_PMI];
  if (measure == NG_CL_T) return m[NG_TSCORE];
  /* signed: a word seen less often than expected (repelled) sorts last */
  return o < f_node * span_size * f_word / n ? -m[NG_LLR] : m[NG_LLR];
}

/* The count of word id in t (width 1), 0 when absent. */
static uint64_t count_of(const ng_table *t, uint32_t id) {
  uint32_t key[NG_MAX_N] = {0};
  const uint32_t *s;
  key[0] = id;
  s = ng_table_find(t, key);
  return s ? ng_table_count(t, s) : 0;
}

static int row_cmp(const void *pa, const void *pb) {
  const ng_collocates_row *a = pa, *b = pb;
  uint64_t ca = a->left + a->right, cb = b->left + b->right;
  if (a->score != b->score) return a->score > b->score ? -1 : 1;
  if (ca != cb) return ca > cb ? -1 : 1;
  return ng_gram_cmp(&a->id, &b->id, 1);
}

/* Visit the words of side s of g: fill r (rows so far n) with each word
** not yet there.  A word seen on both sides gets its row from the left
** side's pass. */
static size_t side_rows(const ng_collocates_group *g, int s,
                        ng_collocates_row *r, size_t n) {
  const ng_table *t = &g->side[s];
  uint32_t i;
  for (i = 0; i < t->cap; i++) {
    const uint32_t *slot = ng_table_slot(t, i);
    if (!slot || (s == 1 && ng_table_find(&g->side[0], slot))) continue;
    r[n].id = slot[0];
    r[n].left = count_of(&g->side[0], slot[0]);
    r[n].right = count_of(&g->side[1], slot[0]);
    r[n].f_word = count_of(&g->freq, slot[0]);
    n++;
  }
  return n;
}

int ng_collocates_rows(const ng_collocates_group *g, int measure,
                       int span_size, uint64_t min_count,
                       ng_collocates_row **rows, size_t *nrows) {
  size_t cap = (size_t)g->side[0].used + g->side[1].used, n, i, k = 0;
  ng_collocates_row *r = lk_alloc((cap ? cap : 1) * sizeof *r);
  *rows = NULL;
  *nrows = 0;
  if (!r) return -1;
  n = side_rows(g, 1, r, side_rows(g, 0, r, 0));
  for (i = 0; i < n; i++) {
    uint64_t o = r[i].left + r[i].right;
    if (o < min_count) continue;
    r[k] = r[i];
    r[k++].score = ng_collocates_score(measure, (double)o, (double)g->nodes,
                                       (double)r[i].f_word, (double)g->tokens,
                                       (double)span_size);
  }
  qsort(r, k, sizeof *r, row_cmp);
  *rows = r;
  *nrows = k;
  return 0;
}
