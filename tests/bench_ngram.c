/*
** bench_ngram.c -- the ngram benchmark (not a test): unigram + bigram
** counting of a corpus end to end (`lector` loads the corpus and runs
** ngram.count), against the same job in pure Lua 5.4 (string.gmatch and
** tables) and the `wc -w` floor over the same files, in one run.
**
**   bench_ngram [--lector PATH] [--lua PATH] [--runs N] [--threads N]
**               [--no-lua] [--replicate K] CORPUS_DIR
**
** A job's thread count is that of the whole job: lector.load and
** ngram.count both get it.
**
** Every job runs as a child process, timed on the wall clock; its peak
** RSS comes from wait4().  Each figure is the median of --runs runs (3),
** after one warm-up pass that fills the page cache.  Printed: MB/s,
** distinct n-grams, bytes per distinct n-gram in the count table (the
** table's own memory, not the vocabulary strings), peak RSS, the speed-up
** from 1 to 2 (or --threads) threads, the ratio to pure Lua and to wc -w,
** and the load average before and after (the machine may be shared).
**
** --replicate K measures memory at a fixed vocabulary instead: it links
** K copies of CORPUS_DIR into a temporary folder (hard links, or symbolic
** links across file systems; removed afterwards), so the corpus is K
** times larger with the same words and n-grams, and counts both with
** --threads threads.  Printed for 1x and Kx: time, MB/s, distinct
** n-grams, peak RSS, the peak RSS of loading the corpus alone (the host's
** corpus model, which grows with the number of documents) and the
** difference, which is what counting adds.
*/
#define _GNU_SOURCE
#include <errno.h>
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 15

static uint64_t corpus_bytes;
static size_t corpus_files;

static int add_file(const char *path, const struct stat *st, int type,
                    struct FTW *ftw) {
  size_t n = strlen(path);
  (void)ftw;
  if (type == FTW_F && n > 4 && strcmp(path + n - 4, ".txt") == 0) {
    corpus_bytes += (uint64_t)st->st_size;
    corpus_files++;
  }
  return 0;
}

/* Count the .txt files under dir into corpus_files / corpus_bytes. */
static int measure_corpus(const char *dir) {
  corpus_bytes = 0;
  corpus_files = 0;
  if (nftw(dir, add_file, 64, FTW_PHYS) != 0) {
    perror(dir);
    return -1;
  }
  return 0;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double loadavg(void) {
  double a = -1;
  FILE *f = fopen("/proc/loadavg", "r");
  if (f) {
    if (fscanf(f, "%lf", &a) != 1) a = -1;
    fclose(f);
  }
  return a;
}

typedef struct result {
  double secs;
  long rss_kb;
  char out[256];               /* the child's first line of output */
} result;

/* Run argv, capturing its first output line; wall time and peak RSS. */
static int run(char *const argv[], result *r) {
  int fd[2], status;
  struct rusage ru;
  double t0;
  pid_t pid;
  FILE *f;
  if (pipe(fd) != 0) return -1;
  t0 = now();
  pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    dup2(fd[1], 1);
    close(fd[0]);
    close(fd[1]);
    execvp(argv[0], argv);
    _exit(127);
  }
  close(fd[1]);
  f = fdopen(fd[0], "r");
  r->out[0] = '\0';
  if (!fgets(r->out, sizeof r->out, f)) r->out[0] = '\0';
  while (fgetc(f) != EOF) {}
  fclose(f);
  if (wait4(pid, &status, 0, &ru) < 0) return -1;
  r->secs = now() - t0;
  r->rss_kb = ru.ru_maxrss;
  r->out[strcspn(r->out, "\n")] = '\0';
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "bench_ngram: %s failed (status %d)\n", argv[0], status);
    return -1;
  }
  return 0;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* The median of runs of argv; *last gets the last run's result, with the
** largest peak RSS of the runs. */
static double median(char *const argv[], int runs, result *last) {
  double t[MAX_RUNS];
  long rss = 0;
  int i;
  for (i = 0; i < runs; i++) {
    if (run(argv, last) != 0) exit(1);
    t[i] = last->secs;
    if (last->rss_kb > rss) rss = last->rss_kb;
  }
  last->rss_kb = rss;
  qsort(t, (size_t)runs, sizeof *t, cmp_double);
  return t[runs / 2];
}

static const char count_script[] =
  "local ngram = require 'lector.ngram'\n"
  "local threads = tonumber(arg[2])\n"
  "local c = lector.load(arg[1], {threads = threads})\n"
  "local t = ngram.count(c, {n = {1, 2}, threads = threads})\n"
  "print(#t, t:total(), t:memory(), c:bytes())\n";

