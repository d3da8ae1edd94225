// POSIX threads in C: a global counter bumped by workers created in a
// loop, two different entries updating one global (x++, x += n,
// x = x + n), and a struct shared through the thread argument. Negative
// cases: the same counters under a pthread_mutex_t every access takes,
// _Atomic counters and atomic_fetch_add, per-thread result slots, and
// totals read only after pthread_join.
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#define NWORKERS 4

// ------------------------------------------- workers created in a loop --

static long g_lines = 0; // expect-note: "'g_lines' is declared here; declare it as '_Atomic long'"

static void *count_lines(void *arg) {
  const char *text = arg;
  for (const char *p = text; *p; ++p)
    if (*p == '\n')
      g_lines++; // expect: threadlint-non-atomic-update "non-atomic update of 'g_lines' in thread 'count_lines', while another thread running 'count_lines' runs the same update: the load and the store of concurrent updates interleave and updates are lost; make it '_Atomic long' (atomic_fetch_add) or hold one mutex around every access"
  return NULL;
}

long count_all_bad(const char **texts) {
  pthread_t tids[NWORKERS];
  for (int i = 0; i < NWORKERS; ++i)
    pthread_create(&tids[i], NULL, count_lines, (void *)texts[i]); // expect-note: "the thread is started here"
  for (int i = 0; i < NWORKERS; ++i)
    pthread_join(tids[i], NULL);
  return g_lines;
}

// ----------------------------------------------- two different entries --

static unsigned long g_events = 0;

static void *keyboard_thread(void *arg) {
  (void)arg;
  for (int i = 0; i < 100; ++i)
    g_events += 1; // expect: threadlint-non-atomic-update "non-atomic update of 'g_events' with no lock held, in thread 'keyboard_thread', while thread 'mouse_thread' writes it (line 48)"
  return NULL;
}

static void *mouse_thread(void *arg) {
  (void)arg;
  for (int i = 0; i < 100; ++i)
    g_events = g_events + 1; // expect: threadlint-non-atomic-update "non-atomic update of 'g_events' with no lock held, in thread 'mouse_thread', while thread 'keyboard_thread' writes it (line 41)"
  return NULL;
}

unsigned long input_bad(void) {
  pthread_t kb, ms;
  pthread_create(&kb, NULL, keyboard_thread, NULL);
  pthread_create(&ms, NULL, mouse_thread, NULL);
  pthread_join(kb, NULL);
  pthread_join(ms, NULL);
  return g_events;
}

// ------------------------------------ a struct shared by its address --

struct progress {
  long done;
  long failed;
};

static void *upload_part(void *arg) {
  struct progress *p = arg;
  p->done++; // expect: threadlint-non-atomic-update "non-atomic update of 'progress::done' in thread 'upload_part', while another thread running 'upload_part' runs the same update: the load and the store of concurrent updates interleave and updates are lost; make it '_Atomic long' (atomic_fetch_add) or hold one mutex around every access"
  return NULL;
}

long upload_bad(void) {
  struct progress prog = {0, 0};
  pthread_t tids[NWORKERS];
  for (int i = 0; i < NWORKERS; ++i)
    pthread_create(&tids[i], NULL, upload_part, &prog);
  for (int i = 0; i < NWORKERS; ++i)
    pthread_join(tids[i], NULL);
  return prog.done;
}

// --------------------------------------------------- under a mutex --

static pthread_mutex_t g_words_mu = PTHREAD_MUTEX_INITIALIZER;
static long g_words = 0;

static void *count_words_ok(void *arg) {
  const char *text = arg;
  long n = 0;
  for (const char *p = text; *p; ++p)
    if (*p == ' ')
      n++;
  pthread_mutex_lock(&g_words_mu);
  g_words += n;
  pthread_mutex_unlock(&g_words_mu);
  return NULL;
}

long count_words_all_ok(const char **texts) {
  pthread_t tids[NWORKERS];
  for (int i = 0; i < NWORKERS; ++i)
    pthread_create(&tids[i], NULL, count_words_ok, (void *)texts[i]);
  pthread_mutex_lock(&g_words_mu);
  long partial = g_words;
  pthread_mutex_unlock(&g_words_mu);
  for (int i = 0; i < NWORKERS; ++i)
    pthread_join(tids[i], NULL);
  return partial;
}

// ------------------------------------------------------ _Atomic counters --

static _Atomic long g_chars;
static atomic_uint g_tabs;

static void *count_chars_ok(void *arg) {
  const char *text = arg;
  for (const char *p = text; *p; ++p) {
    g_chars++;
    if (*p == '\t')
      atomic_fetch_add_explicit(&g_tabs, 1, memory_order_relaxed);
  }
  return NULL;
}

long count_chars_all_ok(const char **texts) {
  pthread_t tids[NWORKERS];
  for (int i = 0; i < NWORKERS; ++i)
    pthread_create(&tids[i], NULL, count_chars_ok, (void *)texts[i]);
  for (int i = 0; i < NWORKERS; ++i)
    pthread_join(tids[i], NULL);
  return atomic_load(&g_chars) + atomic_load(&g_tabs);
}

// --------------------------------------------------- per-thread slots --

struct slot {
  const char *text;
  long vowels;
};

static void *count_vowels_ok(void *arg) {
  struct slot *s = arg;
  for (const char *p = s->text; *p; ++p)
    if (*p == 'a' || *p == 'e' || *p == 'i' || *p == 'o' || *p == 'u')
      s->vowels++;
  return NULL;
}

long count_vowels_all_ok(const char **texts) {
  struct slot slots[NWORKERS];
  pthread_t tids[NWORKERS];
  for (int i = 0; i < NWORKERS; ++i) {
    slots[i].text = texts[i];
    slots[i].vowels = 0;
    pthread_create(&tids[i], NULL, count_vowels_ok, &slots[i]);
  }
  long total = 0;
  for (int i = 0; i < NWORKERS; ++i) {
    pthread_join(tids[i], NULL);
    total += slots[i].vowels;
  }
  return total;
}

// ------------------------------------------- totals after pthread_join --

static long g_digits = 0;

static void *count_digits(void *arg) {
  const char *text = arg;
  for (const char *p = text; *p; ++p)
    if (*p >= '0' && *p <= '9')
      g_digits++;
  return NULL;
}

long count_digits_ok(const char *text) {
  g_digits = 0;
  pthread_t tid;
  pthread_create(&tid, NULL, count_digits, (void *)text);
  pthread_join(tid, NULL);
  g_digits += 1;
  return g_digits;
}
