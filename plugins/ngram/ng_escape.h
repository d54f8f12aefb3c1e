/*
** ng_escape.h -- the escaping of words in saved grams (ng_format.h):
**   \  -> \\      TAB -> \t     LF -> \n     CR -> \r
**   a space inside a word -> \s
**   any other byte below 0x20 -> \xHH (lower-case hex)
** Every other byte is itself.  Escaped text holds no byte <= 0x20.
*/
#ifndef NG_ESCAPE_H
#define NG_ESCAPE_H

/* The escaped form of byte c into out (no NUL); returns its length: 1,
** 2 or 4. */
static inline int ng_esc(unsigned char c, char out[4]) {
  static const char hex[] = "0123456789abcdef";
  if (c > 0x20 && c != '\\') {
    out[0] = (char)c;
    return 1;
  }
  out[0] = '\\';
  switch (c) {
    case '\\': out[1] = '\\'; return 2;
    case '\t': out[1] = 't'; return 2;
    case '\n': out[1] = 'n'; return 2;
    case '\r': out[1] = 'r'; return 2;
    case ' ': out[1] = 's'; return 2;
    default:
      out[1] = 'x';
      out[2] = hex[c >> 4];
      out[3] = hex[c & 15];
      return 4;
  }
}

#endif
