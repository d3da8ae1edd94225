// POSIX threads in C: thread-unsafe C library calls (strtok, ctime, rand,
// strerror, getenv/setenv, readdir, gethostbyname, getpwuid, inet_ntoa,
// tmpnam(NULL)) in a thread's start function, in the functions it calls,
// and in the starting function between pthread_create and pthread_join.
// Negative cases: the reentrant replacements (strtok_r, localtime_r,
// strerror_r, rand_r, getpwuid_r, getaddrinfo, inet_ntop), the same unsafe
// calls before pthread_create and after pthread_join, and in functions that
// no thread runs.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

void store_field(const char *field);
void emit(const char *text);

// ------------------------------------------------- a CSV line parser --

struct parse_job {
  char *line;
  int fields;
};

// strtok keeps its position in one static pointer: two parsers running at
// once continue each other's lines.
static void *parse_line(void *arg) {
  struct parse_job *job = arg;
  int n = 0;
  char *tok = strtok(job->line, ","); // expect: threadlint-mt-unsafe-call "'strtok' is not thread-safe (it keeps its position in a static buffer shared by all threads) and runs in thread 'parse_line'"
  while (tok) {
    store_field(tok);
    ++n;
    tok = strtok(NULL, ","); // expect: threadlint-mt-unsafe-call "'strtok' is not thread-safe (it keeps its position in a static buffer shared by all threads) and runs in thread 'parse_line'"
  }
  job->fields = n;
  return NULL;
}

int parse_in_background(char *line) {
  struct parse_job job = {line, 0};
  pthread_t parser;
  if (pthread_create(&parser, NULL, parse_line, &job) != 0) // expect-note: "the thread is started here"
    return -1;
  pthread_join(parser, NULL);
  return job.fields;
}

// strtok_r keeps its position in a pointer of the caller's.
static void *parse_line_ok(void *arg) {
  struct parse_job *job = arg;
  int n = 0;
  char *save = NULL;
  for (char *tok = strtok_r(job->line, ",", &save); tok;
       tok = strtok_r(NULL, ",", &save)) {
    store_field(tok);
    ++n;
  }
  job->fields = n;
  return NULL;
}

int parse_two_ok(char *first, char *second) {
  struct parse_job a = {first, 0}, b = {second, 0};
  pthread_t ta, tb;
  pthread_create(&ta, NULL, parse_line_ok, &a);
  pthread_create(&tb, NULL, parse_line_ok, &b);
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
  return a.fields + b.fields;
}

// --------------------------------- a logger called from a worker loop --

// Called from the worker thread below.
static void log_progress(int done) {
  time_t now = time(NULL);
  char line[96];
  snprintf(line, sizeof line, "%d done at %s", done, ctime(&now)); // expect: threadlint-mt-unsafe-call "'ctime' is not thread-safe (it returns a pointer to one static buffer) and runs in thread 'run_batch'"
  emit(line);
}

static void log_progress_ok(int done) {
  time_t now = time(NULL);
  struct tm tm;
  char stamp[32], line[96];
  localtime_r(&now, &tm);
  strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm);
  snprintf(line, sizeof line, "%d done at %s", done, stamp);
  emit(line);
}

struct batch {
  int count;
  int failed;
};

static void *run_batch(void *arg) {
  struct batch *b = arg;
  for (int i = 0; i < b->count; ++i) {
    if (rand() % 100 == 0) // expect: threadlint-mt-unsafe-call "'rand' is not thread-safe (it updates one hidden generator state without synchronisation) and runs in thread 'run_batch'"
      ++b->failed;
    log_progress(i);
  }
  return NULL;
}

static void *run_batch_ok(void *arg) {
  struct batch *b = arg;
  unsigned seed = (unsigned)time(NULL) ^ (unsigned)(size_t)arg;
  for (int i = 0; i < b->count; ++i) {
    if (rand_r(&seed) % 100 == 0)
      ++b->failed;
    log_progress_ok(i);
  }
  return NULL;
}

int run_batches(int count) {
  struct batch b = {count, 0};
  pthread_t worker;
  pthread_create(&worker, NULL, run_batch, &b); // expect-note: "the thread is started here"
  pthread_join(worker, NULL);
  return b.failed;
}

int run_batches_ok(int count) {
  struct batch b = {count, 0};
  pthread_t worker;
  pthread_create(&worker, NULL, run_batch_ok, &b);
  pthread_join(worker, NULL);
  return b.failed;
}

// ------------------------------ the starting function while it waits --

struct scan {
  const char *dir;
  long files;
};

// readdir on a stream of its own: glibc is safe here, POSIX promises
// nothing, so it is reported.
static void *scan_dir(void *arg) {
  struct scan *s = arg;
  DIR *d = opendir(s->dir);
  if (!d)
    return NULL;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) // expect: threadlint-mt-unsafe-call "'readdir' is not thread-safe (POSIX does not require it to be safe when several threads use one directory stream; it returns a static entry) and runs in thread 'scan_dir'"
    ++s->files;
  closedir(d);
  return NULL;
}

long scan_verbose(const char *dir) {
  struct scan s = {dir, 0};
  pthread_t scanner;
  pthread_create(&scanner, NULL, scan_dir, &s); // expect-note: "the thread is started here"
  // The scanner runs while the environment is read and changed.
  const char *verbose = getenv("SCAN_VERBOSE"); // expect: threadlint-mt-unsafe-call "'getenv' is not thread-safe (it reads the environment, which setenv and putenv in other threads modify without synchronisation) and runs while thread 'scan_dir' may run"
  if (verbose)
    setenv("SCAN_STARTED", "1", 1); // expect: threadlint-mt-unsafe-call "'setenv' is not thread-safe"
  pthread_join(scanner, NULL);
  return s.files;
}

