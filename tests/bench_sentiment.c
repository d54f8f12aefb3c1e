/*
** bench_sentiment.c -- throughput of the sentiment engine (not a test).
**
**   bench_sentiment DIR [--lexicon PATH] [--threads N] [--repeat R]
**                       [--nltk-sample K] [--nltk-runs R] [--no-nltk]
**
** DIR is a corpus folder, e.g. the one made by
**   make-corpus --source ../shared/corpora/abc \
**     --source ../shared/corpora/state_union --size-mb 20 --out /tmp/c20
** Three measurements, in one run:
**   1. in memory, one core: every file is read first, split into
**      sentences (timed apart), then every sentence is scored with
**      vader_score (best of R runs): sentences/s and MB/s;
**   2. the same sentences scored by NLTK's VADER (tests/bench_sentiment.py,
**      one Python process, sentences already in a list; every K-th
**      sentence, K = 4 by default (--nltk-sample 1: all of them), best of
**      R = 2 runs), and the ratio of sentences per second;
**   3. from disk, the whole corpus: open, read, split and score every
**      file (sc_score_doc on core/pool.c, the pool host->doc_pool runs
**      on) on 1 thread and on N (default: every core), and
**      the whole user path as one process (`lector -e` running
**      sentiment.corpus(lector.load(DIR)): start-up, plugins, lexicon,
**      directory walk, reading, scoring), next to `wc -w` over the same
**      files (warm cache, best of R runs).
** The lexicon is VADER's (build/plugins/vader_lexicon.txt by default);
** tokenize.so is the build's.
*/
#define _GNU_SOURCE          /* nftw */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lector/kit.h"
#include "lexicon.h"
#include "pool.h"
#include "sent_corpus.h"
#include "sent_testhost.h"
#include "vader.h"
#include "vader_words.h"

LK_DEFINE

typedef struct span {
  const char *s;
  size_t len;
} span;

static char **files;
static size_t nfiles, files_cap;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *why) {
  fprintf(stderr, "bench_sentiment: %s: %s\n", what, why ? why : "failed");
  exit(1);
}

