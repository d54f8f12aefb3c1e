/*
** ng_config.h -- tunables of the ngram plugin, gathered in one place.
** Each can be overridden at build time with -D.
*/
#ifndef NG_CONFIG_H
#define NG_CONFIG_H

/* Longest n-gram counted (ids per key).  The save format and the Lua API
** accept 1..NG_MAX_N. */
#ifndef NG_MAX_N
#define NG_MAX_N 5
#endif

/* Largest skip (words that may be left out between two words of a
** skip-gram). */
#ifndef NG_MAX_SKIP
#define NG_MAX_SKIP 8
#endif

/* Load factor, in percent, at which a counting table doubles. */
#ifndef NG_LOAD_GROW
#define NG_LOAD_GROW 70
#endif

/* Load factor, in percent, of a finished (compacted) table. */
#ifndef NG_LOAD_FINAL
#define NG_LOAD_FINAL 75
#endif

/* Grams a counting table has room for when it starts (without groups;
** a table per group starts at 8 slots).  Tables double from there. */
#ifndef NG_INITIAL_CAP
#define NG_INITIAL_CAP 4096
#endif

/* Slot arrays of at least this many bytes ask for transparent huge
** pages (Linux). */
#ifndef NG_HUGE_BYTES
#define NG_HUGE_BYTES (4u << 20)
#endif

/* Grams waiting (their table slots prefetched) before they are counted:
** a power of two. */
#ifndef NG_QUEUE
#define NG_QUEUE 16
#endif

/* Tokens waiting (their word-cache slots prefetched) before they get
** their ids, and the bytes of their words. */
#ifndef NG_WORDCACHE_BATCH
#define NG_WORDCACHE_BATCH 32
#endif
#ifndef NG_WORDCACHE_BATCH_BYTES
#define NG_WORDCACHE_BATCH_BYTES 2048
#endif

/* Token spans fetched from the tokenizer per call. */
#ifndef NG_SPAN_BATCH
#define NG_SPAN_BATCH 256
#endif

/* Counting on several threads (ng_route.h): blocks in flight per
** (sender, receiver) pair, and the words of a block (a longer document
** gets a block of its own). */
#ifndef NG_ROUTE_BUFS
#define NG_ROUTE_BUFS 4
#endif
#ifndef NG_ROUTE_BLOCK
#define NG_ROUTE_BLOCK 16384
#endif

/* Default number of rows of the REPL summary. */
#ifndef NG_SUMMARY_TOP
#define NG_SUMMARY_TOP 10
#endif

/* Default kwic window (tokens each side). */
#ifndef NG_KWIC_WINDOW
#define NG_KWIC_WINDOW 5
#endif

/* Longest kwic window and phrase, in tokens. */
#ifndef NG_KWIC_MAX
#define NG_KWIC_MAX 100
#endif

/* Bytes ngram.load and merge_files read at a time (a longer line grows
** a buffer of its own: there is no line limit but memory). */
#ifndef NG_READ_BLOCK
#define NG_READ_BLOCK 65536
#endif

/* Grams written or pushed between two polls of the interrupt flag. */
#ifndef NG_POLL_EVERY
#define NG_POLL_EVERY 4096
#endif

#endif
