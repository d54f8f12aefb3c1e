/*
** progress.c -- progress bars on stderr (see progress.h).
**
** Counting is one atomic add.  The thread whose add finds the last draw
** at least PROGRESS_REDRAW_MS old takes the bar's `drawing` flag with a
** test-and-set (a thread that loses goes on with its work) and writes the
** whole line in one write(2):
**
**   \r ngram.count  [#########.........]  4,210/10,000 docs  42%  0:03 left \e[K
**
** cut to the terminal's width.  The settings and the running bar
** (`active`) belong to the Lua thread; workers only read them.
*/
#include "progress.h"

#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define LABEL_MAX 48          /* bytes kept of a label, with the NUL */
#define UNIT_MAX 16
#define COLS_MAX 400          /* widest line drawn */
#define BAR_MAX 40            /* widest bar, in cells */
#define BAR_MIN 10            /* narrower than this: no bar at all */

struct lector_progress {
  atomic_uint_fast64_t done;
  atomic_uint_fast64_t drawn_at;  /* ms of the last draw */
  atomic_flag drawing;            /* held while a thread draws or erases */
  atomic_int live;                /* 0 once ended or reset: never draw */
  atomic_int drawn;               /* the line is on the screen */
  uint64_t total, start;          /* start in ms */
  char label[LABEL_MAX], unit[UNIT_MAX];
};

static struct {
  int fd, enabled, delay_ms;
  atomic_int shown;
  progress *active;               /* the bar that may draw */
  int hidden;                     /* progress_suspend erased it */
} cfg = {2, 0, PROGRESS_DELAY_MS, 1, NULL, 0};

static uint64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* --- settings ------------------------------------------------------------ */

void progress_configure(int fd, int enabled, int delay_ms) {
  const char *env = getenv("LECTOR_PROGRESS_DELAY_MS");
  if (delay_ms < 0) {
    char *end = NULL;
    long v = env ? strtol(env, &end, 10) : -1;
    delay_ms = env && *env && !*end && v >= 0 && v <= 3600000
                   ? (int)v : PROGRESS_DELAY_MS;
  }
  cfg.fd = fd;
  cfg.enabled = enabled;
  cfg.delay_ms = delay_ms;
}

void progress_set_shown(int on) { atomic_store(&cfg.shown, on != 0); }

int progress_shown(void) { return cfg.enabled && atomic_load(&cfg.shown); }

/* --- rendering ----------------------------------------------------------- */

/* src into dst[cap]: control characters become spaces, cut at a UTF-8
** character boundary (labels come from scripts and plugins). */
static void copy_text(char *dst, size_t cap, const char *src) {
  size_t n = 0;
  for (; src && src[n] && n + 1 < cap; n++)
    dst[n] = (unsigned char)src[n] < 0x20 ? ' ' : src[n];
  if (src && src[n])
    while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80) n--;
  dst[n] = '\0';
}

/* n with thousands separators: 4,210. */
static void fmt_count(char *buf, uint64_t n) {
  char d[24];
  int len = snprintf(d, sizeof d, "%" PRIu64, n), o = 0;
  for (int i = 0; i < len; i++) {
    if (i && (len - i) % 3 == 0) buf[o++] = ',';
    buf[o++] = d[i];
  }
  buf[o] = '\0';
}

/* Seconds as m:ss or h:mm:ss. */
static void fmt_time(char *buf, size_t cap, uint64_t s) {
  if (s >= 3600)
    snprintf(buf, cap, "%" PRIu64 ":%02u:%02u", s / 3600,
             (unsigned)(s / 60 % 60), (unsigned)(s % 60));
  else snprintf(buf, cap, "%u:%02u", (unsigned)(s / 60), (unsigned)(s % 60));
}

/* The counts, percentage and time: "4,210/10,000 docs  42%  0:03 left",
** or for an unknown total "4,210 docs  0:12" (time so far). */
static void render_tail(const progress *p, uint64_t done, uint64_t now,
                        char *out, size_t cap) {
  char d[32], t[32], when[32];
  uint64_t ms = now - p->start;
  const char *sp = p->unit[0] ? " " : "";
  fmt_count(d, done);
  if (!p->total) {
    fmt_time(when, sizeof when, ms / 1000);
    snprintf(out, cap, "%s%s%s  %s", d, sp, p->unit, when);
    return;
  }
  uint64_t part = done < p->total ? done : p->total;
  fmt_count(t, p->total);
  int len = snprintf(out, cap, "%s/%s%s%s  %d%%", d, t, sp, p->unit,
                     (int)(100.0 * (double)part / (double)p->total));
  if (part > 0 && part < p->total) {
    double left = (double)ms * (double)(p->total - part) / (double)part;
    fmt_time(when, sizeof when, (uint64_t)((left + 999) / 1000));
    snprintf(out + len, cap - (size_t)len, "  %s left", when);
  }
}

