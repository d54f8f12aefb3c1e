/*
** corpus_rows.c -- documents that are rows of a table file (CSV, TSV,
** JSON lines): loading one file's rows on a load worker, and reading a
** row's text back on demand.
**
** A row keeps where its record lies in the file's decoded stream
** (corpus_source.h): row_off and row_len.  Its text is not kept: reading
** it back reads the record (source_pread: pread for a plain file, the
** index and span cache for gzip and UTF-16/32), splits it again and
** copies the text field out.  What stays in memory per row is its
** corpus_doc, its id, title and the other fields as metadata.
**
** The text field of a file is chosen once: CSV and TSV from the header
** row, JSON lines from the first object that has one of the names.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "corpus_internal.h"
#include "corpus_meta.h"
#include "corpus_source.h"
#include "docparse.h"
#include "encoding.h"
#include "mem.h"
#include "table.h"
#include "util.h"

static const char *const text_names[] = {"text", "body", "content", "article", NULL};
static const char *const date_names[] = {"date", "published", "published_at", NULL};
static const char *const title_names[] = {"title", "headline", NULL};

/* The state of one file's load. */
typedef struct rows {
  corpus_rows_job *job;
  table_format fmt;
  table_scan scan;
  util_buf rec;         /* a record that spans reads */
  int overflow;         /* the record in rec passed LECTOR_ROW_MAX */
  util_buf field;       /* a field's value, unescaped */
  util_buf meta;        /* the row's metadata block being built */
  table_field *fields;  /* LECTOR_TABLE_COLS */
  char **names;         /* the header's column names (CSV, TSV) */
  size_t ncols;
  int text_col, id_col, date_col, title_col;
  const char *text_key; /* JSON: the text field's name (in the arena) */
  uint64_t nrows;       /* data records seen (for default ids) */
  uint64_t bad_dates, bad_date_line;
  char *bad_date;       /* the first date value that is not a date */
  size_t warned;        /* row warnings given */
  uint64_t more;        /* row warnings past LECTOR_ROW_WARNINGS */
  util_buf fields_seen; /* JSON: the first object's members, for a message */
  /* the row being built */
  const char *text;     /* its text (rows.field, or the record for JSON) */
  size_t text_len;
  const char *id, *title, *date_val;
  size_t id_len, title_len, date_len;
  int text_type;        /* JSON: the type of the text member */
} rows;

/* ---------------------------------------------------------------------
** Messages
*/

/* A problem with one record: a warning naming file:line (the first
** LECTOR_ROW_WARNINGS of them; the rest are counted), or with strict the
** error that stops the load.  LOAD_OK to go on, else LOAD_SKIP / LOAD_OOM
** with *msg. */
static int row_problem(rows *r, uint64_t line, char **msg, const char *fmt,
                       ...) __attribute__((format(printf, 4, 5)));
static int row_problem(rows *r, uint64_t line, char **msg, const char *fmt,
                       ...) {
  corpus_rows_job *j = r->job;
  if (!j->o->strict && r->warned >= LECTOR_ROW_WARNINGS) {
    r->more++;
    return LOAD_OK;
  }
  va_list ap;
  va_start(ap, fmt);
  char *why = util_verrorf(fmt, ap);
  va_end(ap);
  char *m = why ? corpus_linef(j->file->path, line, "%s%s", why,
                               j->o->strict ? " (strict)" : ", skipped")
                : NULL;
  free(why);
  if (!m) return LOAD_OOM;
  if (j->o->strict) return *msg = m, LOAD_SKIP;
  r->warned++;
  return j->warn(j->ctx, line, m) == 0 ? LOAD_OK : LOAD_OOM;
}

/* Case-sensitive, then case-insensitive: the index of the first of
** wanted among the names, or -1. */
static int find_name(char *const *names, size_t n, const char *const *wanted) {
  for (int ci = 0; ci < 2; ci++)
    for (size_t w = 0; wanted[w]; w++)
      for (size_t k = 0; k < n; k++)
        if (ci ? strcasecmp(names[k], wanted[w]) == 0
               : strcmp(names[k], wanted[w]) == 0)
          return (int)k;
  return -1;
}

