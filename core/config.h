/*
** config.h -- tunables of the core, gathered in one place.  Each can be
** overridden at build time with -D.
*/
#ifndef LECTOR_CONFIG_H
#define LECTOR_CONFIG_H

/* Longest title kept per document, in bytes (cut at a UTF-8 boundary). */
#ifndef LECTOR_TITLE_MAX
#define LECTOR_TITLE_MAX 200
#endif

/* The dateline (docparse.h): how many non-empty body lines may hold one
** when no header gives a date, how many words besides the date a
** dateline line or opening group may have, and the longest line (bytes,
** trimmed) taken as a dateline when the date is not in an opening group. */
#ifndef LECTOR_DATELINE_LINES
#define LECTOR_DATELINE_LINES 5
#endif
#ifndef LECTOR_DATELINE_WORDS
#define LECTOR_DATELINE_WORDS 8
#endif
#ifndef LECTOR_DATELINE_BYTES
#define LECTOR_DATELINE_BYTES 100
#endif

/* Largest front-matter block read, in bytes. */
#ifndef LECTOR_FRONT_MATTER_MAX
#define LECTOR_FRONT_MATTER_MAX 16384
#endif

/* Lua instructions between two checks of the interrupt flag. */
#ifndef LECTOR_HOOK_COUNT
#define LECTOR_HOOK_COUNT 10000
#endif

/* Size of each thread's cache in front of the shared vocabulary (a power
** of two). */
#ifndef LECTOR_VOCAB_CACHE
#define LECTOR_VOCAB_CACHE 65536
#endif

#endif
