#include <pthread.h>
#include <unistd.h>

static pthread_mutex_t counter_mu = PTHREAD_MUTEX_INITIALIZER;
static long counter;

long bump_and_report(int fd) {
  long now;
  pthread_mutex_lock(&counter_mu);
  now = ++counter;
  pthread_mutex_unlock(&counter_mu);
  (void)write(fd, "bump\n", 5);
  return now;
}