/* 1 when key is one of names (ignoring case). */
static int name_in(const char *key, const char *const *names) {
  for (size_t w = 0; names[w]; w++)
    if (strcasecmp(key, names[w]) == 0) return 1;
  return 0;
}

/* "a, b, c" of the header's names (for a message), malloc'd. */
static char *name_list(char *const *names, size_t n) {
  util_buf b = {0};
  for (size_t k = 0; k < n && k < 20; k++) {
    if (k) util_buf_add(&b, ", ", 2);
    util_buf_add(&b, names[k], strlen(names[k]));
  }
  if (n > 20) util_buf_add(&b, ", ...", 5);
  if (util_buf_add(&b, "", 1) != 0) {
    util_buf_free(&b);
    return NULL;
  }
  return b.data;
}

/* ---------------------------------------------------------------------
** The header (CSV, TSV)
*/

static void free_names(rows *r) {
  for (size_t k = 0; r->names && k < r->ncols; k++) free(r->names[k]);
  free(r->names);
  r->names = NULL;
}

/* A table that cannot be read without a column named (no text column, a
** column the options name is missing): the load fails on a table given as
** a root, naming its columns, so that the user can say which; one found
** in a folder is skipped with that warning (an error with strict). */
static int no_column(const corpus_rows_job *j, char **msg) {
  if (!*msg) return LOAD_OOM;
  if (j->file->root) return LOAD_FAIL;
  char *m = util_errorf("%s%s", *msg, corpus_skip_tail(j->o));
  free(*msg);
  *msg = m;
  return m ? LOAD_SKIP : LOAD_OOM;
}

/* Which column is the text, id, date, title.  LOAD_OK, or no_column's
** answer. */
static int choose_columns(rows *r, char **msg) {
  const corpus_opts *o = r->job->o;
  const char *one[2] = {NULL, NULL};
  one[0] = o->text_field;
  r->text_col = find_name(r->names, r->ncols, o->text_field ? one : text_names);
  one[0] = o->id_field;
  r->id_col = o->id_field ? find_name(r->names, r->ncols, one) : -1;
  one[0] = o->date_field;
  r->date_col = find_name(r->names, r->ncols, o->date_field ? one : date_names);
  r->title_col = find_name(r->names, r->ncols, title_names);
  const char *missing = r->text_col < 0 ? (o->text_field ? o->text_field : NULL)
                      : r->id_col < 0 && o->id_field ? o->id_field
                      : r->date_col < 0 && o->date_field ? o->date_field : "";
  if (r->text_col >= 0 && !*missing) return LOAD_OK;
  char *cols = name_list(r->names, r->ncols);
  if (!cols) return LOAD_OOM;
  *msg = missing ? corpus_pathf(r->job->file->path, "no column '%s' (the columns "
                                "are: %s)", missing, cols)
                 : corpus_pathf(r->job->file->path, "no text column: none of text, "
                                "body, content, article (the columns are: %s); "
                                "name one with the option text", cols);
  free(cols);
  return no_column(r->job, msg);
}

/* Read the header record.  LOAD_OK, LOAD_SKIP (*msg), LOAD_OOM. */
static int header(rows *r, const char *rec, size_t n, char **msg) {
  const char *why;
  size_t nf;
  if (table_split(r->fmt, rec, n, r->fields, LECTOR_TABLE_COLS, &nf, &why) != 0) {
    *msg = corpus_linef(r->job->file->path, r->scan.rec_line, "the header row "
                        "is malformed (%s)%s", why, corpus_skip_tail(r->job->o));
    return *msg ? LOAD_SKIP : LOAD_OOM;
  }
  if (!(r->names = calloc(nf, sizeof *r->names))) return LOAD_OOM;
  r->ncols = nf;
  for (size_t k = 0; k < nf; k++) {
    if (!(r->names[k] = malloc(r->fields[k].len + 1))) return LOAD_OOM;
    size_t len = table_field_copy(r->fmt, rec, &r->fields[k], r->names[k]);
    while (len && (r->names[k][len - 1] == ' ')) r->names[k][--len] = '\0';
  }
  return choose_columns(r, msg);
}