static int add_file(const char *path, const struct stat *st, int type,
                    struct FTW *ftw) {
  (void)st;
  (void)ftw;
  if (type != FTW_F) return 0;
  char **f = lk_grow(files, &files_cap, nfiles + 1, sizeof *files);
  if (!f) die("files", "out of memory");
  files = f;
  files[nfiles++] = strdup(path);
  return 0;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read path into a malloc'd buffer (NUL-terminated). */
static char *read_file(const char *path, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  char *buf;
  size_t got = 0;
  if (fd < 0 || fstat(fd, &st) != 0) die(path, strerror(errno));
  buf = malloc((size_t)st.st_size + 1);
  if (!buf) die(path, "out of memory");
  while (got < (size_t)st.st_size) {
    ssize_t k = read(fd, buf + got, (size_t)st.st_size - got);
    if (k <= 0) break;
    got += (size_t)k;
  }
  close(fd);
  buf[got] = '\0';
  *len = got;
  return buf;
}

/* ------------------------------------------------------------------------
** Scoring files from disk on the pool, as sentiment.corpus does
*/

typedef struct worker {
  vader_ws ws;
  const vader_model *m;
  sc_doc *out;
} worker;

static int disk_doc(void *ctx, size_t i, char **err) {
  worker *w = ctx;
  size_t len;
  char *text = read_file(files[i], &len);
  int rc = sc_score_doc(&w->ws, w->m, text, len, 0.05, &w->out[i], err);
  free(text);
  return rc;
}

/* ------------------------------------------------------------------------
** Measurements
*/

static span *sents;
static size_t nsents, sents_cap, sent_bytes;

static int add_sent(void *ud, size_t off, size_t len, const vader_scores *s) {
  const char *text = ud;
  (void)s;
  span *v = lk_grow(sents, &sents_cap, nsents + 1, sizeof *sents);
  if (!v) return LECTOR_ENOMEM;
  sents = v;
  sents[nsents].s = text + off;
  sents[nsents].len = len;
  nsents++;
  sent_bytes += len;
  return 0;
}

/* Split every text into sentences (scoring them once on the way). */
static double split_all(vader_ws *ws, const vader_model *m, char **texts,
                        size_t *lens) {
  double t0 = now();
  char *err = NULL;
  size_t i;
  for (i = 0; i < nfiles; i++)
    if (vader_sentences(ws, m, texts[i], lens[i], add_sent, texts[i], &err))
      die(files[i], err);
  return now() - t0;
}

static double score_all(vader_ws *ws, const vader_model *m, double *sum) {
  double t0 = now();
  vader_scores sc;
  char *err = NULL;
  size_t i;
  *sum = 0;
  for (i = 0; i < nsents; i++) {
    if (vader_score(ws, m, sents[i].s, sents[i].len, &sc, &err))
      die("score", err);
    *sum += sc.compound;
  }
  return now() - t0;
}

static double disk_run(const vader_model *m, int threads, size_t *nsent) {
  sc_doc *out = calloc(nfiles ? nfiles : 1, sizeof *out);
  worker w[LECTOR_MAX_THREADS];
  void *ctx[LECTOR_MAX_THREADS];
  int nw = pool_workers(threads, nfiles);
  pool_job job = {.n = nfiles, .chunk = 1, .ctx = ctx, .nworkers = nw,
                  .fn = disk_doc, .errorf = lk_env_cur.errorf,
                  .free = lk_env_cur.free};
  char *err = NULL;
  double t0, dt;
  size_t i;
  for (int k = 0; k < nw; k++) {
    w[k] = (worker){.m = m, .out = out};
    vader_ws_init(&w[k].ws);
    ctx[k] = &w[k];
  }
  t0 = now();
  if (pool_run(&job, &err) != LECTOR_OK) die("pool_run", err);
  dt = now() - t0;
  for (int k = 0; k < nw; k++) vader_ws_free(&w[k].ws);
  for (*nsent = 0, i = 0; i < nfiles; i++) *nsent += out[i].sentences;
  sc_docs_clear(out, nfiles);
  free(out);
  return dt;
}

static double wc_run(const char *dir) {
  char cmd[8192];
  double t0;
  snprintf(cmd, sizeof cmd,
           "find '%s' -type f -print0 | xargs -0 wc -w > /dev/null", dir);
  t0 = now();
  if (system(cmd) != 0) die("wc -w", "failed");
  return now() - t0;
}

/* The whole path a user takes, as one process: lector starts, loads its
** plugins and the lexicon, lector.load walks DIR, sentiment.corpus reads
** and scores every document on every core. */
static double lector_run(const char *dir) {
  char cmd[8192];
  double t0;
  snprintf(cmd, sizeof cmd,
           "'%s/lector' -e 'require(\"lector.sentiment\").corpus("
           "lector.load(\"%s\", {quiet = true}))' > /dev/null",
           BENCH_BUILD_DIR, dir);
  t0 = now();
  if (system(cmd) != 0) die("lector", "failed");
  return now() - t0;
}

/* NLTK on the sentences: writes them NUL-separated, runs the Python side,
** returns its sentences per second (0 when unavailable). */
static double nltk_rate(const char *lexicon, size_t sample, int runs) {
  char path[] = "/tmp/bench_sentiment_XXXXXX", cmd[8192], line[512];
  double rate = 0;
  FILE *f, *p;
  size_t i;
  int fd = mkstemp(path);
  if (fd < 0 || (f = fdopen(fd, "wb")) == NULL) die("mkstemp", strerror(errno));
  for (i = 0; i < nsents; i += sample) {
    fwrite(sents[i].s, 1, sents[i].len, f);
    fputc('\0', f);
  }
  fclose(f);
  snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s/tests/bench_sentiment.py' "
           "'%s' '%s' %d", BENCH_SOURCE_DIR, path, lexicon, runs);
  if ((p = popen(cmd, "r")) == NULL) die("popen", strerror(errno));
  while (fgets(line, sizeof line, p)) {
    fputs("  ", stdout);
    fputs(line, stdout);
    sscanf(line, "nltk: %*s sentences in %*s s: %lf", &rate);
  }
  pclose(p);
  unlink(path);
  return rate;
}

/* ------------------------------------------------------------------------
** Main
*/

typedef struct args {
  const char *dir, *lexicon;
  int threads, repeat, nltk, nltk_runs;
  size_t sample;
} args;

static void parse_args(int argc, char **argv, args *a) {
  static char lex[4096];
  int i;
  memset(a, 0, sizeof *a);
  a->repeat = 3;
  a->nltk = 1;
  a->nltk_runs = 2;
  a->sample = 4;
  snprintf(lex, sizeof lex, "%s/plugins/vader_lexicon.txt", BENCH_BUILD_DIR);
  a->lexicon = lex;
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--lexicon") == 0 && i + 1 < argc) a->lexicon = argv[++i];
    else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) a->threads = atoi(argv[++i]);
    else if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc) a->repeat = atoi(argv[++i]);
    else if (strcmp(argv[i], "--nltk-sample") == 0 && i + 1 < argc) a->sample = (size_t)atol(argv[++i]);
    else if (strcmp(argv[i], "--nltk-runs") == 0 && i + 1 < argc) a->nltk_runs = atoi(argv[++i]);
    else if (strcmp(argv[i], "--no-nltk") == 0) a->nltk = 0;
    else if (argv[i][0] != '-' && !a->dir) a->dir = argv[i];
    else die("usage", "bench_sentiment DIR [--lexicon PATH] [--threads N] "
             "[--repeat R] [--nltk-sample K] [--nltk-runs R] [--no-nltk]");
  }
  if (!a->dir) die("usage", "bench_sentiment DIR [options]");
  if (a->repeat < 1) a->repeat = 1;
  if (a->sample < 1) a->sample = 1;
  if (a->nltk_runs < 1) a->nltk_runs = 1;
}

