/*
** table.h -- the record formats of tabular corpora: CSV (RFC 4180), TSV
** (PostgreSQL COPY / MySQL escapes) and JSON lines (RFC 8259, checked as
** jansson checks it).
**
** Pure functions: no I/O, no globals, thread-safe.  The caller owns every
** buffer; nothing returned points anywhere but into the caller's record,
** except table_value's text, which lives only during its callback.
**
** How a loader uses it: feed a stream's UTF-8 bytes in pieces to
** table_scan_feed, which says where each record ends (the scanner keeps
** no bytes: a caller that buffers a record must cap its size, since an
** unclosed CSV quote runs to the end of the file); then take a record
** apart with table_split + table_field_copy (CSV, TSV) or table_json_each
** (JSON lines).
**
** Decisions (each tested in tests/test_table.c):
** - Records end at LF; a CR before it belongs to the line end (table_split
**   strips it, JSON ignores it).  A lone CR is data, not a line end.
** - A blank record (nothing but its line end; JSON lines: only white
**   space) is no record: the scanner flags it (rec_blank) so that the
**   caller skips it.  In every format, TSV included.
** - CSV: a quote opens a quoted field only at the field's start; spaces
**   and tabs before an opening quote and after a closing one are dropped
**   (` "a, b" ` is `a, b`), spaces in an unquoted field are kept.  A quote
**   anywhere else in an unquoted field makes the record malformed (the
**   scanner reads it as data, so the next records are not shifted).
** - TSV: a tab always separates; \t \n \r \\ are unescaped, any other
**   backslash pair (\N, \x) and a final lone backslash stay as written.
** - JSON lines: see table_json_each.
*/
#ifndef LECTOR_TABLE_H
#define LECTOR_TABLE_H

#include <stddef.h>
#include <stdint.h>

typedef enum table_format { TABLE_CSV, TABLE_TSV, TABLE_JSONL } table_format;

/* table_scan_feed's answer when the record goes on past the piece. */
#define TABLE_MORE ((size_t)-1)

/* Finds record ends in a stream fed in pieces: each byte is looked at
** once, the state is kept between calls.  The rec_ fields describe the
** record that the last table_scan_feed (a return other than TABLE_MORE)
** or table_scan_end (a return of 1) ended; the caller reads them and
** never writes any field. */
typedef struct table_scan {
  uint64_t rec_start;   /* stream offset of its first byte */
  uint64_t rec_end;     /* stream offset just past it (past its line end) */
  uint64_t rec_line;    /* the physical line (1-based) it starts on */
  int rec_blank;        /* 1: a blank record, to skip */
  uint64_t lines;       /* LFs seen so far (physical lines ended) */
  /* private */
  table_format format;
  int state;            /* CSV: plain, in quotes, or a quote just seen in quotes */
  int fstart;           /* CSV: only spaces since the start of the field */
  int nonblank;         /* the record so far has a byte that is not blank */
  uint64_t pos;         /* bytes fed so far */
  uint64_t cur_start, cur_line;   /* the record in progress */
} table_scan;

/* Start scanning a stream of format f (stream offset 0, line 1). */
void table_scan_init(table_scan *s, table_format f);

/* Scan p[0..n), the bytes of the stream that follow those already fed.
** Returns the number of bytes of p up to and including the LF that ends
** the current record (s->rec_* then describe it), or TABLE_MORE when the
** record goes on past p (all n bytes were taken).  Feed the rest of p
** again after a record end.  CSV: an LF inside a quoted field does not end
** the record.  TSV and JSON lines: every LF ends a record. */
size_t table_scan_feed(table_scan *s, const char *p, size_t n);

/* The stream ended.  1 when bytes after the last record end form a final
** record without a line end (s->rec_* describe it: it may be blank, or a
** CSV record with an unclosed quote, which table_split reports); 0 when
** there are none.  The scanner is then ready for a new stream at the
** same offset. */
int table_scan_end(table_scan *s);

