/*
** bench_ngram.c -- the ngram benchmark (not a test): unigram + bigram
** counting of a corpus end to end (`lector` loads the corpus and runs
** ngram.count), against the same job in pure Lua 5.4 (string.gmatch and
** tables) and the `wc -w` floor over the same files, in one run.
**
**   bench_ngram [--lector PATH] [--lua PATH] [--runs N] [--threads N]
**               [--no-lua] CORPUS_DIR
**
** Every job runs as a child process, timed on the wall clock; its peak
** RSS comes from wait4().  Each figure is the median of --runs runs (3),
** after one warm-up pass that fills the page cache.  Printed: MB/s,
** distinct n-grams, bytes per distinct n-gram in the count table (the
** table's own memory, not the vocabulary strings), peak RSS, the speed-up
** from 1 to 2 (or --threads) threads, the ratio to pure Lua and to wc -w.
*/
#define _GNU_SOURCE
#include <ftw.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
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

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
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

/* The median of runs of argv; *last gets the last run's result. */
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
  "local c = lector.load(arg[1])\n"
  "local t = ngram.count(c, {n = {1, 2}, threads = tonumber(arg[2])})\n"
  "print(#t, t:total(), t:memory(), c:bytes())\n";

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
        "[--threads N] [--no-lua] CORPUS_DIR\n"
        "  --lector PATH  the lector binary (default: ../lector beside this "
        "program)\n"
        "  --lua PATH     Lua 5.4 for the pure-Lua job (default lua5.4; "
        "lector when missing)\n"
        "  --runs N       runs per figure, the median is shown (3)\n"
        "  --threads N    the multi-threaded run (2)\n"
        "  --no-lua       skip the pure-Lua job\n", stderr);
  exit(2);
}

/* The lector binary beside this program's folder (build/tests/..). */
static void default_lector(const char *argv0, char *out, size_t size) {
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
  (void)argv0;
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

/* The two job scripts, in a fresh temporary folder. */
static int write_scripts(char *count_path, char *lua_path) {
  if (!mkdtemp(tmp)) {
    perror("mkdtemp");
    return -1;
  }
  snprintf(count_path, 256, "%s/count.lua", tmp);
  snprintf(lua_path, 256, "%s/pure.lua", tmp);
  return write_file(count_path, count_script) ||
         write_file(lua_path, lua_script) ? -1 : 0;
}

int main(int argc, char **argv) {
  char lector[4096], threads_s[16], wc_cmd[8192], count_path[256],
      lua_path[256];
  const char *lua = "lua5.4", *dir = NULL;
  int runs = 3, threads = 2, no_lua = 0, i;
  double t_wc, t1, tn, t_lua = 0;
  result r1, rn, rl, rw;
  unsigned long long distinct = 0, total = 0, mem = 0, bytes = 0;
  default_lector(argv[0], lector, sizeof lector);
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--lector") == 0 && i + 1 < argc)
      snprintf(lector, sizeof lector, "%s", argv[++i]);
    else if (strcmp(argv[i], "--lua") == 0 && i + 1 < argc) lua = argv[++i];
    else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
      runs = atoi(argv[++i]);
    else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
      threads = atoi(argv[++i]);
    else if (strcmp(argv[i], "--no-lua") == 0) no_lua = 1;
    else if (argv[i][0] == '-') usage();
    else dir = argv[i];
  }
  if (!dir || runs < 1 || runs > MAX_RUNS || threads < 1) usage();
  if (nftw(dir, add_file, 64, FTW_PHYS) != 0) {
    perror(dir);
    return 1;
  }
  snprintf(threads_s, sizeof threads_s, "%d", threads);
  snprintf(wc_cmd, sizeof wc_cmd,
           "find '%s' -type f -name '*.txt' -print0 | xargs -0 wc -w "
           "> /dev/null", dir);
  if (write_scripts(count_path, lua_path) != 0) return 1;
  {
    char *wc[] = {"sh", "-c", wc_cmd, NULL};
    char *c1[] = {lector, count_path, (char *)dir, "1", NULL};
    char *cn[] = {lector, count_path, (char *)dir, threads_s, NULL};
    char *pl[] = {(char *)lua, lua_path, (char *)dir, NULL};
    if (strcmp(lua, "lua5.4") == 0 && system("lua5.4 -e \"require 'lfs'\" "
                                             "2>/dev/null") != 0)
      pl[0] = lector;                           /* no lua5.4 with lfs */
    if (run(wc, &rw) != 0) return 1;            /* warm the page cache */
    t_wc = median(wc, runs, &rw);
    t1 = median(c1, runs, &r1);
    tn = median(cn, runs, &rn);
    if (!no_lua) {
      t_lua = median(pl, runs, &rl);
      lua = pl[0];
    }
  }
  remove(count_path);
  remove(lua_path);
  rmdir(tmp);
  sscanf(rn.out, "%llu %llu %llu %llu", &distinct, &total, &mem, &bytes);
  printf("corpus: %s, %zu files, %.1f MB (%llu text bytes after headers)\n",
         dir, corpus_files, corpus_bytes / 1e6, bytes);
  printf("job: unigram + bigram counts, end to end (start, load, count, "
         "exit); median of %d runs\n", runs);
  printf("wc -w floor:        %7.3f s  %7.1f MB/s\n", t_wc,
         corpus_bytes / 1e6 / t_wc);
  printf("lector 1 thread:    %7.3f s  %7.1f MB/s  peak RSS %ld MB\n", t1,
         corpus_bytes / 1e6 / t1, r1.rss_kb / 1024);
  printf("lector %d threads:   %7.3f s  %7.1f MB/s  peak RSS %ld MB\n",
         threads, tn, corpus_bytes / 1e6 / tn, rn.rss_kb / 1024);
  printf("distinct n-grams:   %llu (%llu occurrences)\n", distinct, total);
  printf("count table:        %llu bytes, %.1f bytes per distinct n-gram\n",
         mem, distinct ? (double)mem / (double)distinct : 0.0);
  printf("speed-up 1 -> %d threads: %.2fx\n", threads, t1 / tn);
  printf("%d threads vs wc -w: %.2fx the floor\n", threads, tn / t_wc);
  if (!no_lua)
    printf("pure Lua 5.4 (%s): %7.3f s  peak RSS %ld MB  -> lector "
           "(%d threads) is %.1fx faster\n", lua, t_lua, rl.rss_kb / 1024,
           threads, t_lua / tn);
  return 0;
}
