/*
** corpus_walk.c -- finding the files of a corpus (see corpus_walk.h):
** each root given to corpus_load is walked, and every wanted file becomes
** a document of the store (path and id in its arena; loading comes
** later, in corpus.c).
**
** A directory's entries are visited in the order their paths sort (a
** folder as "name/"), so a root's documents come out sorted by id.
** Folders reached through a symbolic link are walked after the real ones
** and loops are cut by each directory's (st_dev, st_ino); the root is
** sorted again when that put its documents out of order.
**
** Sections: state; the visited set; choosing entries; walking a
** directory; roots.
*/
#include "corpus_walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus_internal.h"
#include "session.h"
#include "util.h"

/* ---------------------------------------------------------------------
** State
*/

typedef struct dev_ino {
  dev_t dev;
  ino_t ino;
  int used;
} dev_ino;

/* Directories seen in this root, by (st_dev, st_ino): open addressing. */
typedef struct visited {
  dev_ino *slots;
  size_t cap, n;
} visited;

/* Entry kinds: a file (or a link that may be one), a folder, a symbolic
** link to a folder (walked after the real folders), anything else. */
enum { K_FILE, K_DIR, K_LINKDIR, K_OTHER };

typedef struct walk_entry {
  const char *name;
  int kind;
} walk_entry;

/* The state of a walk, reused from root to root. */
typedef struct walker {
  const corpus_opts *o;
  corpus_store *st;     /* where found files and warnings go */
  util_buf path;        /* the directory being walked, with a final '/' */
  visited seen;
  char **deferred;      /* linked folders of this root, walked last */
  size_t n_deferred, cap_deferred;
} walker;

/* ---------------------------------------------------------------------
** The visited set
*/

static size_t dev_ino_hash(dev_t dev, ino_t ino) {
  uint64_t h = ((uint64_t)dev * 0x9E3779B97F4A7C15ULL) ^ (uint64_t)ino;
  h *= 0xBF58476D1CE4E5B9ULL;
  return (size_t)(h ^ (h >> 31));
}

static dev_ino *visited_slot(dev_ino *slots, size_t cap, dev_t dev, ino_t ino) {
  size_t i = dev_ino_hash(dev, ino) & (cap - 1);
  while (slots[i].used && (slots[i].dev != dev || slots[i].ino != ino))
    i = (i + 1) & (cap - 1);
  return &slots[i];
}

static int visited_grow(visited *v) {
  size_t cap = v->cap ? 2 * v->cap : 64;
  dev_ino *slots = calloc(cap, sizeof *slots);
  if (!slots) return -1;
  for (size_t i = 0; i < v->cap; i++)
    if (v->slots[i].used)
      *visited_slot(slots, cap, v->slots[i].dev, v->slots[i].ino) = v->slots[i];
  free(v->slots);
  v->slots = slots;
  v->cap = cap;
  return 0;
}

/* 1 if (dev, ino) is new (now recorded), 0 if seen before, -1 on OOM. */
static int visited_add(visited *v, dev_t dev, ino_t ino) {
  if (2 * (v->n + 1) > v->cap && visited_grow(v) != 0) return -1;
  dev_ino *s = visited_slot(v->slots, v->cap, dev, ino);
  if (s->used) return 0;
  *s = (dev_ino){dev, ino, 1};
  v->n++;
  return 1;
}

/* ---------------------------------------------------------------------
** Choosing entries
*/

/* A problem with one entry of the walk: a warning, or with opts->strict
** the error.  0 to go on, nonzero to stop (*err set). */
static int walk_problem(walker *w, char **err, char *msg) {
  if (w->o->strict || !msg) {
    *err = msg;
    return 1;
  }
  if (corpus_store_warn(w->st, w->path.data, msg) == 0) return 0;
  *err = NULL;                                   /* out of memory */
  return 1;
}

/* Does name[0..n) end in one of the wanted extensions? */
static int ext_match(const corpus_opts *o, const char *name, size_t n) {
  for (size_t i = 0; i < o->n_exts; i++) {
    const char *e = o->exts[i];
    if (!e) continue;
    if (*e == '.') e++;
    size_t k = strlen(e);
    if (n > k + 1 && name[n - k - 1] == '.' && strncasecmp(name + n - k, e, k) == 0)
      return 1;
  }
  return 0;
}

/* A name's extension is matched as if a final ".gz" were not there
** (news.csv.gz has the extension csv), unless "gz" itself is asked for. */
static int ext_wanted(const corpus_opts *o, const char *name) {
  if (!o->exts || o->n_exts == 0) return 1;
  size_t n = strlen(name);
  if (ext_match(o, name, n)) return 1;
  return n > 3 && strcasecmp(name + n - 3, ".gz") == 0 && ext_match(o, name, n - 3);
}