/* ---------------------------------------------------------------------
** One row
*/

/* Add a metadata entry; 0, or LOAD_OOM. */
static int add_meta(rows *r, const char *key, size_t klen, int type,
                    const char *val, size_t vlen) {
  return meta_add(&r->meta, key, klen, type, val, vlen) < 0 ? LOAD_OOM : LOAD_OK;
}

/* Copy field k of rec into r->field; its value. */
static const char *field_value(rows *r, const char *rec, size_t k, size_t *len) {
  const table_field *f = &r->fields[k];
  if (util_buf_reserve(&r->field, f->len + 1) != 0) return NULL;
  r->field.len = table_field_copy(r->fmt, rec, f, r->field.data);
  *len = r->field.len;
  return r->field.data;
}

/* The fields of a CSV/TSV row into r (text copied, others as metadata).
** LOAD_OK; LOAD_WARN when the row is skipped (warned); LOAD_SKIP/OOM. */
static int split_row(rows *r, const char *rec, size_t n, char **msg) {
  const char *why;
  size_t nf;
  uint64_t line = r->scan.rec_line;
  if (table_split(r->fmt, rec, n, r->fields, LECTOR_TABLE_COLS, &nf, &why) != 0) {
    int st = row_problem(r, line, msg, "malformed row (%s)", why);
    return st == LOAD_OK ? LOAD_WARN : st;
  }
  if (nf != r->ncols) {
    int st = row_problem(r, line, msg, "%zu fields, the header has %zu", nf, r->ncols);
    return st == LOAD_OK ? LOAD_WARN : st;
  }
  for (size_t k = 0; k < nf; k++) {
    if ((int)k == r->text_col) continue;
    const table_field *f = &r->fields[k];
    char *v = malloc(f->len + 1);
    if (!v) return LOAD_OOM;
    size_t len = table_field_copy(r->fmt, rec, f, v);
    int st = add_meta(r, r->names[k], strlen(r->names[k]), CORPUS_META_STRING, v,
                      memchr(v, '\0', len) ? strlen(v) : len);
    if (st == LOAD_OK && (int)k == r->id_col) r->id = v, r->id_len = len;
    else if (st == LOAD_OK && (int)k == r->date_col) r->date_val = v, r->date_len = len;
    else if (st == LOAD_OK && (int)k == r->title_col) r->title = v, r->title_len = len;
    else free(v);
    if (st != LOAD_OK) return st;
  }
  r->text = field_value(r, rec, (size_t)r->text_col, &r->text_len);
  return r->text ? LOAD_OK : LOAD_OOM;
}

/* A malloc'd copy of v's text. */
static char *dup_value(const table_value *v) {
  char *s = malloc(v->len + 1);
  if (s) memcpy(s, v->val, v->len + 1);
  return s;
}

/* table_json_each's fn: one member of a JSON row. */
static int json_member(void *ud, const table_value *v) {
  rows *r = ud;
  const corpus_opts *o = r->job->o;
  char key[256];
  if (v->key_len >= sizeof key || memchr(v->key, '\0', v->key_len)) return 0;
  memcpy(key, v->key, v->key_len);
  key[v->key_len] = '\0';
  if (r->text_key && strcmp(key, r->text_key) == 0) {
    if (util_buf_reserve(&r->field, v->len + 1) != 0) return 2;
    memcpy(r->field.data, v->val, v->len + 1);
    r->field.len = v->len;
    r->text = r->field.data;
    r->text_len = v->len;
    r->text_type = v->type;
    return 0;
  }
  if (v->type == 'z') return 0;
  int type = v->type == 'n' ? CORPUS_META_NUMBER : v->type == 'b' ? CORPUS_META_BOOL
           : v->type == 'j' ? CORPUS_META_JSON : CORPUS_META_STRING;
  size_t len = memchr(v->val, '\0', v->len) ? strlen(v->val) : v->len;
  if (add_meta(r, key, v->key_len, type, v->val, len) != LOAD_OK) return 2;
  const char **slot = NULL;
  size_t *slen = NULL;
  if (o->id_field ? strcmp(key, o->id_field) == 0 : 0) slot = &r->id, slen = &r->id_len;
  else if (o->date_field ? strcmp(key, o->date_field) == 0
                         : !r->date_val && name_in(key, date_names))
    slot = &r->date_val, slen = &r->date_len;
  else if (!r->title && name_in(key, title_names))
    slot = &r->title, slen = &r->title_len;
  if (slot) {
    free((char *)*slot);
    if (!(*slot = dup_value(v))) return 2;
    *slen = len;
  }
  return 0;
}

