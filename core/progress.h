/*
** progress.h -- progress bars on stderr for work over many documents: the
** host's progress_begin/add/end (plugin.h), lector.progress, corpus:each
** and lector.load.
**
** A bar is drawn only when the output is a terminal (progress_configure),
** the user did not turn bars off (--quiet, lector.show_progress), and the
** work outlasts a delay, so quick work draws nothing.  Only the outermost
** bar draws: a begin while another bar runs returns NULL, which every
** function here accepts.  begin, end and the rest run on the Lua thread;
** progress_add runs on any thread and never blocks.
*/
#ifndef LECTOR_PROGRESS_H
#define LECTOR_PROGRESS_H

#include <stdint.h>

#include "lector/plugin.h"

typedef struct lector_progress progress;

/* Default delay before a bar shows, in ms; LECTOR_PROGRESS_DELAY_MS in
** the environment overrides it. */
#define PROGRESS_DELAY_MS 500
/* Least time between two redraws, in ms. */
#define PROGRESS_REDRAW_MS 100

/* Draw on fd when enabled (main: stderr, if it is a terminal); delay_ms
** < 0 takes LECTOR_PROGRESS_DELAY_MS or PROGRESS_DELAY_MS.  Call before
** any bar starts.  Until called, nothing is ever drawn. */
void progress_configure(int fd, int enabled, int delay_ms);
/* The user's setting (on unless --quiet or lector.show_progress(false)). */
void progress_set_shown(int on);
/* Whether a bar would be drawn now: configured enabled and shown. */
int progress_shown(void);

/* Start a bar of total units (0: unknown, a count without a bar) named
** label, counting unit ("docs"; NULL or "" for none).  NULL when bars are
** off, another bar runs, or out of memory. */
progress *progress_begin(const char *label, const char *unit, uint64_t total);
/* n more units done (any thread): an atomic add, and a redraw when the
** delay has passed and the last one is PROGRESS_REDRAW_MS old. */
void progress_add(progress *p, uint64_t n);
/* Erase the bar if it was drawn, and free p.  No progress_add may run
** on p during or after this (join the workers first). */
void progress_end(progress *p);
/* Units counted so far. */
uint64_t progress_count(progress *p);

/* After a top-level call: erase the running bar and stop it drawing (a
** plugin or script that left it open cannot leave it on the screen);
** its owner still ends it. */
void progress_reset(void);
/* Around other output to the terminal: erase the running bar, then draw
** it again below what was written. */
void progress_suspend(void);
void progress_resume(void);

#endif