static int wanted(const corpus_opts *o, const char *name, const char *id) {
  return ext_wanted(o, name) && (!o->glob || fnmatch(o->glob, id, 0) == 0);
}

/* Compare two entries as their paths would: a folder as "name/". */
static int entry_cmp(const void *pa, const void *pb) {
  const walk_entry *a = pa, *b = pb;
  const unsigned char *x = (const unsigned char *)a->name;
  const unsigned char *y = (const unsigned char *)b->name;
  while (*x && *x == *y) x++, y++;
  unsigned cx = *x ? *x : a->kind == K_DIR || a->kind == K_LINKDIR ? '/' : 0;
  unsigned cy = *y ? *y : b->kind == K_DIR || b->kind == K_LINKDIR ? '/' : 0;
  return (cx > cy) - (cx < cy);
}

static int entry_kind(int dfd, const struct dirent *de) {
  struct stat st;
  int link = de->d_type == DT_LNK;
  switch (de->d_type) {
  case DT_DIR: return K_DIR;
  case DT_REG: return K_FILE;
  case DT_UNKNOWN:
    if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) return K_FILE;
    if (!S_ISLNK(st.st_mode))
      return S_ISDIR(st.st_mode) ? K_DIR : S_ISREG(st.st_mode) ? K_FILE : K_OTHER;
    link = 1;
    /* fall through */
  case DT_LNK:
    /* Follow the link; a dangling one is a file whose open fails later,
    ** with a warning naming it. */
    if (fstatat(dfd, de->d_name, &st, 0) != 0) return K_FILE;
    if (S_ISDIR(st.st_mode)) return link ? K_LINKDIR : K_DIR;
    return S_ISREG(st.st_mode) ? K_FILE : K_OTHER;
  default: return K_OTHER;
  }
}

/* The entries of the open directory d, names in *names, sorted as paths
** sort.  0, or -1 when out of memory. */
static int read_entries(const walker *w, DIR *d, util_buf *names,
                        walk_entry **out, size_t *n) {
  size_t cap = 0, *offs = NULL;
  int *kinds = NULL;
  struct dirent *de;
  *n = 0;
  while ((de = readdir(d)) != NULL) {
    const char *nm = de->d_name;
    if (nm[0] == '.' && (!w->o->hidden || !nm[1] || (nm[1] == '.' && !nm[2])))
      continue;
    if (*n == cap) {
      cap = cap ? 2 * cap : 64;
      size_t *o2 = realloc(offs, cap * sizeof *o2);
      if (o2) offs = o2;
      int *k2 = realloc(kinds, cap * sizeof *k2);
      if (k2) kinds = k2;
      if (!o2 || !k2) goto oom;
    }
    offs[*n] = names->len;
    kinds[*n] = entry_kind(dirfd(d), de);
    if (util_buf_add(names, nm, strlen(nm) + 1) != 0) goto oom;
    (*n)++;
  }
  *out = malloc((*n ? *n : 1) * sizeof **out);
  if (!*out) goto oom;
  for (size_t i = 0; i < *n; i++)
    (*out)[i] = (walk_entry){names->data + offs[i], kinds[i]};
  qsort(*out, *n, sizeof **out, entry_cmp);
  free(offs);
  free(kinds);
  return 0;
oom:
  free(offs);
  free(kinds);
  return -1;
}

/* ---------------------------------------------------------------------
** Walking a directory
*/

/* Remember the linked folder in w->path for after the real folders, so
** that a folder reached both ways is listed under its real path. */
static int defer_dir(walker *w) {
  if (w->n_deferred == w->cap_deferred) {
    size_t cap = w->cap_deferred ? 2 * w->cap_deferred : 8;
    char **d = realloc(w->deferred, cap * sizeof *d);
    if (!d) return -1;
    w->deferred = d;
    w->cap_deferred = cap;
  }
  if (!(w->deferred[w->n_deferred] = strdup(w->path.data))) return -1;
  w->n_deferred++;
  return 0;
}

static void free_deferred(walker *w) {
  for (size_t i = 0; i < w->n_deferred; i++) free(w->deferred[i]);
  w->n_deferred = 0;
}

static int walk_dir(walker *w, size_t root_len, int depth, char **err);

/* A document for the file path[0..len), its id from id_off on (shown
** escaped when it holds invalid UTF-8 or control characters).  0, or -1
** when out of memory. */
static int add_file(walker *w, const char *path, size_t len, size_t id_off) {
  int oom = 0;
  char *p = arena_strndup(&w->st->strings, path, len);
  const char *id = p ? corpus_display(&w->st->strings, p + id_off, len - id_off, &oom)
                     : NULL;
  return id && corpus_store_push(w->st, p, id) == 0 ? 0 : -1;
}

