/*
** bench_load.c -- time corpus_load against the `wc -w` floor.
**
** usage: bench_load DIR [THREADS [RUNS]]
**
** Runs `find DIR -type f -print0 | xargs -0 wc -w > /dev/null` (the cost
** of opening and reading every file once, in one process) and corpus_load
** on DIR, alternately, RUNS times (default 3) after one warm-up of each,
** and prints the best time of each, their ratio, documents/s, MB/s, peak
** RSS, and the store's own bytes per document.  Not a test: it asserts
** nothing.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "corpus.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* s in single quotes for sh, into a malloc'd string. */
static char *shell_quote(const char *s) {
  size_t n = 3;
  for (const char *p = s; *p; p++) n += *p == '\'' ? 4 : 1;
  char *q = malloc(n), *o = q;
  if (!q) return NULL;
  *o++ = '\'';
  for (const char *p = s; *p; p++) {
    if (*p == '\'') {
      memcpy(o, "'\\''", 4);
      o += 4;
    } else {
      *o++ = *p;
    }
  }
  *o++ = '\'';
  *o = '\0';
  return q;
}

static double time_wc(const char *cmd) {
  double t = now();
  if (system(cmd) != 0) fprintf(stderr, "bench_load: `%s` failed\n", cmd);
  return now() - t;
}

/* Time one corpus_load of dir; *out keeps the corpus (release it). */
static double time_load(const char *dir, int threads, corpus **out) {
  corpus_opts o = {.quiet = 1, .threads = threads};
  char *err = NULL;
  double t = now();
  if (corpus_load(&dir, 1, &o, out, &err) != 0) {
    fprintf(stderr, "bench_load: %s\n", err ? err : "out of memory");
    free(err);
    exit(1);
  }
  return now() - t;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: bench_load DIR [THREADS [RUNS]]\n");
    return 2;
  }
  const char *dir = argv[1];
  int threads = argc > 2 ? atoi(argv[2]) : 0;
  int runs = argc > 3 ? atoi(argv[3]) : 3;
  char *q = shell_quote(dir), cmd[8192];
  if (!q) return 1;
  snprintf(cmd, sizeof cmd, "find %s -type f -print0 | xargs -0 wc -w > /dev/null", q);
  free(q);

  corpus *c = NULL;
  time_wc(cmd);                                       /* warm the cache */
  time_load(dir, threads, &c);                        /* and this one */
  double best_wc = 1e30, best_load = 1e30;
  for (int r = 0; r < (runs < 1 ? 1 : runs); r++) {
    double w = time_wc(cmd);
    if (w < best_wc) best_wc = w;
    corpus_release(c);
    double l = time_load(dir, threads, &c);
    if (l < best_load) best_load = l;
  }
  corpus *one = NULL;
  double single = time_load(dir, 1, &one);
  corpus_release(one);

  size_t n = corpus_count(c);
  unsigned long long text = 0;
  for (size_t i = 0; i < n; i++) {
    const corpus_doc *d = corpus_doc_at(c, i);
    text += d->bytes + d->body_off;
  }
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  size_t mem = corpus_memory(c);
  printf("corpus:        %s\n", dir);
  printf("documents:     %zu (%zu warnings), %.1f MB of files\n", n,
         corpus_warning_count(c), (double)text / 1e6);
  printf("wc -w floor:   %.3f s  (%s)\n", best_wc, cmd);
  printf("corpus_load:   %.3f s  (threads=%d, 0 = all cores; best of %d)\n",
         best_load, threads, runs);
  printf("ratio:         %.2f x wc -w\n", best_load / best_wc);
  printf("1 thread:      %.3f s  (%.2f x wc -w)\n", single, single / best_wc);
  printf("throughput:    %.0f documents/s, %.1f MB/s\n", (double)n / best_load,
         (double)text / 1e6 / best_load);
  printf("store:         %zu bytes, %.0f bytes/document\n", mem,
         n ? (double)mem / (double)n : 0.0);
  printf("peak RSS:      %.1f MB\n", (double)ru.ru_maxrss / 1024.0);
  corpus_release(c);
  return 0;
}
