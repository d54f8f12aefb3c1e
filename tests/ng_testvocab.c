/*
** ng_testvocab.c -- the unit tests' vocabulary (ng_testvocab.h).
*/
#include "ng_testvocab.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lector/kit.h"
#include "output.h"

LK_DEFINE    /* the engine's env: malloc, and the vocabulary below */

#define VMAX 4096
static char *words[VMAX + 1];
static size_t lens[VMAX + 1];
static uint32_t count;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static uint32_t find(const char *s, size_t len) {
  uint32_t i;
  for (i = 1; i <= count; i++)
    if (lens[i] == len && memcmp(words[i], s, len) == 0) return i;
  return 0;
}

uint32_t tv_lookup(const char *s, size_t len) {
  uint32_t id;
  pthread_mutex_lock(&lock);
  id = find(s, len);
  pthread_mutex_unlock(&lock);
  return id;
}

uint32_t tv_intern(const char *s, size_t len) {
  uint32_t id;
  pthread_mutex_lock(&lock);
  id = find(s, len);
  if (!id && count < VMAX && (words[count + 1] = malloc(len + 1))) {
    id = count + 1;
    memcpy(words[id], s, len);
    words[id][len] = '\0';
    lens[id] = len;
    count = id;
  }
  pthread_mutex_unlock(&lock);
  return id;
}

static const char *tv_string(uint32_t id, size_t *len) {
  if (id == 0 || id > count) return NULL;
  if (len) *len = lens[id];
  return words[id];
}

static uint32_t tv_size(void) { return count; }

void tv_reset(void) {
  uint32_t i;
  for (i = 1; i <= count; i++) free(words[i]);
  count = 0;
}

/* The host's output helper (core/output.c) stands in for host->output_*:
** the only host fields the engine uses. */
static lector_host stand_in;

void tv_install(void) {
  lk_env env;
  memset(&env, 0, sizeof env);
  env.vocab_string = tv_string;
  env.vocab_intern = tv_intern;
  env.vocab_lookup = tv_lookup;
  env.vocab_size = tv_size;
  lk_env_set(&env);
  stand_in.struct_size = sizeof stand_in;
  stand_in.output_open = output_open;
  stand_in.output_file = output_file;
  stand_in.output_commit = output_commit;
  stand_in.output_abort = output_abort;
  lk_host = &stand_in;
  tv_reset();
}