/* The error for Ctrl-C or the timeout during the walk. */
static char *interrupted(const walker *w) {
  return util_errorf("interrupted (Ctrl-C or the timeout) while looking for "
                     "files (%zu found)", w->st->n);
}

/* Handle one entry of the directory in w->path. */
static int walk_entry_add(walker *w, size_t root_len, const walk_entry *e,
                          char **err) {
  size_t dlen = w->path.len;
  int rc = 0;
  if (session_interrupted()) return *err = interrupted(w), 1;
  if (util_buf_add(&w->path, e->name, strlen(e->name)) != 0) goto oom;
  if (e->kind == K_DIR || e->kind == K_LINKDIR) {
    if (util_buf_add(&w->path, "/", 1) != 0) goto oom;
    if (e->kind == K_LINKDIR) {
      if (defer_dir(w) != 0) goto oom;
    } else {
      rc = walk_dir(w, root_len, 1, err);
    }
  } else if (wanted(w->o, e->name, w->path.data + root_len)) {
    if (e->kind == K_OTHER) {
      struct stat sb;
      const char *kind = stat(w->path.data, &sb) == 0 ? corpus_file_kind(sb.st_mode)
                                                       : "a special file";
      rc = walk_problem(w, err, corpus_pathf(w->path.data, "not a regular file (%s)%s",
                                             kind, corpus_skip_tail(w->o)));
    } else if (add_file(w, w->path.data, w->path.len, root_len) != 0) {
      goto oom;
    }
  }
  w->path.len = dlen;
  w->path.data[dlen] = '\0';
  return rc;
oom:
  *err = NULL;
  return 1;
}

/* Walk the directory w->path (ending in '/'), unless already seen.  A
** root (depth 0) that cannot be opened is an error, a folder below it a
** warning. */
static int walk_dir(walker *w, size_t root_len, int depth, char **err) {
  util_buf names = {0};
  walk_entry *ents = NULL;
  size_t n = 0;
  struct stat st;
  int rc = 0, fd = open(w->path.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || fstat(fd, &st) != 0) {
    int e = errno;
    if (fd >= 0) close(fd);
    size_t n_show = w->path.len > 1 ? w->path.len - 1 : 1;   /* no '/' */
    char c = w->path.data[n_show];
    w->path.data[n_show] = '\0';
    char *msg = corpus_pathf(w->path.data, "%s%s", strerror(e),
                             depth > 0 ? corpus_skip_tail(w->o) : "");
    w->path.data[n_show] = c;
    if (depth > 0) return walk_problem(w, err, msg);
    *err = msg;
    return 1;
  }
  int fresh = visited_add(&w->seen, st.st_dev, st.st_ino);
  if (fresh <= 0) {
    close(fd);
    if (fresh == 0) return 0;                     /* a loop or a second link */
    *err = NULL;
    return 1;
  }
  DIR *d = fdopendir(fd);
  if (!d) {
    close(fd);
    return walk_problem(w, err, corpus_pathf(w->path.data, "%s%s", strerror(errno),
                                             corpus_skip_tail(w->o)));
  }
  rc = read_entries(w, d, &names, &ents, &n);
  closedir(d);
  if (rc != 0) *err = NULL;
  for (size_t i = 0; rc == 0 && i < n; i++) rc = walk_entry_add(w, root_len, &ents[i], err);
  free(ents);
  util_buf_free(&names);
  return rc;
}

/* ---------------------------------------------------------------------
** Roots
*/

static int doc_id_cmp(const void *a, const void *b) {
  return strcmp(((const corpus_doc *)a)->id, ((const corpus_doc *)b)->id);
}

/* Sort documents [first, n) of the store by id, unless they already are
** (the walk visits entries in path order, so they are unless linked
** folders were walked at the end). */
static void sort_root(corpus_store *st, size_t first) {
  for (size_t i = first + 1; i < st->n; i++) {
    if (strcmp(st->docs[i - 1].id, st->docs[i].id) > 0) {
      qsort(st->docs + first, st->n - first, sizeof *st->docs, doc_id_cmp);
      return;
    }
  }
}

