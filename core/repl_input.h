/*
** repl_input.h -- the REPL's terminal input: lines read with libedit
** through our own key reader, Ctrl-C at the prompt, Ctrl-Z and back, and
** the LC_CTYPE libedit needs.  One per process, like libedit's readline
** interface; used by repl.c.
*/
#ifndef LECTOR_REPL_INPUT_H
#define LECTOR_REPL_INPUT_H

/* Take over the terminal side for the REPL: SIGCONT handler, LC_CTYPE (the
** user's, or C.UTF-8 for plain C), and libedit's key reader (set before
** rl_initialize).  The previous handlers and locale are kept for
** repl_input_end. */
void repl_input_begin(void);

/* One line from the terminal (malloc'd, the caller frees it; without its
** newline), or NULL at end of input or when Ctrl-C abandoned the line;
** then *intr is set. */
char *repl_input_readline(const char *prompt, int *intr);

/* Restore the SIGINT and SIGCONT handlers and LC_CTYPE found by
** repl_input_begin. */
void repl_input_end(void);

#endif
