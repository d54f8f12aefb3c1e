/*
** repl.h -- the interactive REPL: `lector` on a terminal, `lector -i`.
**
** Lines are edited with libedit (history, Tab completion); expressions
** print their values through the pretty-printer; an incomplete chunk
** continues on a second prompt; :help, :plugins, :load, :time and :quit
** are commands; Ctrl-C interrupts a computation or clears the line.
** There is one REPL per process (libedit's readline interface is global).
*/
#ifndef LECTOR_REPL_H
#define LECTOR_REPL_H

#include "session.h"

/* Run the REPL on the terminal until :quit, or Ctrl-D on an empty line.
** script names the script that ran before (for the banner), or NULL.
** The session is borrowed and stays open; globals set at the prompt stay
** in it.  Returns the process exit status (0). */
int repl_run(session *s, const char *script);

/* The history file: $LECTOR_HISTORY, else $XDG_STATE_HOME/lector/history,
** else ~/.local/state/lector/history (its folder is created).  Returns a
** malloc'd path (the caller frees it), or NULL when there is none
** (LECTOR_HISTORY set to "", no home folder). */
char *repl_history_path(void);

#endif