static void setup(const args *a, vader_model *m) {
  char why[512], *err = NULL;
  lex_table *lex;
  lector_tok_opts *o;
  m->tok = sth_tokenizer(BENCH_BUILD_DIR "/plugins/tokenize.so", why,
                         sizeof why);
  if (!m->tok) die("tokenize plugin", why);
  if ((o = vw_opts_new(m->tok, &err)) == NULL) die("options", err);
  if ((lex = lex_new(&err)) == NULL || vader_mark(lex, &err) ||
      lex_load_file(lex, a->lexicon, LEX_VADER, NULL, NULL, NULL, &err))
    die(a->lexicon, err);
  m->opts = o;
  m->lex = lex;
}

int main(int argc, char **argv) {
  args a;
  vader_model m;
  vader_ws ws;
  char **texts;
  size_t *lens, i, bytes = 0, ns1 = 0, nsn = 0;
  double t_read, t_split, t_score = 1e30, t_disk1 = 1e30, t_diskn = 1e30,
         t_wc = 1e30, t_lector = 1e30, sum = 0, ours, theirs = 0;
  int r, nt;
  struct rusage ru;
  parse_args(argc, argv, &a);
  setup(&a, &m);
  if (nftw(a.dir, add_file, 64, FTW_PHYS) != 0) die(a.dir, strerror(errno));
  qsort(files, nfiles, sizeof *files, cmp_str);
  nt = pool_workers(a.threads, nfiles);
  texts = malloc((nfiles + 1) * sizeof *texts);
  lens = malloc((nfiles + 1) * sizeof *lens);
  t_read = now();
  for (i = 0; i < nfiles; i++) {
    texts[i] = read_file(files[i], &lens[i]);
    bytes += lens[i];
  }
  t_read = now() - t_read;
  vader_ws_init(&ws);
  t_split = split_all(&ws, &m, texts, lens);
  for (r = 0; r < a.repeat; r++) {
    double t = score_all(&ws, &m, &sum);
    if (t < t_score) t_score = t;
  }
  ours = nsents / t_score;
  printf("corpus: %s: %zu files, %.2f MB, %zu sentences (%.2f MB of "
         "sentences)\n", a.dir, nfiles, bytes / 1e6, nsents, sent_bytes / 1e6);
  printf("read into memory: %.3f s; sentence split + first scoring: %.3f s\n",
         t_read, t_split);
  printf("in memory, 1 core: %.3f s: %.0f sentences/s, %.1f MB/s "
         "(mean compound %.4f)\n", t_score, ours, sent_bytes / 1e6 / t_score,
         nsents ? sum / nsents : 0.0);
  if (a.nltk) {
    theirs = nltk_rate(a.lexicon, a.sample, a.nltk_runs);
    if (theirs > 0)
      printf("ratio: %.0fx NLTK's sentences/s (target >= 100x)\n",
             ours / theirs);
    else
      printf("NLTK: not available (needs /usr/bin/python3 with nltk)\n");
  }
  for (r = 0; r < a.repeat; r++) {
    double t = wc_run(a.dir);
    if (t < t_wc) t_wc = t;
    t = disk_run(&m, 1, &ns1);
    if (t < t_disk1) t_disk1 = t;
    t = disk_run(&m, nt, &nsn);
    if (t < t_diskn) t_diskn = t;
    t = lector_run(a.dir);
    if (t < t_lector) t_lector = t;
  }
  printf("from disk, whole corpus: wc -w %.3f s (%.1f MB/s)\n", t_wc,
         bytes / 1e6 / t_wc);
  printf("  sentiment, 1 thread:  %.3f s (%.1f MB/s, %.0f sentences/s): "
         "%.2fx wc -w\n", t_disk1, bytes / 1e6 / t_disk1, ns1 / t_disk1,
         t_disk1 / t_wc);
  printf("  sentiment, %d threads: %.3f s (%.1f MB/s, %.0f sentences/s): "
         "%.2fx wc -w (target <= 2x)\n", nt, t_diskn, bytes / 1e6 / t_diskn,
         nsn / t_diskn, t_diskn / t_wc);
  printf("  lector -e 'sentiment.corpus(lector.load(DIR))', whole process: "
         "%.3f s (%.1f MB/s): %.2fx wc -w\n", t_lector,
         bytes / 1e6 / t_lector, t_lector / t_wc);
  getrusage(RUSAGE_SELF, &ru);
  printf("peak memory: %.1f MB\n", ru.ru_maxrss / 1024.0);
  vader_ws_free(&ws);
  for (i = 0; i < nfiles; i++) {
    free(texts[i]);
    free(files[i]);
  }
  free(texts);
  free(lens);
  free(files);
  free(sents);
  lex_free((lex_table *)m.lex);
  m.tok->opts_free((lector_tok_opts *)m.opts);
  return 0;
}
