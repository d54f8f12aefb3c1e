/*
** bench_table.c -- throughput of core/table.c (a benchmark, not a test).
**
**   bench_table FILE csv|tsv|jsonl
**
** Reads FILE into memory, then times over it: table_scan_feed in 1 MiB
** pieces (the loader's chunks) beside memchr counting LFs over the same
** bytes (the floor), and, per record, table_split + table_field_copy of
** every field (CSV, TSV) or table_json_each, the same through jansson
** (tests/table_ref.h, the implementation table_json_each replaced; the
** ratio is printed), then table_json_get of the "text" member (JSON
** lines).  Prints MB/s of the process's CPU time (one thread), so that
** other work on a shared machine skews the figures less than wall time.
** A 200 MB input: ../shared/bench/make-corpus output (/tmp/c20) written
** as CSV/TSV/JSON lines ten times over by a few lines of Python.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "table.h"
#include "table_ref.h"

#define PIECE (1u << 20)
#define MAX_FIELDS 256

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = len >= 0 ? malloc((size_t)len + 1) : NULL;
  if (s && fread(s, 1, (size_t)len, f) != (size_t)len) { free(s); s = NULL; }
  fclose(f);
  *n = (size_t)len;
  return s;
}

static int count_member(void *ud, const table_value *v) {
  *(size_t *)ud += v->len;
  return 0;
}

/* Record ends of s[0..n) into ends (one past each record). */
static size_t scan(table_format f, const char *s, size_t n, uint64_t *ends) {
  table_scan sc;
  size_t count = 0;
  table_scan_init(&sc, f);
  for (size_t at = 0; at < n;) {
    size_t len = n - at > PIECE ? PIECE : n - at;
    size_t k = table_scan_feed(&sc, s + at, len);
    if (k == TABLE_MORE) { at += len; continue; }
    if (ends) ends[count] = sc.rec_end;
    count++;
    at += k;
  }
  if (table_scan_end(&sc)) {
    if (ends) ends[count] = sc.rec_end;
    count++;
  }
  return count;
}

/* Seconds taken to take every record apart: split + copy (CSV, TSV), or
** table_json_each (ref: the jansson reference); malformed records and
** value bytes counted into *bad, *total. */
static double time_records(table_format f, const char *s, const uint64_t *ends,
                           size_t recs, char *buf, int ref, size_t *bad,
                           size_t *total) {
  double t0 = now();
  uint64_t start = 0;
  for (size_t r = 0; r < recs; r++) {
    const char *rec = s + start;
    size_t len = (size_t)(ends[r] - start);
    start = ends[r];
    if (f == TABLE_JSONL) {
      char why[200];
      int rc = ref ? ref_json_each(rec, len, count_member, total, why, sizeof why)
                   : table_json_each(rec, len, count_member, total, why, sizeof why);
      if (rc != 0) (*bad)++;
    } else {
      table_field fl[MAX_FIELDS];
      size_t nf;
      const char *why;
      if (table_split(f, rec, len, fl, MAX_FIELDS, &nf, &why) != 0) { (*bad)++; continue; }
      for (size_t i = 0; i < nf; i++) *total += table_field_copy(f, rec, &fl[i], buf);
    }
  }
  return now() - t0;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: bench_table FILE csv|tsv|jsonl\n");
    return 2;
  }
  table_format f = !strcmp(argv[2], "csv") ? TABLE_CSV
                 : !strcmp(argv[2], "tsv") ? TABLE_TSV : TABLE_JSONL;
  size_t n;
  char *s = slurp(argv[1], &n);
  if (!s) { perror(argv[1]); return 1; }
  double mb = (double)n / 1e6;

  double t0 = now();
  size_t lfs = 0;
  for (const char *p = s, *e = s + n; (p = memchr(p, '\n', (size_t)(e - p))); p++) lfs++;
  double t_lf = now() - t0;

  t0 = now();
  size_t recs = scan(f, s, n, NULL);
  double t_scan = now() - t0;
  printf("%s: %.1f MB, %zu records, %zu lines\n", argv[1], mb, recs, lfs);
  printf("  memchr LF count   %8.0f MB/s\n", mb / t_lf);
  printf("  table_scan_feed   %8.0f MB/s\n", mb / t_scan);

  uint64_t *ends = malloc((recs + 1) * sizeof *ends);
  char *buf = malloc(n + 1);
  if (!ends || !buf) return 1;
  scan(f, s, n, ends);
  size_t bad = 0, total = 0;
  double t_rec = time_records(f, s, ends, recs, buf, 0, &bad, &total);
  printf("  %s %8.0f MB/s (%.2f ms per MB; %zu malformed, %zu value bytes)\n",
         f == TABLE_JSONL ? "table_json_each  " : "split + copy     ",
         mb / t_rec, t_rec * 1e3 / mb, bad, total);
  if (f == TABLE_JSONL) {         /* the jansson reference, same records */
    size_t rbad = 0, rtotal = 0;
    double t_ref = time_records(f, s, ends, recs, buf, 1, &rbad, &rtotal);
    printf("  jansson reference %8.0f MB/s (%.2f ms per MB; %zu malformed, %zu value bytes)"
           "; table_json_each %.1fx\n", mb / t_ref, t_ref * 1e3 / mb, rbad, rtotal,
           t_ref / t_rec);
    if (rbad != bad || rtotal != total) {
      fprintf(stderr, "bench_table: table_json_each and jansson disagree\n");
      return 1;
    }
  }
  if (f == TABLE_JSONL) {         /* doc.text again: the text member only */
    t0 = now();
    uint64_t start = 0;
    total = 0;
    for (size_t r = 0; r < recs; r++) {
      char why[200];
      size_t len;
      if (table_json_get(s + start, (size_t)(ends[r] - start), "text", 4, buf, &len,
                         why, sizeof why) == 0)
        total += len;
      start = ends[r];
    }
    double t_get = now() - t0;
    printf("  table_json_get    %8.0f MB/s (%.2f ms per MB; \"text\": %zu bytes)\n",
           mb / t_get, t_get * 1e3 / mb, total);
  }
  free(buf);
  free(ends);
  free(s);
  return 0;
}