/* Loading alone: the corpus model's share of the peak RSS. */
static const char load_script[] =
  "local c = lector.load(arg[1], {threads = tonumber(arg[2])})\n"
  "print(#c, c:bytes())\n";

/* The pure-Lua job: read every .txt file, lower-case it, words by
** string.gmatch, unigram and bigram counts in tables. */
static const char lua_script[] =
  "local lfs = require 'lfs'\n"
  "local files = {}\n"
  "local function walk(d)\n"
  "  for name in lfs.dir(d) do\n"
  "    if name ~= '.' and name ~= '..' then\n"
  "      local p = d .. '/' .. name\n"
  "      local m = lfs.attributes(p, 'mode')\n"
  "      if m == 'directory' then walk(p)\n"
  "      elseif m == 'file' and p:match('%.txt$') then files[#files+1] = p end\n"
  "    end\n"
  "  end\n"
  "end\n"
  "walk(arg[1])\n"
  "local uni, bi, nu, nb = {}, {}, 0, 0\n"
  "for _, p in ipairs(files) do\n"
  "  local f = assert(io.open(p, 'rb'))\n"
  "  local text = f:read('a'):lower()\n"
  "  f:close()\n"
  "  local prev\n"
  "  for w in text:gmatch('%w+') do\n"
  "    local c = uni[w]\n"
  "    if c then uni[w] = c + 1 else uni[w] = 1; nu = nu + 1 end\n"
  "    if prev then\n"
  "      local k = prev .. ' ' .. w\n"
  "      c = bi[k]\n"
  "      if c then bi[k] = c + 1 else bi[k] = 1; nb = nb + 1 end\n"
  "    end\n"
  "    prev = w\n"
  "  end\n"
  "end\n"
  "print(nu + nb)\n";

static void usage(void) {
  fputs("usage: bench_ngram [--lector PATH] [--lua PATH] [--runs N] "
        "[--threads N] [--no-lua] [--replicate K] CORPUS_DIR\n"
        "  --lector PATH  the lector binary (default: ../lector beside this "
        "program)\n"
        "  --lua PATH     Lua 5.4 for the pure-Lua job (default lua5.4; "
        "lector when missing)\n"
        "  --runs N       runs per figure, the median is shown (3)\n"
        "  --threads N    the multi-threaded run (2)\n"
        "  --no-lua       skip the pure-Lua job\n"
        "  --replicate K  peak RSS at a fixed vocabulary: CORPUS_DIR against "
        "K linked\n"
        "                 copies of it (in a temporary folder, removed "
        "afterwards)\n", stderr);
  exit(2);
}

/* The lector binary beside this program's folder (build/tests/..). */
static void default_lector(char *out, size_t size) {
  char self[2048];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  char *slash;
  if (n <= 0) {
    snprintf(out, size, "lector");
    return;
  }
  self[n] = '\0';
  slash = strrchr(self, '/');
  if (slash) *slash = '\0';
  snprintf(out, size, "%s/../lector", self);
}

static char tmp[] = "/tmp/bench_ngramXXXXXX";

static int write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
    perror(path);
    return -1;
  }
  return 0;
}

/* The job scripts, in a fresh temporary folder. */
static int write_scripts(void) {
  char p[256];
  if (!mkdtemp(tmp)) {
    perror("mkdtemp");
    return -1;
  }
  snprintf(p, sizeof p, "%s/count.lua", tmp);
  if (write_file(p, count_script) != 0) return -1;
  snprintf(p, sizeof p, "%s/load.lua", tmp);
  if (write_file(p, load_script) != 0) return -1;
  snprintf(p, sizeof p, "%s/pure.lua", tmp);
  return write_file(p, lua_script);
}

static int remove_entry(const char *path, const struct stat *st, int type,
                        struct FTW *ftw) {
  (void)st;
  (void)type;
  (void)ftw;
  if (remove(path) != 0) perror(path);
  return 0;
}

/* Remove the temporary folder and everything in it. */
static void remove_tmp(void) {
  nftw(tmp, remove_entry, 64, FTW_DEPTH | FTW_PHYS);
}

/* ------------------------------------------------------------------------
** Replicating a corpus
*/

static const char *rep_src;     /* the corpus being linked */
static char rep_dst[512];       /* the copy's root */

/* Link (or make the folder of) one entry of rep_src under rep_dst. */
static int link_entry(const char *path, const struct stat *st, int type,
                      struct FTW *ftw) {
  char to[8192];
  (void)st;
  (void)ftw;
  snprintf(to, sizeof to, "%s%s", rep_dst, path + strlen(rep_src));
  if (type == FTW_D) {
    if (mkdir(to, 0755) != 0 && errno != EEXIST) goto fail;
  } else if (type == FTW_F) {
    if (link(path, to) != 0) {
      char abs[4096];
      if (errno != EXDEV || !realpath(path, abs) || symlink(abs, to) != 0)
        goto fail;
    }
  }
  return 0;
fail:
  perror(to);
  return -1;
}

