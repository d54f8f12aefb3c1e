/*
** util.h -- small helpers shared by the core: error strings, growable
** buffers.  Error messages made here are malloc'd; the receiver frees them
** with free().  A NULL message means the message itself could not be
** allocated: print "out of memory".
*/
#ifndef LECTOR_UTIL_H
#define LECTOR_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__)
#define UTIL_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define UTIL_PRINTF(f, a)
#endif

/* Format a message into malloc'd memory; NULL if that fails. */
char *util_errorf(const char *fmt, ...) UTIL_PRINTF(1, 2);
char *util_verrorf(const char *fmt, va_list ap);

/* The message to print for err (which may be NULL). */
#define UTIL_MSG(err) ((err) ? (err) : "out of memory")

/* A growable byte buffer; zero-initialise, free with util_buf_free. */
typedef struct util_buf {
  char *data;
  size_t len, cap;
} util_buf;

/* Make room for n more bytes; 0 on success, -1 when out of memory. */
int util_buf_reserve(util_buf *b, size_t n);
/* Append len bytes; 0 or -1. */
int util_buf_add(util_buf *b, const void *s, size_t len);
void util_buf_free(util_buf *b);

#endif
