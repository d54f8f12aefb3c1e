/*
** encoding.h -- turning a file's bytes into UTF-8 text: UTF-8 validation
** (ASCII fast path), Windows-1252 decoding, iconv conversion, the BOM.
**
** Pure functions on caller-owned buffers; nothing here allocates except
** enc_iconv_convert, which grows the caller's util_buf.  All functions
** are thread-safe; an iconv_t must be used by one thread at a time.
*/
#ifndef LECTOR_ENCODING_H
#define LECTOR_ENCODING_H

#include <iconv.h>
#include <stddef.h>

#include "util.h"

/* Offset of the first byte of the first invalid or truncated UTF-8
** sequence in s[0..len), or len when all of it is valid UTF-8 (RFC 3629:
** no overlong forms, no surrogates, nothing above U+10FFFF). */
size_t enc_utf8_check(const char *s, size_t len);

/* Number of bytes of the UTF-8 BOM at s (3), or 0 when there is none. */
size_t enc_bom_len(const char *s, size_t len);

/* Bytes the Windows-1252 byte c takes once decoded to UTF-8 (1..3). */
size_t enc_cp1252_char_len(unsigned char c);

/* Decode s[0..len) from Windows-1252 into out, which must hold at least
** 3 * len + 1 bytes; out is NUL-terminated.  Returns the bytes written
** (without the NUL).  The five bytes Windows-1252 leaves undefined (0x81,
** 0x8D, 0x8F, 0x90, 0x9D) become the C1 controls of the same value, as
** WHATWG does. */
size_t enc_cp1252_decode(const char *s, size_t len, char *out);

/* The offset in s (Windows-1252) whose decoded prefix is dec_off bytes
** long; dec_off must fall on a character boundary of the decoded text. */
size_t enc_cp1252_src_offset(const char *s, size_t len, size_t dec_off);

/* Open a converter from the encoding named name to UTF-8.  0 and *cd
** (close with iconv_close), or nonzero and *err naming the encoding. */
int enc_iconv_open(const char *name, iconv_t *cd, char **err);

/* Convert s[0..len) with cd (reset first) into out, replacing out's
** contents; out->data[out->len] is '\0' and on success it is valid UTF-8.
** Returns 0; -1 when the input cannot be converted (*bad_off = input
** offset, *err_no = EILSEQ or EINVAL) or iconv's output is not valid
** UTF-8 (glibc passes UTF-8 beyond U+10FFFF through: *bad_off = the
** output offset, which is the input offset for UTF-8 input, *err_no =
** EILSEQ); -2 when out of memory. */
int enc_iconv_convert(iconv_t cd, const char *s, size_t len, util_buf *out,
                      size_t *bad_off, int *err_no);

#endif