/* Link k copies of dir into tmp/x1 .. tmp/xk; the root in out. */
static int replicate(const char *dir, int k, char *out, size_t size) {
  int i;
  snprintf(out, size, "%s/corpus", tmp);
  if (mkdir(out, 0755) != 0) {
    perror(out);
    return -1;
  }
  rep_src = dir;
  for (i = 1; i <= k; i++) {
    snprintf(rep_dst, sizeof rep_dst, "%s/x%d", out, i);
    if (nftw(dir, link_entry, 64, FTW_PHYS) != 0) return -1;
  }
  return 0;
}

/* ------------------------------------------------------------------------
** The two modes
*/

typedef struct bench {
  char lector[4096];
  const char *lua, *dir;
  int runs, threads, no_lua, replicate;
} bench;

static void script_path(char *out, const char *name) {
  snprintf(out, 256, "%s/%s", tmp, name);
}

/* One corpus at a fixed vocabulary: count and load-only runs. */
typedef struct rep_row {
  size_t files;
  uint64_t bytes;
  double secs;
  long rss_kb, load_kb;
  unsigned long long distinct;
} rep_row;

static int rep_measure(const bench *b, const char *dir, rep_row *row) {
  char count[256], load[256], th[16];
  result r, rl;
  if (measure_corpus(dir) != 0) return -1;
  script_path(count, "count.lua");
  script_path(load, "load.lua");
  snprintf(th, sizeof th, "%d", b->threads);
  {
    char *c[] = {(char *)b->lector, count, (char *)dir, th, NULL};
    char *l[] = {(char *)b->lector, load, (char *)dir, th, NULL};
    if (run(l, &rl) != 0) return -1;              /* warm the page cache */
    row->secs = median(c, b->runs, &r);
    median(l, 1, &rl);
  }
  row->files = corpus_files;
  row->bytes = corpus_bytes;
  row->rss_kb = r.rss_kb;
  row->load_kb = rl.rss_kb;
  row->distinct = strtoull(r.out, NULL, 10);
  return 0;
}

static void rep_print(const char *name, const rep_row *r) {
  printf("%-4s %8zu %8.1f %8.2f s %7.1f %12llu %8ld MB %8ld MB %8ld MB\n",
         name, r->files, r->bytes / 1e6, r->secs, r->bytes / 1e6 / r->secs,
         r->distinct, r->rss_kb / 1024, r->load_kb / 1024,
         (r->rss_kb - r->load_kb) / 1024);
}

static int run_replicate(const bench *b) {
  char copies[256], kx[16];
  rep_row one, many;
  double la0 = loadavg();
  printf("fixed vocabulary: %s against %d linked copies of it; "
         "%d thread(s), median of %d runs\n", b->dir, b->replicate,
         b->threads, b->runs);
  if (replicate(b->dir, b->replicate, copies, sizeof copies) != 0 ||
      rep_measure(b, b->dir, &one) != 0 ||
      rep_measure(b, copies, &many) != 0)
    return -1;
  snprintf(kx, sizeof kx, "%dx", b->replicate);
  printf("%-4s %8s %8s %10s %7s %12s %11s %11s %11s\n", "", "files", "MB",
         "time", "MB/s", "n-grams", "peak RSS", "load only", "counting");
  rep_print("1x", &one);
  rep_print(kx, &many);
  printf("%s / 1x: distinct n-grams %.2f, peak RSS %.2f, counting's share "
         "%.2f; the corpus model grew by %ld MB (%.0f bytes per added "
         "document)\n", kx,
         (double)many.distinct / (double)(one.distinct ? one.distinct : 1),
         (double)many.rss_kb / (double)one.rss_kb,
         (double)(many.rss_kb - many.load_kb) /
             (double)(one.rss_kb - one.load_kb),
         (many.load_kb - one.load_kb) / 1024,
         (many.load_kb - one.load_kb) * 1024.0 /
             (double)(many.files - one.files));
  printf("load average: %.2f before, %.2f after\n", la0, loadavg());
  return 0;
}

