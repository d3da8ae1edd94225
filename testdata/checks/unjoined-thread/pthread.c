// POSIX threads in C: a pthread_create whose id is never passed to
// pthread_join or pthread_detach, so the thread is never reaped. Negative
// cases: joined, detached, ids in an array joined in a loop, an id returned
// or stored for someone else to join, PTHREAD_CREATE_DETACHED attributes,
// and an entry function that detaches its own thread.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// --------------------------------------------------- a file scanner --

struct scan_job {
  const char *path;
  long bytes;
};

static void *scan_file(void *arg) {
  struct scan_job *job = arg;
  job->bytes = (long)strlen(job->path) * 512;
  return NULL;
}

long scan_one_ok(const char *path) {
  struct scan_job job = {path, 0};
  pthread_t tid;
  if (pthread_create(&tid, NULL, scan_file, &job) != 0)
    return -1;
  pthread_join(tid, NULL);
  return job.bytes;
}

// Starts the scan and forgets about it.
void scan_background_bad(const char *path) {
  struct scan_job *job = malloc(sizeof *job);
  job->path = path;
  job->bytes = 0;
  pthread_t tid; // expect-note: "thread id 'tid' declared here"
  pthread_create(&tid, NULL, scan_file, job); // expect: threadlint-unjoined-thread "the thread created here is never joined or detached: 'tid' is not passed to pthread_join or pthread_detach, so the thread is never reaped and the program may exit while it still runs"
}

// The same, detached: nobody waits, but the thread is reaped.
void scan_background_ok(const char *path) {
  struct scan_job *job = malloc(sizeof *job);
  job->path = path;
  job->bytes = 0;
  pthread_t tid;
  if (pthread_create(&tid, NULL, scan_file, job) == 0)
    pthread_detach(tid);
}

// ------------------------------------------------ arrays of workers --

#define NWORKERS 4

long scan_all_ok(const char **paths) {
  struct scan_job jobs[NWORKERS];
  pthread_t tids[NWORKERS];
  for (int i = 0; i < NWORKERS; ++i) {
    jobs[i].path = paths[i];
    jobs[i].bytes = 0;
    pthread_create(&tids[i], NULL, scan_file, &jobs[i]);
  }
  long total = 0;
  for (int i = 0; i < NWORKERS; ++i) {
    pthread_join(tids[i], NULL);
    total += jobs[i].bytes;
  }
  return total;
}

// Pointer arithmetic for the id.
long scan_all_arith_ok(const char **paths) {
  struct scan_job jobs[NWORKERS];
  pthread_t tids[NWORKERS];
  for (int i = 0; i < NWORKERS; ++i) {
    jobs[i].path = paths[i];
    pthread_create(tids + i, NULL, scan_file, jobs + i);
  }
  for (int i = 0; i < NWORKERS; ++i)
    pthread_join(tids[i], NULL);
  return jobs[0].bytes;
}

// The ids are collected but never joined.
void scan_all_bad(const char **paths, struct scan_job *jobs) {
  pthread_t tids[NWORKERS];
  for (int i = 0; i < NWORKERS; ++i) {
    jobs[i].path = paths[i];
    pthread_create(&tids[i], NULL, scan_file, &jobs[i]); // expect: threadlint-unjoined-thread "'tids' is not passed to pthread_join or pthread_detach"
  }
}

// ------------------------------------------- handed to someone else --

pthread_t start_scan_ok(struct scan_job *job) {
  pthread_t tid;
  pthread_create(&tid, NULL, scan_file, job);
  return tid;
}

struct scanner {
  pthread_t tid;
  struct scan_job job;
  int running;
};

// The id lives in the struct; scanner_stop() joins it.
int scanner_start_ok(struct scanner *s, const char *path) {
  s->job.path = path;
  s->running = pthread_create(&s->tid, NULL, scan_file, &s->job) == 0;
  return s->running;
}

void scanner_stop_ok(struct scanner *s) {
  if (s->running)
    pthread_join(s->tid, NULL);
  s->running = 0;
}

// Copied into the struct by assignment.
int scanner_start_copy_ok(struct scanner *s, const char *path) {
  pthread_t tid;
  s->job.path = path;
  if (pthread_create(&tid, NULL, scan_file, &s->job) != 0)
    return 0;
  s->tid = tid;
  s->running = 1;
  return 1;
}