/* Add the documents of one root: a directory (walked) or a file. */
static int walk_root(walker *w, const char *root, char **err) {
  struct stat st;
  if (stat(root, &st) != 0) {
    *err = corpus_pathf(root, "%s", strerror(errno));
    return 1;
  }
  size_t len = strlen(root);
  if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
    *err = corpus_pathf(root, "not a regular file or a folder (%s)",
                        corpus_file_kind(st.st_mode));
    return 1;
  }
  if (!S_ISDIR(st.st_mode)) {
    const char *slash = strrchr(root, '/');
    if (add_file(w, root, len, slash ? (size_t)(slash + 1 - root) : 0) != 0 ||
        !(w->st->docs[w->st->n - 1].root = 1)) {
      *err = NULL;
      return 1;
    }
    return 0;
  }
  w->path.len = 0;
  w->seen.n = 0;
  if (w->seen.slots) memset(w->seen.slots, 0, w->seen.cap * sizeof *w->seen.slots);
  if (util_buf_add(&w->path, root, len) != 0 ||
      (len && root[len - 1] != '/' && util_buf_add(&w->path, "/", 1) != 0)) {
    *err = NULL;
    return 1;
  }
  size_t first = w->st->n, root_len = w->path.len;
  int rc = walk_dir(w, root_len, 0, err);
  for (size_t k = 0; rc == 0 && k < w->n_deferred; k++) {   /* may grow */
    w->path.len = 0;
    if (util_buf_add(&w->path, w->deferred[k], strlen(w->deferred[k])) != 0)
      return *err = NULL, 1;
    rc = walk_dir(w, root_len, 1, err);
  }
  free_deferred(w);
  if (rc == 0) sort_root(w->st, first);
  return rc;
}

/* ---------------------------------------------------------------------
** Checking the options
*/

static int class_known(const char *s, size_t n) {
  static const char *const names[] = {"alnum", "alpha", "blank", "cntrl",
    "digit", "graph", "lower", "print", "punct", "space", "upper", "xdigit"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++)
    if (strlen(names[i]) == n && memcmp(names[i], s, n) == 0) return 1;
  return 0;
}

/* The end (the ']') of the bracket expression opening at g[0] == '[',
** or NULL and *why. */
static const char *bracket_end(const char *g, const char **why) {
  const char *q = g + 1;
  if (*q == '!' || *q == '^') q++;
  if (*q == ']') q++;                     /* a first ']' is itself */
  for (; *q != ']'; q++) {
    if (!*q) return *why = "a '[' without its closing ']'", NULL;
    if (*q == '\\' && q[1]) {
      q++;
    } else if (*q == '[' && (q[1] == ':' || q[1] == '=' || q[1] == '.')) {
      char kind = q[1];
      const char *e = q + 2;
      while (*e && !(e[0] == kind && e[1] == ']')) e++;
      if (!*e) return *why = "a '[:', '[=' or '[.' without its end", NULL;
      if (kind == ':' && !class_known(q + 2, (size_t)(e - q - 2)))
        return *why = "an unknown character class", NULL;
      q = e + 1;
    }
  }
  return q;
}

/* NULL when fnmatch(3) reads g as the pattern it looks like, else what is
** wrong (fnmatch itself reports nothing: a bad pattern matches nothing). */
static const char *glob_problem(const char *g) {
  const char *why = NULL;
  for (const char *p = g; *p; p++) {
    if (*p == '\\') {
      if (!*++p) return "it ends in a lone backslash";
    } else if (*p == '[') {
      if (!(p = bracket_end(p, &why))) return why;
    }
  }
  return NULL;
}

/* ext and glob are checked once, before any walk. */
static int check_opts(const corpus_opts *o, char **err) {
  const char *why;
  for (size_t i = 0; o->exts && i < o->n_exts; i++) {
    const char *e = o->exts[i];
    if (e && (!*e || (e[0] == '.' && !e[1]))) {
      *err = util_errorf("ext \"%s\" is empty: give extensions such as \"txt\"", e);
      return 1;
    }
  }
  if (o->glob && (why = glob_problem(o->glob)) != NULL) {
    char *shown = corpus_escape(o->glob, strlen(o->glob));
    *err = shown ? util_errorf("glob \"%s\" is not a valid pattern: %s", shown, why)
                 : NULL;
    free(shown);
    return 1;
  }
  return 0;
}

/* See corpus_walk.h.  A NULL or empty path is an error, in its turn. */
int corpus_walk_roots(const corpus_opts *opts, const char *const *paths,
                      size_t n, corpus_store *st, char **err) {
  walker w = {.o = opts, .st = st};
  int rc = check_opts(opts, err);
  for (size_t i = 0; rc == 0 && i < n; i++) {
    if (!paths[i]) {
      *err = util_errorf("corpus_load: path %zu is NULL", i + 1);
      rc = 1;
    } else if (!*paths[i]) {
      *err = n == 1 ? util_errorf("empty path")
                    : util_errorf("empty path (item %zu of the list)", i + 1);
      rc = 1;
    } else if (session_interrupted()) {
      *err = interrupted(&w);
      rc = 1;
    } else {
      rc = walk_root(&w, paths[i], err);
    }
  }
  util_buf_free(&w.path);
  free(w.seen.slots);
  free_deferred(&w);
  free(w.deferred);
  return rc;
}