// Before pthread_create and after pthread_join only this thread runs.
long scan_quiet_ok(const char *dir) {
  const char *verbose = getenv("SCAN_VERBOSE");
  if (verbose)
    setenv("SCAN_STARTED", "1", 1);
  struct scan s = {dir, 0};
  pthread_t scanner;
  pthread_create(&scanner, NULL, scan_dir, &s);
  pthread_join(scanner, NULL);
  time_t now = time(NULL);
  printf("%ld files, finished %s", s.files, ctime(&now));
  return s.files;
}

// The same fields read in a loop of threads: the environment is read once
// before the first start.
#define NSCANNERS 4

long scan_many_ok(const char **dirs) {
  const char *limit = getenv("SCAN_LIMIT");
  struct scan s[NSCANNERS];
  pthread_t tids[NSCANNERS];
  for (int i = 0; i < NSCANNERS; ++i) {
    s[i].dir = dirs[i];
    s[i].files = 0;
    pthread_create(&tids[i], NULL, scan_dir, &s[i]);
  }
  long total = 0;
  for (int i = 0; i < NSCANNERS; ++i) {
    pthread_join(tids[i], NULL);
    total += s[i].files;
  }
  if (limit && total > atol(limit))
    fprintf(stderr, "over the limit: %s\n", strerror(ENOSPC));
  return total;
}

// ----------------------------------------- name lookups in a resolver --

struct lookup {
  const char *host;
  uid_t owner;
  char result[INET6_ADDRSTRLEN];
  char owner_name[64];
};

static void *resolve(void *arg) {
  struct lookup *l = arg;
  struct hostent *h = gethostbyname(l->host); // expect: threadlint-mt-unsafe-call "'gethostbyname' is not thread-safe (it returns a pointer to one static hostent) and runs in thread 'resolve'"
  if (h && h->h_addrtype == AF_INET) {
    struct in_addr a;
    memcpy(&a, h->h_addr_list[0], sizeof a);
    snprintf(l->result, sizeof l->result, "%s", inet_ntoa(a)); // expect: threadlint-mt-unsafe-call "'inet_ntoa' is not thread-safe (it returns a pointer to one static buffer) and runs in thread 'resolve'"
  }
  struct passwd *pw = getpwuid(l->owner); // expect: threadlint-mt-unsafe-call "'getpwuid' is not thread-safe (it returns a pointer to one static passwd) and runs in thread 'resolve'"
  if (pw)
    snprintf(l->owner_name, sizeof l->owner_name, "%s", pw->pw_name);
  else
    snprintf(l->owner_name, sizeof l->owner_name, "%s", strerror(errno)); // expect: threadlint-mt-unsafe-call "'strerror' is not thread-safe (it may return a pointer to one static buffer) and runs in thread 'resolve'"
  return NULL;
}

static void *resolve_ok(void *arg) {
  struct lookup *l = arg;
  struct addrinfo hints = {0}, *res = NULL;
  hints.ai_family = AF_INET;
  if (getaddrinfo(l->host, NULL, &hints, &res) == 0) {
    const struct sockaddr_in *sin = (const struct sockaddr_in *)res->ai_addr;
    inet_ntop(AF_INET, &sin->sin_addr, l->result, sizeof l->result);
    freeaddrinfo(res);
  }
  struct passwd pwd, *pw = NULL;
  char buf[1024];
  if (getpwuid_r(l->owner, &pwd, buf, sizeof buf, &pw) == 0 && pw) {
    snprintf(l->owner_name, sizeof l->owner_name, "%s", pw->pw_name);
  } else {
    char err[128];
    snprintf(l->owner_name, sizeof l->owner_name, "%s",
             strerror_r(errno, err, sizeof err));
  }
  return NULL;
}

void resolve_both(struct lookup *a, struct lookup *b) {
  pthread_t ta, tb;
  pthread_create(&ta, NULL, resolve, a); // expect-note: "the thread is started here"
  pthread_create(&tb, NULL, resolve_ok, b);
  pthread_join(ta, NULL);
  pthread_join(tb, NULL);
}

// --------------------------------------------------- temporary files --

static void *spool(void *arg) {
  (void)arg;
  const char *name = tmpnam(NULL); // expect: threadlint-mt-unsafe-call "'tmpnam' is not thread-safe"
  FILE *f = fopen(name, "w");
  if (f)
    fclose(f);
  return NULL;
}

static void *spool_ok(void *arg) {
  (void)arg;
  char name[] = "/tmp/spoolXXXXXX";
  int fd = mkstemp(name);
  if (fd >= 0)
    close(fd);
  return NULL;
}

void spool_both(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, spool, NULL); // expect-note: "the thread is started here"
  pthread_create(&b, NULL, spool_ok, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
}

// ------------------------------------- code that no thread ever runs --

// A command-line parser: main calls it before any thread exists, nothing
// in this file starts a thread that reaches it.
int split_args_ok(char *cmdline, char **argv, int max) {
  int n = 0;
  for (char *tok = strtok(cmdline, " "); tok && n < max; tok = strtok(NULL, " "))
    argv[n++] = tok;
  return n;
}

const char *home_dir_ok(void) {
  const char *home = getenv("HOME");
  if (home)
    return home;
  struct passwd *pw = getpwuid(getuid());
  return pw ? pw->pw_dir : "/";
}