static int run_compare(const bench *b) {
  char wc_cmd[8192], th[16], count[256], pure[256];
  double t_wc, t1, tn, t_lua = 0, la0 = loadavg();
  result r1, rn, rl, rw;
  const char *lua = b->lua;
  unsigned long long distinct = 0, total = 0, mem = 0, bytes = 0;
  if (measure_corpus(b->dir) != 0) return -1;
  snprintf(th, sizeof th, "%d", b->threads);
  snprintf(wc_cmd, sizeof wc_cmd,
           "find '%s' -type f -name '*.txt' -print0 | xargs -0 wc -w "
           "> /dev/null", b->dir);
  script_path(count, "count.lua");
  script_path(pure, "pure.lua");
  {
    char *wc[] = {"sh", "-c", wc_cmd, NULL};
    char *c1[] = {(char *)b->lector, count, (char *)b->dir, "1", NULL};
    char *cn[] = {(char *)b->lector, count, (char *)b->dir, th, NULL};
    char *pl[] = {(char *)lua, pure, (char *)b->dir, NULL};
    if (strcmp(lua, "lua5.4") == 0 && system("lua5.4 -e \"require 'lfs'\" "
                                             "2>/dev/null") != 0)
      pl[0] = (char *)b->lector;                /* no lua5.4 with lfs */
    if (run(wc, &rw) != 0) return -1;           /* warm the page cache */
    t_wc = median(wc, b->runs, &rw);
    t1 = median(c1, b->runs, &r1);
    tn = median(cn, b->runs, &rn);
    if (!b->no_lua) {
      t_lua = median(pl, b->runs, &rl);
      lua = pl[0];
    }
  }
  sscanf(rn.out, "%llu %llu %llu %llu", &distinct, &total, &mem, &bytes);
  printf("corpus: %s, %zu files, %.1f MB (%llu text bytes after headers)\n",
         b->dir, corpus_files, corpus_bytes / 1e6, bytes);
  printf("job: unigram + bigram counts, end to end (start, load, count, "
         "exit); median of %d runs\n", b->runs);
  printf("wc -w floor:        %7.3f s  %7.1f MB/s\n", t_wc,
         corpus_bytes / 1e6 / t_wc);
  printf("lector 1 thread:    %7.3f s  %7.1f MB/s  peak RSS %ld MB\n", t1,
         corpus_bytes / 1e6 / t1, r1.rss_kb / 1024);
  printf("lector %d threads:   %7.3f s  %7.1f MB/s  peak RSS %ld MB\n",
         b->threads, tn, corpus_bytes / 1e6 / tn, rn.rss_kb / 1024);
  printf("distinct n-grams:   %llu (%llu occurrences)\n", distinct, total);
  printf("count table:        %llu bytes, %.1f bytes per distinct n-gram\n",
         mem, distinct ? (double)mem / (double)distinct : 0.0);
  printf("speed-up 1 -> %d threads: %.2fx\n", b->threads, t1 / tn);
  printf("%d threads vs wc -w: %.2fx the floor\n", b->threads, tn / t_wc);
  if (!b->no_lua)
    printf("pure Lua 5.4 (%s): %7.3f s  peak RSS %ld MB  -> lector "
           "(%d threads) is %.1fx faster\n", lua, t_lua, rl.rss_kb / 1024,
           b->threads, t_lua / tn);
  printf("load average: %.2f before, %.2f after\n", la0, loadavg());
  return 0;
}

int main(int argc, char **argv) {
  bench b;
  int i, rc;
  memset(&b, 0, sizeof b);
  b.lua = "lua5.4";
  b.runs = 3;
  b.threads = 2;
  default_lector(b.lector, sizeof b.lector);
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--lector") == 0 && i + 1 < argc)
      snprintf(b.lector, sizeof b.lector, "%s", argv[++i]);
    else if (strcmp(argv[i], "--lua") == 0 && i + 1 < argc)
      b.lua = argv[++i];
    else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
      b.runs = atoi(argv[++i]);
    else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
      b.threads = atoi(argv[++i]);
    else if (strcmp(argv[i], "--replicate") == 0 && i + 1 < argc)
      b.replicate = atoi(argv[++i]);
    else if (strcmp(argv[i], "--no-lua") == 0) b.no_lua = 1;
    else if (argv[i][0] == '-') usage();
    else b.dir = argv[i];
  }
  if (b.dir) {                             /* no trailing slashes */
    static char dir[4096];
    size_t n = strlen(b.dir);
    while (n > 1 && b.dir[n - 1] == '/') n--;
    snprintf(dir, sizeof dir, "%.*s", (int)n, b.dir);
    b.dir = dir;
  }
  if (!b.dir || b.runs < 1 || b.runs > MAX_RUNS || b.threads < 1 ||
      b.replicate < 0 || b.replicate == 1)
    usage();
  if (write_scripts() != 0) return 1;
  rc = b.replicate ? run_replicate(&b) : run_compare(&b);
  remove_tmp();
  return rc == 0 ? 0 : 1;
}