// ------------------------------------------- detached by attributes --

static void *heartbeat(void *arg) {
  (void)arg;
  for (;;)
    sleep(1);
  return NULL;
}

void start_heartbeat_ok(void) {
  pthread_attr_t attr;
  pthread_t tid;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_create(&tid, &attr, heartbeat, NULL);
  pthread_attr_destroy(&attr);
}

// ----------------------------------------- a thread detaching itself --

static void *self_detaching(void *arg) {
  pthread_detach(pthread_self());
  free(arg);
  return NULL;
}

void start_self_detaching_ok(void) {
  pthread_t tid;
  pthread_create(&tid, NULL, self_detaching, malloc(16));
}

// ------------------------------------------------ an error path --

// Joined only when the second thread started; the id is joined somewhere,
// which is all the rule asks.
int start_pair_ok(struct scan_job *a, struct scan_job *b) {
  pthread_t ta, tb;
  if (pthread_create(&ta, NULL, scan_file, a) != 0)
    return -1;
  if (pthread_create(&tb, NULL, scan_file, b) != 0) {
    pthread_join(ta, NULL);
    return -1;
  }
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
  return 0;
}

// The second thread is never joined.
int start_pair_bad(struct scan_job *a, struct scan_job *b) {
  pthread_t ta, tb;
  if (pthread_create(&ta, NULL, scan_file, a) != 0)
    return -1;
  if (pthread_create(&tb, NULL, scan_file, b) != 0) { // expect: threadlint-unjoined-thread "'tb' is not passed to pthread_join or pthread_detach"
    pthread_join(ta, NULL);
    return -1;
  }
  pthread_join(ta, NULL);
  return 0;
}

// ------------------------------------------- an id in a local struct --

// The id is kept in a local struct that goes out of scope unjoined.
// missed: only ids named by a variable (&tid, &tids[i], tids + i) are
// followed; an id stored in a field of a local struct is not.
void FN_scan_with_local_struct(const char *path) {
  struct scanner s;
  s.job.path = path;
  pthread_create(&s.tid, NULL, scan_file, &s.job);
  s.running = 1;
}

// ------------------------------------ attributes that do not detach --

// A bigger stack, still joinable: the thread is never reaped.
void scan_big_stack_bad(struct scan_job *job) {
  pthread_attr_t attr;
  pthread_t tid;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 1 << 20);
  pthread_create(&tid, &attr, scan_file, job); // expect: threadlint-unjoined-thread "never joined or detached"
  pthread_attr_destroy(&attr);
}

// The same, joined.
long scan_big_stack_ok(struct scan_job *job) {
  pthread_attr_t attr;
  pthread_t tid;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 1 << 20);
  pthread_create(&tid, &attr, scan_file, job);
  pthread_attr_destroy(&attr);
  pthread_join(tid, NULL);
  return job->bytes;
}

// ------------------------------------------------ a reused id --

// The second pthread_create overwrites the first id: only the second
// thread is joined.
// missed: the rule asks whether the id variable is used anywhere after a
// create, so the join of the second thread also covers the first.
void FN_scan_two_reusing_id(struct scan_job *a, struct scan_job *b) {
  pthread_t tid;
  pthread_create(&tid, NULL, scan_file, a);
  pthread_create(&tid, NULL, scan_file, b);
  pthread_join(tid, NULL);
}

// -------------------------------- an entry that detaches other threads --

static void *cleanup_child(void *arg) {
  free(arg);
  return NULL;
}

// Spawns detached children; the supervisor itself stays joinable.
static void *supervisor(void *arg) {
  int n = *(int *)arg;
  for (int i = 0; i < n; ++i) {
    pthread_t child;
    if (pthread_create(&child, NULL, cleanup_child, malloc(32)) == 0)
      pthread_detach(child);
  }
  return NULL;
}

static int g_children = 4;

// The supervisor is never joined.
void start_supervisor_bad(void) {
  pthread_t sup;
  pthread_create(&sup, NULL, supervisor, &g_children); // expect: threadlint-unjoined-thread "never joined or detached"
}

void run_supervisor_ok(void) {
  pthread_t sup;
  pthread_create(&sup, NULL, supervisor, &g_children);
  pthread_join(sup, NULL);
}