/* table_json_each's fn for the first object with a text field: the name
** of the text field, by the option or the first default present. */
typedef struct json_pick {
  const corpus_opts *o;
  char *key;
  int rank;
  util_buf *seen;       /* the first object's member names, for a message */
} json_pick;

static int json_pick_member(void *ud, const table_value *v) {
  json_pick *p = ud;
  if (p->seen) {
    if (p->seen->len) util_buf_add(p->seen, ", ", 2);
    util_buf_add(p->seen, v->key, memchr(v->key, '\0', v->key_len) ? 0 : v->key_len);
  }
  const char *const *names = text_names;
  const char *one[2] = {p->o->text_field, NULL};
  if (p->o->text_field) names = one;
  for (int k = 0; names[k] && k < p->rank; k++) {
    if (strlen(names[k]) == v->key_len && memcmp(names[k], v->key, v->key_len) == 0) {
      free(p->key);
      if (!(p->key = strdup(names[k]))) return 2;
      p->rank = k;
    }
  }
  return 0;
}

/* The members of a JSON row into r.  LOAD_OK, LOAD_WARN, LOAD_SKIP/OOM. */
static int json_row(rows *r, const char *rec, size_t n, char **msg) {
  char why[256];
  uint64_t line = r->scan.rec_line;
  int st;
  if (!r->text_key) {
    json_pick p = {r->job->o, NULL, 1 << 20, r->fields_seen.data ? NULL : &r->fields_seen};
    int rc = table_json_each(rec, n, json_pick_member, &p, why, sizeof why);
    if (p.seen && util_buf_add(&r->fields_seen, "", 1) != 0) rc = -2;
    if (rc == -2 || rc == 2) return free(p.key), LOAD_OOM;
    if (rc == -1) {
      st = row_problem(r, line, msg, "%s", why);
      return st == LOAD_OK ? LOAD_WARN : st;
    }
    if (p.key) {
      r->text_key = arena_strndup(r->job->strings, p.key, strlen(p.key));
      free(p.key);
      if (!r->text_key) return LOAD_OOM;
    }
  }
  r->text = NULL;
  int rc = table_json_each(rec, n, json_member, r, why, sizeof why);
  if (rc == -2 || rc == 2) return LOAD_OOM;
  if (rc == -1) {
    st = row_problem(r, line, msg, "%s", why);
    return st == LOAD_OK ? LOAD_WARN : st;
  }
  if (!r->text) {
    const char *o = r->job->o->text_field;
    st = o || r->text_key
       ? row_problem(r, line, msg, "no field '%s'", o ? o : r->text_key)
       : row_problem(r, line, msg, "no text field: none of text, body, content, "
                     "article; name one with the option text");
    return st == LOAD_OK ? LOAD_WARN : st;
  }
  if (r->text_type != 's') {
    st = row_problem(r, line, msg, "the field '%s' is not a string", r->text_key);
    return st == LOAD_OK ? LOAD_WARN : st;
  }
  return LOAD_OK;
}