/* One field of a CSV/TSV record: rec[off..off+len), flagged escaped when
** table_field_copy must unescape it (a quoted CSV field with doubled
** quotes, a TSV field with a backslash).  A quoted CSV field's span
** excludes its quotes. */
typedef struct table_field {
  size_t off, len;
  int escaped;
} table_field;

/* Split rec[0..n) (one record; a final LF and the CR before it are
** dropped) into at most max fields, written to out (caller-owned).  An
** empty record is one empty field.  0 and *nf fields; -1 and *why, a
** static English phrase, when the record is malformed: "a quote inside an
** unquoted field", "text after a closing quote", "unclosed quote", "more
** fields than the limit" (max: the caller names the number), "JSON lines
** have no fields" (f is TABLE_JSONL).  A field count that differs from
** the header's is the caller's check. */
int table_split(table_format f, const char *rec, size_t n, table_field *out,
                size_t max, size_t *nf, const char **why);

/* The value of field fl of rec (as table_split gave it), unescaped, into
** out, which holds at least fl->len + 1 bytes; out is NUL-terminated (the
** value itself may hold NUL bytes).  Returns its length, <= fl->len. */
size_t table_field_copy(table_format f, const char *rec, const table_field *fl,
                        char *out);

/* One member of a JSON object's top level, as table_json_each shows it. */
typedef struct table_value {
  const char *key;      /* UTF-8, key_len bytes, decoded from its escapes */
  size_t key_len;
  char type;            /* 's' string, 'n' number, 'b' boolean, 'z' null,
                           'j' array or object */
  const char *val;      /* UTF-8 text, len bytes, NUL-terminated: the decoded
                           string (may hold a NUL from \u0000); the number as
                           written ("1.50", "-0", "1e3", "123456789012345678901");
                           "true"/"false"; "null"; an array or object as written
                           less the white space outside its strings (numbers and
                           escapes untouched) */
  size_t len;
} table_value;

/* Parse rec[0..n) as one JSON object (white space, a CR included, around
** it is fine) and call fn(ud, v) for each top-level member in document
** order; v and its text are valid only during the call.  fn runs only
** once the whole line proved valid: never on a malformed line.  Returns
** 0 when every member was seen; fn's return when it is nonzero (use
** positive values, to tell them from ours); -1 when the record is
** malformed, -2 when out of memory, with a message in why[0..whylen)
** (NUL-terminated, truncated to fit): "expected a JSON object, got an
** array", "invalid JSON at column 17: expected ',' or '}', got 'x'"
** (columns count characters from 1).  Malformed: what RFC 8259 and
** jansson (json_loadb, the reference the tests and fuzz_table compare
** with) refuse: trailing text, a truncated object, invalid UTF-8 (RFC
** 3629), control characters in strings, a bad escape or a lone
** surrogate, a raw NUL byte, values nested more than 2048 deep; and, as
** jansson's JSON_REJECT_DUPLICATES, a key given twice in one object (at
** any depth; keys compared decoded), a key holding \u0000, a number
** beyond a double's range (|x| >= 2^1024 - 2^970, which strtod rounds to
** infinity).  Integers of any size are fine: their text is kept as
** written.  One pass, no parser library: about as fast as table_json_get
** (bench_table prints both beside jansson's parse).  It holds 2n + 3
** bytes (and, past 32 members or 32 keys, tables of them) for the call. */
int table_json_each(const char *rec, size_t n,
                    int (*fn)(void *ud, const table_value *v), void *ud,
                    char *why, size_t whylen);

/* One string member, for reading again a record that table_json_each
** accepted when it was loaded (doc.text): the first top-level member of
** rec[0..n) whose key is key[0..key_len), decoded into out (caller-owned,
** at least n + 1 bytes; NUL-terminated, *len bytes; the value may hold a
** NUL from \u0000) when its value is a string.  0 when found; 1 when
** there is no such member or its value is not a string (out is ""); -1
** (-2: out of memory) and a message in why[0..whylen) when the line is
** malformed, as table_json_each says: it is table_json_each stopped at
** that member. */
int table_json_get(const char *rec, size_t n, const char *key, size_t key_len,
                   char *out, size_t *len, char *why, size_t whylen);

#endif
