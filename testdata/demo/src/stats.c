#define _POSIX_C_SOURCE 200809L
#include "stats.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

void kvd_stats_init(struct kvd_stats *s, int report_fd) {
  memset(s, 0, sizeof *s);
  pthread_mutex_init(&s->mu, NULL);
  s->report_fd = report_fd;
}

void kvd_stats_lookup(struct kvd_stats *s, int hit) {
  pthread_mutex_lock(&s->mu);
  if (hit)
    ++s->hits;
  else
    ++s->misses;
  pthread_mutex_unlock(&s->mu);
}

void kvd_stats_put(struct kvd_stats *s, int evicted) {
  pthread_mutex_lock(&s->mu);
  ++s->puts;
  if (evicted)
    ++s->evictions;
  pthread_mutex_unlock(&s->mu);
}

void kvd_stats_snapshot(struct kvd_stats *s, struct kvd_stats_snapshot *out) {
  pthread_mutex_lock(&s->mu);
  out->hits = s->hits;
  out->misses = s->misses;
  out->puts = s->puts;
  out->evictions = s->evictions;
  pthread_mutex_unlock(&s->mu);
}

static int format_line(char *buf, size_t n, const struct kvd_stats_snapshot *v) {
  return snprintf(buf, n, "hits=%lu misses=%lu puts=%lu evictions=%lu\n",
                  v->hits, v->misses, v->puts, v->evictions);
}

/* Reports with the counters locked so the line is consistent, but every
   cache lookup now waits for the report's write (a pipe to a slow
   collector, in production). */
void kvd_stats_report(struct kvd_stats *s) {
  char line[160];
  pthread_mutex_lock(&s->mu);
  struct kvd_stats_snapshot v = {s->hits, s->misses, s->puts, s->evictions};
  int n = format_line(line, sizeof line, &v);
  if (n > 0)
    write(s->report_fd, line, (size_t)n); // expect: threadlint-blocking-in-critical-section "'write' waits for I/O while holding 'kvd_stats::mu'"
  pthread_mutex_unlock(&s->mu);
}

/* The same report, done right: snapshot under the lock, write without it. */
void kvd_stats_print(struct kvd_stats *s, int fd) {
  struct kvd_stats_snapshot v;
  char line[160];
  kvd_stats_snapshot(s, &v);
  int n = format_line(line, sizeof line, &v);
  if (n > 0)
    write(fd, line, (size_t)n);
}
