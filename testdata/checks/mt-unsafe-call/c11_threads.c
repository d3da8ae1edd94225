// C11 threads: thread-unsafe C library calls (localtime, gmtime, asctime,
// drand48, lgamma, setlocale, localeconv) in functions started with
// thrd_create, and in the starting function (and a function it calls)
// between thrd_create and thrd_join. Negative cases: localtime_r and
// strftime, erand48 and lgamma_r with state of the thread's own, and
// setlocale/localeconv before the first thread starts or after the last
// one is joined.
#define _GNU_SOURCE
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <threads.h>
#include <time.h>

// ------------------------------------------------ report time stamps --

struct report {
  time_t when;
  char text[64];
};

static int format_local(void *arg) {
  struct report *r = arg;
  struct tm *tm = localtime(&r->when); // expect: threadlint-mt-unsafe-call "'localtime' is not thread-safe (it returns a pointer to one static struct tm) and runs in thread 'format_local'"
  strftime(r->text, sizeof r->text, "%Y-%m-%d %H:%M", tm);
  return 0;
}

static int format_utc(void *arg) {
  struct report *r = arg;
  struct tm *tm = gmtime(&r->when); // expect: threadlint-mt-unsafe-call "'gmtime' is not thread-safe (it returns a pointer to one static struct tm) and runs in thread 'format_utc'"
  snprintf(r->text, sizeof r->text, "%s", asctime(tm)); // expect: threadlint-mt-unsafe-call "'asctime' is not thread-safe (it returns a pointer to one static buffer) and runs in thread 'format_utc'"
  return 0;
}

int format_both(struct report *local, struct report *utc) {
  thrd_t tl, tu;
  if (thrd_create(&tl, format_local, local) != thrd_success) // expect-note: "the thread is started here"
    return -1;
  if (thrd_create(&tu, format_utc, utc) != thrd_success) { // expect-note: "the thread is started here"
    thrd_join(tl, NULL);
    return -1;
  }
  thrd_join(tl, NULL);
  thrd_join(tu, NULL);
  return 0;
}

static int format_local_ok(void *arg) {
  struct report *r = arg;
  struct tm tm;
  localtime_r(&r->when, &tm);
  strftime(r->text, sizeof r->text, "%Y-%m-%d %H:%M", &tm);
  return 0;
}

static int format_utc_ok(void *arg) {
  struct report *r = arg;
  struct tm tm;
  gmtime_r(&r->when, &tm);
  strftime(r->text, sizeof r->text, "%a %b %e %H:%M:%S %Y", &tm);
  return 0;
}

int format_both_ok(struct report *local, struct report *utc) {
  thrd_t tl, tu;
  thrd_create(&tl, format_local_ok, local);
  thrd_create(&tu, format_utc_ok, utc);
  thrd_join(tl, NULL);
  thrd_join(tu, NULL);
  return 0;
}

// ------------------------------------------------ a Monte Carlo model --

struct sim {
  int steps;
  unsigned short seed[3];
  double sum;
};

static int simulate(void *arg) {
  struct sim *s = arg;
  for (int i = 0; i < s->steps; ++i) {
    double x = 1.0 + drand48(); // expect: threadlint-mt-unsafe-call "'drand48' is not thread-safe (it updates one hidden generator state) and runs in thread 'simulate'"
    s->sum += lgamma(x); // expect: threadlint-mt-unsafe-call "'lgamma' is not thread-safe (it writes the sign to the global signgam) and runs in thread 'simulate'"
  }
  return 0;
}

static int simulate_ok(void *arg) {
  struct sim *s = arg;
  int sign;
  for (int i = 0; i < s->steps; ++i) {
    double x = 1.0 + erand48(s->seed);
    s->sum += lgamma_r(x, &sign);
  }
  return 0;
}

double run_model(int steps) {
  struct sim a = {steps, {1, 2, 3}, 0}, b = {steps, {4, 5, 6}, 0};
  thrd_t ta, tb;
  thrd_create(&ta, simulate, &a); // expect-note: "the thread is started here"
  thrd_create(&tb, simulate_ok, &b);
  thrd_join(ta, NULL);
  thrd_join(tb, NULL);
  return a.sum + b.sum;
}

// -------------------------------------- the locale of the whole process --

static void print_total(double total) {
  const struct lconv *lc = localeconv(); // expect: threadlint-mt-unsafe-call "'localeconv' is not thread-safe (it returns a pointer to a static struct that setlocale overwrites) and runs while thread 'simulate_ok' may run"
  printf("total%s %.2f\n", lc->decimal_point, total);
}

// The locale changes while the model thread reads numbers.
double run_model_localised(int steps) {
  struct sim a = {steps, {1, 2, 3}, 0};
  thrd_t ta;
  thrd_create(&ta, simulate_ok, &a); // expect-note: "the thread is started here"
  setlocale(LC_NUMERIC, ""); // expect: threadlint-mt-unsafe-call "'setlocale' is not thread-safe"
  thrd_join(ta, NULL);
  return a.sum;
}

// A progress line printed while the model runs: localeconv runs in
// print_total, called between thrd_create and thrd_join.
double run_model_progress(int steps) {
  struct sim a = {steps, {1, 2, 3}, 0};
  thrd_t ta;
  thrd_create(&ta, simulate_ok, &a); // expect-note: "the thread is started here"
  print_total(0.0);
  thrd_join(ta, NULL);
  return a.sum;
}

// The locale is set before the first thread and read after the last join.
double run_model_localised_ok(int steps) {
  setlocale(LC_NUMERIC, "");
  struct sim a = {steps, {1, 2, 3}, 0};
  thrd_t ta;
  thrd_create(&ta, simulate_ok, &a);
  thrd_join(ta, NULL);
  const struct lconv *lc = localeconv();
  printf("total%s %.2f\n", lc->decimal_point, a.sum);
  return a.sum;
}
