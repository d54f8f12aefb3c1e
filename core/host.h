/*
** host.h -- the lector_host table handed to plugins.
*/
#ifndef LECTOR_HOST_H
#define LECTOR_HOST_H

#include "lector/plugin.h"

/* The table (static; filled on first use). */
const lector_host *host_table(void);

/* host->errorf: a message in counted memory, freed with mem_free.  Never
** NULL (a static "out of memory" that mem_free must not see: use
** host_error_free). */
char *host_errorf(const char *fmt, ...) LECTOR_PRINTF(1, 2);
/* Free a message from host_errorf (or a plugin's err out-parameter). */
void host_error_free(char *msg);

/* --quiet: host->log drops info messages (warnings and errors stay). */
void host_set_quiet(int on);

#endif
