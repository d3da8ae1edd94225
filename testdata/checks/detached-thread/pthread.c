// POSIX and C11 threads in C that are detached while they use the starting
// function's locals: pthread_detach/thrd_detach of the id after a create
// that was handed &local, a PTHREAD_CREATE_DETACHED attribute, and an entry
// function that detaches its own thread. Negative cases: heap arguments the
// thread frees, globals and static locals, the same &local arguments with a
// join, and joinable attributes.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>

// ------------------------------------------------ a request handler --

struct request {
  int fd;
  char path[128];
};

static void *handle(void *arg) {
  struct request *req = arg;
  printf("%d %s\n", req->fd, req->path);
  return NULL;
}

static void *handle_and_free(void *arg) {
  handle(arg);
  free(arg);
  return NULL;
}

// The request lives on this stack frame.
void dispatch_bad(int fd, const char *path) {
  struct request req;
  req.fd = fd;
  strncpy(req.path, path, sizeof req.path - 1);
  pthread_t tid;
  pthread_create(&tid, NULL, handle, &req); // expect-note: "thread started here (pthread_create)" // expect-note: "the thread receives the address of local 'req' here"
  pthread_detach(tid); // expect: threadlint-detached-thread "detached thread receives the address of local 'req': 'req' is destroyed when 'dispatch_bad' returns, while the thread may still use it"
}

// A heap request, freed by the thread.
void dispatch_ok(int fd, const char *path) {
  struct request *req = calloc(1, sizeof *req);
  if (!req)
    return;
  req->fd = fd;
  strncpy(req->path, path, sizeof req->path - 1);
  pthread_t tid;
  if (pthread_create(&tid, NULL, handle_and_free, req) != 0) {
    free(req);
    return;
  }
  pthread_detach(tid);
}

// The local request, joined.
void dispatch_sync_ok(int fd, const char *path) {
  struct request req;
  req.fd = fd;
  strncpy(req.path, path, sizeof req.path - 1);
  pthread_t tid;
  pthread_create(&tid, NULL, handle, &req);
  pthread_join(tid, NULL);
}

// ------------------------------------------- detached by attributes --

void dispatch_detached_attr_bad(int fd) {
  struct request req = {fd, "/"};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t tid;
  pthread_create(&tid, &attr, handle, &req); // expect: threadlint-detached-thread "detached thread receives the address of local 'req'"
  pthread_attr_destroy(&attr);
}

void dispatch_detached_attr_ok(int fd) {
  struct request *req = calloc(1, sizeof *req);
  req->fd = fd;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_t tid;
  pthread_create(&tid, &attr, handle_and_free, req);
  pthread_attr_destroy(&attr);
}

// Explicitly joinable, and joined.
void dispatch_joinable_attr_ok(int fd) {
  struct request req = {fd, "/"};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_JOINABLE);
  pthread_t tid;
  pthread_create(&tid, &attr, handle, &req);
  pthread_attr_destroy(&attr);
  pthread_join(tid, NULL);
}

// ------------------------------------------ a self-detaching entry --

static void *background_flush(void *arg) {
  pthread_detach(pthread_self()); // expect-note: "the thread detaches itself here"
  int *counter = arg;
  ++*counter;
  return NULL;
}

void start_flush_bad(void) {
  int counter = 0;
  pthread_t tid;
  pthread_create(&tid, NULL, background_flush, &counter); // expect: threadlint-detached-thread "detached thread receives the address of local 'counter': 'counter' is destroyed when 'start_flush_bad' returns"
}

static void *background_flush_owned(void *arg) {
  pthread_detach(pthread_self());
  free(arg);
  return NULL;
}

void start_flush_ok(void) {
  pthread_t tid;
  pthread_create(&tid, NULL, background_flush_owned, malloc(64));
}

// ------------------------------------------- globals and statics --

static int g_hits;

static void *count_hit(void *arg) {
  ++*(int *)arg;
  return NULL;
}

void hit_global_ok(void) {
  pthread_t tid;
  pthread_create(&tid, NULL, count_hit, &g_hits);
  pthread_detach(tid);
}

void hit_static_ok(void) {
  static int hits;
  pthread_t tid;
  pthread_create(&tid, NULL, count_hit, &hits);
  pthread_detach(tid);
}

void hit_local_bad(void) {
  int hits = 0;
  pthread_t tid;
  pthread_create(&tid, NULL, count_hit, &hits);
  pthread_detach(tid); // expect: threadlint-detached-thread "detached thread receives the address of local 'hits'"
}

// ---------------------------------------------------- C11 threads --

static int handle_c11(void *arg) {
  handle(arg);
  return 0;
}

void dispatch_c11_bad(int fd) {
  struct request req = {fd, "/c11"};
  thrd_t t;
  if (thrd_create(&t, handle_c11, &req) == thrd_success)
    thrd_detach(t); // expect: threadlint-detached-thread "detached thread receives the address of local 'req'"
}

void dispatch_c11_ok(int fd) {
  struct request req = {fd, "/c11"};
  thrd_t t;
  if (thrd_create(&t, handle_c11, &req) == thrd_success)
    thrd_join(t, NULL);
}

static int handle_c11_owned(void *arg) {
  handle(arg);
  free(arg);
  return 0;
}

void dispatch_c11_heap_ok(int fd) {
  struct request *req = malloc(sizeof *req);
  req->fd = fd;
  req->path[0] = '\0';
  thrd_t t;
  if (thrd_create(&t, handle_c11_owned, req) == thrd_success)
    thrd_detach(t);
}

// ---------------------------------------------------- local buffers --

static void *print_line(void *arg) {
  puts(arg);
  return NULL;
}

// A local buffer handed over: decays to char *, then converts to void *.
void print_async_bad(const char *text) {
  char line[80];
  snprintf(line, sizeof line, "> %s", text);
  pthread_t tid;
  pthread_create(&tid, NULL, print_line, line); // expect-note: "the thread receives local array 'line' here"
  pthread_detach(tid); // expect: threadlint-detached-thread "detached thread receives local array 'line': 'line' is destroyed when 'print_async_bad' returns"
}

void print_async_ok(const char *text) {
  char *line = malloc(80);
  snprintf(line, 80, "> %s", text);
  pthread_t tid;
  pthread_create(&tid, NULL, print_line, line);
  pthread_detach(tid);
}

/* ---------------------------------------------- reused ids, supervisors -- */

static void *child_job(void *arg) {
  free(arg);
  return NULL;
}

/* The id is reused: the thread given &local is joined, the detached one
   gets heap memory. */
void reuse_id_ok(void) {
  int local = 0;
  pthread_t tid;
  pthread_create(&tid, NULL, child_job, &local);
  pthread_join(tid, NULL);
  pthread_create(&tid, NULL, child_job, malloc(8));
  pthread_detach(tid);
}

struct supervisor_cfg {
  int children;
};

/* Detaches the children it starts, not itself. */
static void *supervisor_main(void *arg) {
  struct supervisor_cfg *cfg = arg;
  for (int i = 0; i < cfg->children; ++i) {
    pthread_t child;
    pthread_create(&child, NULL, child_job, malloc(8));
    pthread_detach(child);
  }
  return NULL;
}

int run_supervisor_ok(void) {
  struct supervisor_cfg cfg = {4};
  pthread_t sup;
  pthread_create(&sup, NULL, supervisor_main, &cfg);
  pthread_join(sup, NULL);
  return 0;
}
