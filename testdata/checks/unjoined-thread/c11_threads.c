// C11 <threads.h>: a thrd_create whose thrd_t is never passed to thrd_join
// or thrd_detach. Negative cases: joined (also on an error path), detached,
// an array of ids joined in a loop, an id stored in a struct and joined by
// its stop function, and an entry function that detaches itself.
#define _POSIX_C_SOURCE 200809L
#include <stdlib.h>
#include <string.h>
#include <threads.h>

// ---------------------------------------------- a checksum service --

struct chunk {
  const unsigned char *data;
  size_t len;
  unsigned sum;
};

static int checksum(void *arg) {
  struct chunk *c = arg;
  unsigned s = 0;
  for (size_t i = 0; i < c->len; ++i)
    s = s * 31 + c->data[i];
  c->sum = s;
  return 0;
}

unsigned checksum_one_ok(const unsigned char *data, size_t len) {
  struct chunk c = {data, len, 0};
  thrd_t t;
  if (thrd_create(&t, checksum, &c) != thrd_success)
    return 0;
  thrd_join(t, NULL);
  return c.sum;
}

// Started and forgotten.
void checksum_async_bad(struct chunk *c) {
  thrd_t t; // expect-note: "thread id 't' declared here"
  thrd_create(&t, checksum, c); // expect: threadlint-unjoined-thread "the thread created here is never joined or detached: 't' is not passed to thrd_join or thrd_detach"
}

void checksum_async_ok(struct chunk *c) {
  thrd_t t;
  if (thrd_create(&t, checksum, c) == thrd_success)
    thrd_detach(t);
}

// ------------------------------------------------- split in parts --

#define NPARTS 8

unsigned checksum_parts_ok(const unsigned char *data, size_t len) {
  struct chunk parts[NPARTS];
  thrd_t ts[NPARTS];
  size_t step = len / NPARTS;
  for (int i = 0; i < NPARTS; ++i) {
    parts[i].data = data + i * step;
    parts[i].len = i == NPARTS - 1 ? len - i * step : step;
    thrd_create(&ts[i], checksum, &parts[i]);
  }
  unsigned total = 0;
  for (int i = 0; i < NPARTS; ++i) {
    thrd_join(ts[i], NULL);
    total ^= parts[i].sum;
  }
  return total;
}

// The join loop was left out.
void checksum_parts_bad(struct chunk *parts) {
  thrd_t ts[NPARTS];
  for (int i = 0; i < NPARTS; ++i)
    thrd_create(&ts[i], checksum, &parts[i]); // expect: threadlint-unjoined-thread "'ts' is not passed to thrd_join or thrd_detach"
}

// --------------------------------------------- a long-lived service --

struct service {
  thrd_t thread;
  struct chunk work;
};

int service_start_ok(struct service *s) {
  return thrd_create(&s->thread, checksum, &s->work) == thrd_success;
}

unsigned service_stop_ok(struct service *s) {
  thrd_join(s->thread, NULL);
  return s->work.sum;
}

// ----------------------------------------- a self-detaching thread --

static int log_and_exit(void *arg) {
  thrd_detach(thrd_current());
  free(arg);
  return 0;
}

void log_async_ok(const char *msg) {
  thrd_t t;
  thrd_create(&t, log_and_exit, strdup(msg));
}

// The result code is kept, but the thread is never joined.
int checksum_result_bad(struct chunk *c) {
  thrd_t t;
  int rc = thrd_create(&t, checksum, c); // expect: threadlint-unjoined-thread "never joined or detached"
  return rc == thrd_success ? 0 : -1;
}

// The result code kept, and the thread joined.
unsigned checksum_result_ok(struct chunk *c) {
  thrd_t t;
  int rc = thrd_create(&t, checksum, c);
  if (rc != thrd_success)
    return 0;
  thrd_join(t, NULL);
  return c->sum;
}
