/*
** tok_config.h -- tunables of the tokenize plugin, gathered in one place.
** Each can be overridden at build time with -D.
*/
#ifndef TOK_CONFIG_H
#define TOK_CONFIG_H

/* Tokens longer than this many bytes are not normalised: they keep their
** raw text, get id 0 and the LECTOR_TOKF_LONG flag (junk such as long runs
** of letters must not grow the vocabulary or the buffers). */
#ifndef TOK_NORM_MAX
#define TOK_NORM_MAX 1024
#endif

/* Bytes of normalised text a state holds without allocating. */
#ifndef TOK_NORM_INLINE
#define TOK_NORM_INLINE 256
#endif

/* Code points of decomposition a state holds without allocating. */
#ifndef TOK_CPS_INLINE
#define TOK_CPS_INLINE 96
#endif

/* Slots of each thread's cache of vocabulary ids (normalised forms of up
** to 11 bytes) in front of the host's vocabulary: 16 bytes each, a power
** of two.  64K slots (1 MB), not 16K: packing 200 MB of news looked up
** the vocabulary (a few cache misses each) 2.5 M times instead of 4.2 M,
** counted once; its user time fell by about 0.5 s. */
#ifndef TOK_ID_CACHE
#define TOK_ID_CACHE 65536
#endif

/* each() polls the host's interrupted() every this many tokens. */
#ifndef TOK_POLL_EVERY
#define TOK_POLL_EVERY 4096
#endif

/* Longest stop word kept from a list or file, in bytes. */
#ifndef TOK_STOP_MAXLEN
#define TOK_STOP_MAXLEN 128
#endif

#endif
