/* Server counters, written in C so the C tools can link them too. */
#ifndef KVD_STATS_H
#define KVD_STATS_H

#include <pthread.h>

#ifdef __cplusplus
extern "C" {
#endif

struct kvd_stats {
  pthread_mutex_t mu;
  unsigned long hits, misses, puts, evictions;
  int report_fd;
};

struct kvd_stats_snapshot {
  unsigned long hits, misses, puts, evictions;
};

void kvd_stats_init(struct kvd_stats *s, int report_fd);
void kvd_stats_lookup(struct kvd_stats *s, int hit);
void kvd_stats_put(struct kvd_stats *s, int evicted);
void kvd_stats_snapshot(struct kvd_stats *s, struct kvd_stats_snapshot *out);
/* Writes one report line to report_fd. */
void kvd_stats_report(struct kvd_stats *s);
/* Writes one report line to fd from a snapshot. */
void kvd_stats_print(struct kvd_stats *s, int fd);

#ifdef __cplusplus
}
#endif

#endif