/* The whole line (no escapes) fit to cols - 1 columns; its length. */
static size_t render(const progress *p, uint64_t now, int cols, char *out,
                     size_t cap) {
  uint64_t done = atomic_load_explicit(&p->done, memory_order_relaxed);
  char tail[128];
  render_tail(p, done, now, tail, sizeof tail);
  int room = cols - 1 - (int)strlen(p->label) - (int)strlen(tail) - 6;
  int bar = !p->total ? 0 : room > BAR_MAX ? BAR_MAX : room;
  size_t len = (size_t)snprintf(out, cap, "%s  ", p->label);
  if (bar >= BAR_MIN) {
    uint64_t part = done < p->total ? done : p->total;
    size_t fill = (size_t)((double)bar * (double)part / (double)p->total);
    out[len++] = '[';
    memset(out + len, '#', fill);
    memset(out + len + fill, '.', (size_t)bar - fill);
    len += (size_t)bar;
    memcpy(out + len, "]  ", 3);
    len += 3;
  }
  len += (size_t)snprintf(out + len, cap - len, "%s", tail);
  if (len > (size_t)cols - 1) {
    len = (size_t)cols - 1;
    while (len > 0 && ((unsigned char)out[len] & 0xC0) == 0x80) len--;
  }
  return len;
}

static int term_cols(int fd) {
  struct winsize ws;
  if (ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_col < 2) return 80;
  return ws.ws_col < COLS_MAX ? ws.ws_col : COLS_MAX;
}

static void write_all(const char *s, size_t n) {
  while (n > 0) {
    ssize_t w = write(cfg.fd, s, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return;            /* a closed stderr loses the bar only */
    s += w;
    n -= (size_t)w;
  }
}

/* --- drawing (with p->drawing held) -------------------------------------- */

static void draw(progress *p, uint64_t now) {
  char line[COLS_MAX + 256];
  line[0] = '\r';
  size_t len = 1 + render(p, now, term_cols(cfg.fd), line + 1,
                          sizeof line - 8);
  memcpy(line + len, "\x1b[K", 3);
  write_all(line, len + 3);
  atomic_store(&p->drawn_at, now);
  atomic_store(&p->drawn, 1);
}

static void erase(progress *p) {
  if (!atomic_load(&p->drawn)) return;
  write_all("\r\x1b[K", 4);
  atomic_store(&p->drawn, 0);
}

/* Wait for a draw in flight (Lua thread only: workers never wait). */
static void lock(progress *p) {
  while (atomic_flag_test_and_set_explicit(&p->drawing, memory_order_acquire))
    sched_yield();
}

static void unlock(progress *p) {
  atomic_flag_clear_explicit(&p->drawing, memory_order_release);
}

/* Never draw p again, and take it off the screen. */
static void stop(progress *p) {
  atomic_store(&p->live, 0);
  lock(p);
  erase(p);
  unlock(p);
}

/* --- bars ---------------------------------------------------------------- */

progress *progress_begin(const char *label, const char *unit, uint64_t total) {
  if (!progress_shown() || cfg.active) return NULL;
  progress *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  atomic_init(&p->done, 0);
  atomic_init(&p->drawn_at, 0);
  atomic_flag_clear(&p->drawing);
  atomic_init(&p->live, 1);
  atomic_init(&p->drawn, 0);
  p->total = total;
  p->start = now_ms();
  copy_text(p->label, sizeof p->label, label);
  copy_text(p->unit, sizeof p->unit, unit);
  cfg.active = p;
  cfg.hidden = 0;
  return p;
}

/* Time for a (re)draw: never drawn yet, or the last one is old enough. */
static int due(progress *p, uint64_t now) {
  return !atomic_load(&p->drawn) ||
         (int64_t)(now - atomic_load(&p->drawn_at)) >= PROGRESS_REDRAW_MS;
}

void progress_add(progress *p, uint64_t n) {
  if (!p) return;
  atomic_fetch_add_explicit(&p->done, n, memory_order_relaxed);
  uint64_t now = now_ms();
  if ((int64_t)(now - p->start) < cfg.delay_ms || !due(p, now)) return;
  if (atomic_flag_test_and_set_explicit(&p->drawing, memory_order_acquire))
    return;                        /* another thread is drawing it */
  if (due(p, now) && atomic_load(&p->live) && atomic_load(&cfg.shown))
    draw(p, now);
  unlock(p);
}

void progress_end(progress *p) {
  if (!p) return;
  if (cfg.active == p) {
    cfg.active = NULL;
    cfg.hidden = 0;
  }
  stop(p);
  free(p);
}

uint64_t progress_count(progress *p) {
  return p ? atomic_load(&p->done) : 0;
}

void progress_reset(void) {
  progress *p = cfg.active;
  cfg.active = NULL;
  cfg.hidden = 0;
  if (p) stop(p);
}

void progress_suspend(void) {
  progress *p = cfg.active;
  if (!p || !atomic_load(&p->drawn)) return;
  lock(p);
  cfg.hidden = atomic_load(&p->drawn);
  erase(p);
  unlock(p);
}

void progress_resume(void) {
  progress *p = cfg.active;
  if (!p || !cfg.hidden) return;
  cfg.hidden = 0;
  lock(p);
  if (!atomic_load(&p->drawn) && atomic_load(&p->live) &&
      atomic_load(&cfg.shown))
    draw(p, now_ms());
  unlock(p);
}
