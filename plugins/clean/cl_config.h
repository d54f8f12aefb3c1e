/*
** cl_config.h -- tunables of the clean plugin, gathered in one place.
** Each can be overridden at build time with -D.
*/
#ifndef CL_CONFIG_H
#define CL_CONFIG_H

#define CL_VERSION "1.0.0"

/* --- boilerplate --------------------------------------------------------- */
/* Share of documents a (normalised) line must appear in to be boilerplate,
** and the fewest documents that ever makes one. */
#ifndef CL_BP_SHARE
#define CL_BP_SHARE 0.01
#endif
#ifndef CL_BP_MIN_DOCS
#define CL_BP_MIN_DOCS 3
#endif
/* Lines longer than this many words are prose (syndicated paragraphs are
** the duplicates pass's business), never repeated boilerplate. */
#ifndef CL_BP_MAX_WORDS
#define CL_BP_MAX_WORDS 30
#endif
/* Non-empty lines at a document's start and end looked at as navigation,
** tickers, tags and teasers. */
#ifndef CL_BP_EDGE
#define CL_BP_EDGE 3
#endif
#ifndef CL_BP_TAIL
#define CL_BP_TAIL 12
#endif
/* Bytes of a line's normalised start compared for a repeated prefix
** ("view article..." teasers). */
#ifndef CL_BP_PREFIX
#define CL_BP_PREFIX 12
#endif

/* --- near-duplicates ------------------------------------------------------- */
#ifndef CL_DUP_THRESHOLD
#define CL_DUP_THRESHOLD 0.8
#endif
#ifndef CL_DUP_SHINGLE
#define CL_DUP_SHINGLE 5
#endif
/* MinHash values per document (memory: 4 bytes each per document). */
#ifndef CL_DUP_HASHES
#define CL_DUP_HASHES 128
#endif
/* Probability that a pair at exactly the threshold becomes a candidate:
** the LSH bands are chosen to reach it with as few candidates as
** possible (every candidate is then checked exactly). */
#ifndef CL_DUP_RECALL
#define CL_DUP_RECALL 0.995
#endif
/* A bucket larger than this pairs its members as a star and a chain
** instead of every pair (50 copies of a wire story: 98 pairs, not 1225). */
#ifndef CL_DUP_BUCKET
#define CL_DUP_BUCKET 32
#endif

/* --- glued words ------------------------------------------------------------- */
/* Fewest occurrences that make a part of a split a word. */
#ifndef CL_GLUE_MIN_COUNT
#define CL_GLUE_MIN_COUNT 3
#endif
/* A whole token seen at most this often is "unknown" (glued tokens are
** hapaxes of their own corpus); above it, a split must beat the token's
** own frequency by CL_GLUE_KNOWN_RATIO. */
#ifndef CL_GLUE_HAPAX
#define CL_GLUE_HAPAX 1
#endif
#ifndef CL_GLUE_KNOWN_RATIO
#define CL_GLUE_KNOWN_RATIO 10.0
#endif
/* Segments (letters between hyphens) shorter or longer are left alone. */
#ifndef CL_GLUE_MIN_LEN
#define CL_GLUE_MIN_LEN 4
#endif
#ifndef CL_GLUE_MAX_LEN
#define CL_GLUE_MAX_LEN 40
#endif
/* Most parts a token is split into. */
#ifndef CL_GLUE_MAX_PARTS
#define CL_GLUE_MAX_PARTS 3
#endif

#endif