/* A display copy of s[0..n) in the arena, cut to max bytes at a UTF-8
** boundary: NULL when out of memory. */
static const char *shown(rows *r, const char *s, size_t n, size_t max, int *oom) {
  if (n > max) {
    n = max;
    while (n && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
  }
  const char *a = arena_strndup(r->job->strings, s, n);
  if (!a) return *oom = 1, NULL;
  return corpus_display(r->job->strings, a, n, oom);
}

/* The date of the row: its date column, else (dates "auto") a dateline
** in its text. */
static void row_date(rows *r, corpus_doc *d, const char *text, size_t len) {
  const corpus_opts *o = r->job->o;
  if (o->dates == CORPUS_DATES_NONE) return;
  if (r->date_val) {
    d->date = docparse_date_value(r->date_val, r->date_len);
    if (d->date) {
      d->date_source = CORPUS_DATE_COLUMN;
      return;
    }
    if (r->date_len && r->bad_dates++ == 0) {
      r->bad_date = strndup(r->date_val, r->date_len > 60 ? 60 : r->date_len);
      r->bad_date_line = r->scan.rec_line;
    }
  }
  if (o->dates == CORPUS_DATES_AUTO) {
    d->date = docparse_dateline(text, len, LECTOR_DATELINE_LINES, 0);
    if (d->date) d->date_source = CORPUS_DATE_TEXT;
  }
}

/* Fill the row's corpus_doc from r and push it.  LOAD_OK or LOAD_OOM. */
static int push_row(rows *r, uint64_t off, size_t len) {
  corpus_rows_job *j = r->job;
  corpus_doc d = *j->file;
  int oom = 0;
  char idbuf[32];
  const char *text = r->text, *dec = NULL;
  size_t tlen = r->text_len;
  d.format = (uint8_t)j->format;
  d.row_off = off;
  d.row_len = (uint32_t)len;
  d.line = (uint32_t)r->scan.rec_line;
  d.file = j->file_no;
  d.body_off = 0;
  d.encoding = CORPUS_ENC_UTF8;
  if (enc_utf8_check(text, tlen) != tlen) {          /* one row in Windows-1252 */
    char *c = malloc(3 * tlen + 1);
    if (!c) return LOAD_OOM;
    d.bytes = enc_cp1252_decode(text, tlen, c);
    text = dec = c;
    tlen = (size_t)d.bytes;
    d.encoding = CORPUS_ENC_CP1252;
  }
  d.bytes = tlen;
  if (r->id && r->id_len) d.id = shown(r, r->id, r->id_len, 4096, &oom);
  else {
    snprintf(idbuf, sizeof idbuf, "#%llu", (unsigned long long)r->nrows);
    size_t k = strlen(j->file->id), m = strlen(idbuf);
    char *id = arena_alloc(j->strings, k + m + 1);
    if (id) {
      memcpy(id, j->file->id, k);
      memcpy(id + k, idbuf, m + 1);
    }
    d.id = id;
    oom = !id;
  }
  if (r->title && r->title_len) d.title = shown(r, r->title, r->title_len, LECTOR_TITLE_MAX, &oom);
  else {
    docparse_span t = docparse_title(text, tlen, LECTOR_TITLE_MAX);
    d.title = t.len ? shown(r, text + t.off, t.len, LECTOR_TITLE_MAX, &oom) : "";
  }
  row_date(r, &d, text, tlen < 65536 ? tlen : 65536);
  free((char *)dec);
  d.meta = meta_finish(&r->meta, j->strings);
  if (oom || (r->meta.len && !d.meta) || !d.id || !d.title) return LOAD_OOM;
  corpus_rows *out = j->rows;
  if (out->n == out->cap) {
    size_t cap = out->cap ? 2 * out->cap : 64;
    corpus_doc *nd = mem_realloc(out->docs, cap * sizeof *nd);
    if (!nd) return LOAD_OOM;
    out->docs = nd;
    out->cap = cap;
  }
  out->docs[out->n++] = d;
  return LOAD_OK;
}

static void row_reset(rows *r) {
  free((char *)r->id);
  free((char *)r->date_val);
  free((char *)r->title);
  r->id = r->date_val = r->title = NULL;
  r->text = NULL;
  r->meta.len = 0;
}

/* One record rec[0..n) (its line end included) at stream offset off. */
static int record(rows *r, const char *rec, size_t n, char **msg) {
  uint64_t off = r->scan.rec_start;
  int st;
  while (n && (rec[n - 1] == '\n' || rec[n - 1] == '\r')) n--;
  if (r->scan.rec_blank) return LOAD_OK;
  if (r->overflow) {
    r->overflow = 0;
    return row_problem(r, r->scan.rec_line, msg, "a record longer than %u MB "
                       "(an unclosed quote?)", LECTOR_ROW_MAX >> 20);
  }
  if (r->fmt != TABLE_JSONL && !r->names) return header(r, rec, n, msg);
  r->nrows++;
  st = r->fmt == TABLE_JSONL ? json_row(r, rec, n, msg) : split_row(r, rec, n, msg);
  if (st == LOAD_OK) {
    if (memchr(r->text, '\0', r->text_len)) {
      st = row_problem(r, r->scan.rec_line, msg, "a NUL byte in the text");
    } else {
      st = push_row(r, off, n);
    }
  } else if (st == LOAD_WARN) {
    st = LOAD_OK;
  }
  row_reset(r);
  return st;
}

/* ---------------------------------------------------------------------
** Streaming a file
*/

/* Feed p[0..n) to the scanner; whole records go to record(), the start
** of one that goes on is kept in r->rec. */
static int feed(rows *r, const char *p, size_t n, char **msg) {
  while (n > 0) {
    size_t k = table_scan_feed(&r->scan, p, n);
    if (k == TABLE_MORE) {
      if (r->rec.len + n > LECTOR_ROW_MAX) r->overflow = 1;
      else if (util_buf_add(&r->rec, p, n) != 0) return LOAD_OOM;
      return LOAD_OK;
    }
    int st;
    if (r->rec.len == 0 && !r->overflow) {
      st = record(r, p, k, msg);                    /* within this read */
    } else {
      if (!r->overflow && util_buf_add(&r->rec, p, k) != 0) return LOAD_OOM;
      st = record(r, r->rec.data, r->rec.len, msg);
      r->rec.len = 0;
    }
    if (st != LOAD_OK) return st;
    p += k;
    n -= k;
  }
  return LOAD_OK;
}

/* The summary warnings of a file: rows past the warning limit, dates
** that are no dates. */
static int summaries(rows *r) {
  corpus_rows_job *j = r->job;
  if (r->more) {
    char *m = corpus_pathf(j->file->path, "%llu more rows skipped (only the "
                           "first %d are named)", (unsigned long long)r->more,
                           LECTOR_ROW_WARNINGS);
    if (!m || j->warn(j->ctx, 0, m) != 0) return LOAD_OOM;
  }
  if (r->bad_dates) {
    char *m = corpus_pathf(j->file->path, "%llu row%s with a date that cannot be "
                           "read (the first, line %llu: \"%s\"): no "
                           "date", (unsigned long long)r->bad_dates, r->bad_dates == 1 ? "" : "s",
                           (unsigned long long)r->bad_date_line,
                           r->bad_date ? r->bad_date : "");
    if (!m || j->warn(j->ctx, 0, m) != 0) return LOAD_OOM;
  }
  return LOAD_OK;
}

static void rows_free(rows *r) {
  row_reset(r);
  free_names(r);
  free(r->fields);
  free(r->bad_date);
  util_buf_free(&r->rec);
  util_buf_free(&r->field);
  util_buf_free(&r->meta);
  util_buf_free(&r->fields_seen);
}

/* See corpus_internal.h. */
int corpus_rows_load(corpus_rows_job *j, source *src, char **msg) {
  rows r = {.job = j, .text_col = -1, .id_col = -1, .date_col = -1, .title_col = -1};
  size_t first = j->rows->n;
  int st = LOAD_OK;
  *msg = NULL;
  r.fmt = j->format == CORPUS_FMT_CSV ? TABLE_CSV
        : j->format == CORPUS_FMT_TSV ? TABLE_TSV : TABLE_JSONL;
  table_scan_init(&r.scan, r.fmt);
  if (!(r.fields = malloc(LECTOR_TABLE_COLS * sizeof *r.fields))) st = LOAD_OOM;
  while (st == LOAD_OK) {
    if (j->stopped(j->ctx)) {
      st = LOAD_STOP;
      break;
    }
    ssize_t got = source_read(src, j->chunk, j->chunk_size, msg);
    if (got < 0) {
      st = *msg ? LOAD_SKIP : LOAD_OOM;
      break;
    }
    if (got == 0) {
      if (table_scan_end(&r.scan))
        st = record(&r, r.rec.data ? r.rec.data : "", r.rec.len, msg);
      break;
    }
    st = feed(&r, j->chunk, (size_t)got, msg);
  }
  if (st == LOAD_OK && r.fmt != TABLE_JSONL && !r.names) {
    *msg = corpus_pathf(j->file->path, "no header row (the file is empty)%s",
                        corpus_skip_tail(j->o));
    st = *msg ? LOAD_SKIP : LOAD_OOM;
  }
  if (st == LOAD_OK && r.fmt == TABLE_JSONL && !r.text_key && r.fields_seen.data) {
    const char *o = j->o->text_field;
    *msg = o ? corpus_pathf(j->file->path, "no line has the field '%s' (the first "
                            "object's fields are: %s)", o, r.fields_seen.data)
             : corpus_pathf(j->file->path, "no text field: no line has text, body, "
                            "content or article (the first object's fields are: "
                            "%s); name one with the option text", r.fields_seen.data);
    st = no_column(j, msg);
  }
  if (st == LOAD_OK) st = summaries(&r);
  if (st == LOAD_OK) {
    char *e = NULL;
    j->out->index = source_index_take(src, &e);
    j->out->text_field = r.fmt == TABLE_JSONL ? r.text_key : NULL;
    j->out->text_col = (uint32_t)(r.text_col < 0 ? 0 : r.text_col);
    if (!j->out->index) {
      free(e);
      st = LOAD_OOM;
    }
  }
  if (st != LOAD_OK) j->rows->n = first;           /* none of its rows */
  rows_free(&r);
  return st;
}

/* ---------------------------------------------------------------------
** Text on demand
*/

/* See corpus_internal.h. */
int corpus_rows_text(const corpus_file *f, const corpus_doc *d, int fd,
                     util_buf *out, char **err) {
  util_buf rec = {0};
  table_field *fields = NULL;
  int rc = 1;
  *err = NULL;
  if (source_pread(fd, d->path, f->index, d->row_off, d->row_len, &rec, err) != 0)
    goto done;
  out->len = 0;
  if (d->format == CORPUS_FMT_JSONL) {
    char why[200];
    size_t len;
    if (util_buf_reserve(out, rec.len + 1) != 0) goto done;
    int r = table_json_get(rec.data, rec.len, f->text_field, strlen(f->text_field),
                           out->data, &len, why, sizeof why);
    if (r != 0) {
      *err = corpus_linef(d->path, d->line, "changed since it was loaded (%s); "
                          "load it again", r < 0 ? why : "no text field");
      goto done;
    }
    out->len = len;
  } else {
    table_format tf = d->format == CORPUS_FMT_CSV ? TABLE_CSV : TABLE_TSV;
    size_t nf;
    const char *why = "too few fields";
    if (!(fields = malloc(LECTOR_TABLE_COLS * sizeof *fields))) goto done;
    if (table_split(tf, rec.data, rec.len, fields, LECTOR_TABLE_COLS, &nf, &why) != 0 ||
        nf <= f->text_col) {
      *err = corpus_linef(d->path, d->line, "changed since it was loaded (%s); "
                          "load it again", why);
      goto done;
    }
    if (util_buf_reserve(out, fields[f->text_col].len + 1) != 0) goto done;
    out->len = table_field_copy(tf, rec.data, &fields[f->text_col], out->data);
  }
  if (d->encoding == CORPUS_ENC_CP1252) {
    util_buf dec = {0};
    if (util_buf_reserve(&dec, 3 * out->len + 1) != 0) goto done;
    dec.len = enc_cp1252_decode(out->data, out->len, dec.data);
    dec.data[dec.len] = '\0';
    util_buf_free(out);
    *out = dec;
  }
  rc = 0;
done:
  free(fields);
  util_buf_free(&rec);
  return rc;
}
