// Check-then-act on C globals shared by POSIX threads: an account balance
// tested and withdrawn with no lock by two thread entries, a seat counter
// tested in one critical section and decremented in another, a free-slot
// index claimed without a lock. Negative cases: test and act under one
// pthread_mutex_lock (also with an early unlock-and-return), a C11 mtx_t,
// _Atomic counters (split-atomic-update's business), a global set up before
// the threads start, per-thread slots of an array, and state one thread
// owns.
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <threads.h>

// ------------------------------------------------- an unlocked account --

long balance = 100;

static void *withdraw(void *arg) {
  long amount = *(long *)arg;
  if (balance >= amount) // expect-note: "'balance' tested here"
    balance -= amount; // expect: threadlint-check-then-act "check-then-act on 'balance': it is tested on line 21 and updated here with no lock held across both, while another thread running 'withdraw' may change it in between"
  return NULL;
}

static void *deposit(void *arg) {
  long amount = *(long *)arg;
  balance += amount;
  return NULL;
}

int run_account(void) {
  long a = 60, b = 70, c = 20;
  pthread_t t1, t2, t3;
  pthread_create(&t1, NULL, withdraw, &a);
  pthread_create(&t2, NULL, withdraw, &b);
  pthread_create(&t3, NULL, deposit, &c);
  pthread_join(t1, NULL);
  pthread_join(t2, NULL);
  pthread_join(t3, NULL);
  return balance < 0;
}

// ------------------------------------------- seats in a locked counter --

static int seats_left = 10;
static pthread_mutex_t seats_mu = PTHREAD_MUTEX_INITIALIZER;

static void confirm_with_payment_service(void);

static void *book_seat(void *arg) {
  (void)arg;
  pthread_mutex_lock(&seats_mu); // expect-note: "'seats_mu' acquired here for the test"
  if (seats_left > 0) { // expect-note: "'seats_left' tested here"
    pthread_mutex_unlock(&seats_mu);
    confirm_with_payment_service();
    pthread_mutex_lock(&seats_mu); // expect-note: "'seats_mu' acquired again here for the act"
    seats_left--; // expect: threadlint-check-then-act "check-then-act on 'seats_left': it is tested on line 54 and updated here in a different critical section of 'seats_mu'"
  }
  pthread_mutex_unlock(&seats_mu);
  return NULL;
}

static void *book_seat_ok(void *arg) {
  (void)arg;
  pthread_mutex_lock(&seats_mu);
  if (seats_left > 0)
    seats_left--;
  pthread_mutex_unlock(&seats_mu);
  return NULL;
}

static void *book_seat_early_return_ok(void *arg) {
  (void)arg;
  pthread_mutex_lock(&seats_mu);
  if (seats_left == 0) {
    pthread_mutex_unlock(&seats_mu);
    return NULL;
  }
  seats_left--;
  pthread_mutex_unlock(&seats_mu);
  confirm_with_payment_service();
  return NULL;
}

int run_booking(void) {
  pthread_t t[3];
  pthread_create(&t[0], NULL, book_seat, NULL);
  pthread_create(&t[1], NULL, book_seat_ok, NULL);
  pthread_create(&t[2], NULL, book_seat_early_return_ok, NULL);
  for (int i = 0; i < 3; ++i)
    pthread_join(t[i], NULL);
  return seats_left;
}

// ---------------------------------------------------- a slot allocator --

#define NSLOTS 8
static int slot_owner[NSLOTS];
static int next_free;

static void *claim_slot(void *arg) {
  int id = *(int *)arg;
  if (next_free < NSLOTS) { // expect-note: "'next_free' tested here"
    slot_owner[next_free] = id;
    next_free = next_free + 1; // expect: threadlint-check-then-act "check-then-act on 'next_free'"
  }
  return NULL;
}

int run_slots(void) {
  int ids[2] = {1, 2};
  pthread_t a, b;
  pthread_create(&a, NULL, claim_slot, &ids[0]);
  pthread_create(&b, NULL, claim_slot, &ids[1]);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return next_free;
}

// ------------------------------------------------ C11 threads and mtx_t --

static mtx_t stock_mu;
static int stock = 5;

static int sell_ok(void *arg) {
  (void)arg;
  mtx_lock(&stock_mu);
  if (stock > 0)
    stock--;
  mtx_unlock(&stock_mu);
  return 0;
}

int run_shop(void) {
  mtx_init(&stock_mu, mtx_plain);
  thrd_t a, b;
  thrd_create(&a, sell_ok, NULL);
  thrd_create(&b, sell_ok, NULL);
  thrd_join(a, NULL);
  thrd_join(b, NULL);
  mtx_destroy(&stock_mu);
  return stock;
}

// -------------------------------------------------------- atomics --

static atomic_int tokens = 3;

static void *spend_token_ok(void *arg) {
  (void)arg;
  if (atomic_load(&tokens) > 0)
    atomic_fetch_sub(&tokens, 1);
  return NULL;
}

// ----------------------------------- set up before, per-thread, owned --

static int max_workers;

static void configure_ok(int requested) {
  if (requested > 16)
    requested = 16;
  if (max_workers < requested)
    max_workers = requested;
}

static long partial[4];

static void *sum_part_ok(void *arg) {
  int i = *(int *)arg;
  for (int k = 0; k < 1000; ++k)
    if (partial[i] < k)
      partial[i] = k;
  return NULL;
}

struct job {
  int done;
  int retries;
};

static void *run_job_ok(void *arg) {
  struct job *j = arg;
  if (!j->done) {
    j->retries++;
    j->done = 1;
  }
  return NULL;
}

int run_misc(void) {
  configure_ok(8);
  int idx[4] = {0, 1, 2, 3};
  pthread_t t[4];
  for (int i = 0; i < 4; ++i)
    pthread_create(&t[i], NULL, sum_part_ok, &idx[i]);
  for (int i = 0; i < 4; ++i)
    pthread_join(t[i], NULL);

  pthread_t s1, s2;
  pthread_create(&s1, NULL, spend_token_ok, NULL);
  pthread_create(&s2, NULL, spend_token_ok, NULL);
  pthread_join(s1, NULL);
  pthread_join(s2, NULL);

  struct job j = {0, 0};
  pthread_t w;
  pthread_create(&w, NULL, run_job_ok, &j);
  pthread_join(w, NULL);
  if (!j.done)
    j.done = 1;
  return max_workers;
}
