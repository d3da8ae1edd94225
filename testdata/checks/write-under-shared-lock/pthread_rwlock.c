// POSIX reader/writer locks in C: globals and struct fields written while
// pthread_rwlock_rdlock (or a successful pthread_rwlock_tryrdlock) holds
// the lock in shared mode. Negative cases: reads under rdlock; writes under
// pthread_rwlock_wrlock and a successful trywrlock; writes after the
// unlock; a per-entry pthread mutex taken inside the read section; an
// _Atomic counter; locals; a write on the failure path of tryrdlock.
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>

#define NROUTES 64

struct route {
  char prefix[32];
  int port;
  pthread_mutex_t mu;
  long uses;
};

static pthread_rwlock_t g_table_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct route g_routes[NROUTES];
static int g_nroutes;
static long g_lookups;
static int g_last_port;
static _Atomic long g_atomic_lookups;

void handle(int port);

// ------------------------------------------------------------- lookups --

static int lookup_bad(const char *path) {
  int port = -1;
  pthread_rwlock_rdlock(&g_table_lock); // expect-note: "'g_table_lock' acquired in shared mode here"
  g_lookups++; // expect: threadlint-write-under-shared-lock "'g_lookups' is updated while 'g_table_lock' is held only in shared (reader) mode: other readers hold it at the same time and race with this write; take 'g_table_lock' exclusively (pthread_rwlock_wrlock) to write"
  for (int i = 0; i < g_nroutes; ++i)
    if (strncmp(path, g_routes[i].prefix, strlen(g_routes[i].prefix)) == 0) {
      port = g_routes[i].port;
      break;
    }
  g_last_port = port; // expect: threadlint-write-under-shared-lock "'g_last_port' is written while 'g_table_lock' is held only in shared (reader) mode"
  pthread_rwlock_unlock(&g_table_lock);
  return port;
}

static int lookup_ok(const char *path) {
  int port = -1;
  int scanned = 0;
  pthread_rwlock_rdlock(&g_table_lock);
  atomic_fetch_add(&g_atomic_lookups, 1);
  g_atomic_lookups += 1;
  for (int i = 0; i < g_nroutes; ++i) {
    ++scanned;
    if (strncmp(path, g_routes[i].prefix, strlen(g_routes[i].prefix)) == 0) {
      port = g_routes[i].port;
      break;
    }
  }
  pthread_rwlock_unlock(&g_table_lock);
  (void)scanned;
  return port;
}

// Counted after the read section, under the write lock.
static int lookup_and_count_ok(const char *path) {
  int port = lookup_ok(path);
  pthread_rwlock_wrlock(&g_table_lock);
  g_lookups++;
  g_last_port = port;
  pthread_rwlock_unlock(&g_table_lock);
  return port;
}

static int try_lookup_bad(void) {
  if (pthread_rwlock_tryrdlock(&g_table_lock) != 0)
    return -1;
  g_lookups++; // expect: threadlint-write-under-shared-lock "'g_lookups' is updated"
  int n = g_nroutes;
  pthread_rwlock_unlock(&g_table_lock);
  return n;
}

// The write is on the path where tryrdlock failed: no lock is held, and
// nothing is written under a shared one.
static long g_busy_count;
static int try_lookup_ok(void) {
  if (pthread_rwlock_tryrdlock(&g_table_lock) != 0) {
    pthread_rwlock_wrlock(&g_table_lock);
    g_busy_count++;
    pthread_rwlock_unlock(&g_table_lock);
    return -1;
  }
  int n = g_nroutes;
  pthread_rwlock_unlock(&g_table_lock);
  return n;
}

// ------------------------------------------------------------- updates --

static int add_route_ok(const char *prefix, int port) {
  pthread_rwlock_wrlock(&g_table_lock);
  if (g_nroutes == NROUTES) {
    pthread_rwlock_unlock(&g_table_lock);
    return -1;
  }
  strncpy(g_routes[g_nroutes].prefix, prefix, sizeof g_routes[0].prefix - 1);
  g_routes[g_nroutes].port = port;
  g_nroutes++;
  pthread_rwlock_unlock(&g_table_lock);
  return 0;
}

static int add_route_try_ok(const char *prefix, int port) {
  if (pthread_rwlock_trywrlock(&g_table_lock) != 0)
    return -1;
  g_routes[0].port = port;
  (void)prefix;
  g_nroutes = g_nroutes == 0 ? 1 : g_nroutes;
  pthread_rwlock_unlock(&g_table_lock);
  return 0;
}

// Appending under the read lock: two readers can claim the same slot.
static int add_route_bad(const char *prefix, int port) {
  pthread_rwlock_rdlock(&g_table_lock);
  g_routes[0].port = port; // expect: threadlint-write-under-shared-lock "'route::port' is written while 'g_table_lock' is held only in shared (reader) mode: other readers hold it at the same time and race with this write; take 'g_table_lock' exclusively (pthread_rwlock_wrlock) to write"
  (void)prefix;
  g_nroutes = g_nroutes + 1; // expect: threadlint-write-under-shared-lock "'g_nroutes' is updated"
  pthread_rwlock_unlock(&g_table_lock);
  return 0;
}

// -------------------------------------------------- per-route counters --

// The table's structure is only read; the route's counter is written under
// the route's own mutex.
static void use_route_ok(struct route *r) {
  pthread_rwlock_rdlock(&g_table_lock);
  pthread_mutex_lock(&r->mu);
  r->uses++;
  pthread_mutex_unlock(&r->mu);
  pthread_rwlock_unlock(&g_table_lock);
}

static void use_route_bad(struct route *r) {
  pthread_rwlock_rdlock(&g_table_lock);
  r->uses++; // expect: threadlint-write-under-shared-lock "'route::uses' is updated while 'g_table_lock' is held only in shared (reader) mode"
  pthread_rwlock_unlock(&g_table_lock);
}

// --------------------------------------------------------------- threads --

static void *reader(void *arg) {
  (void)arg;
  for (int i = 0; i < 100; ++i) {
    handle(lookup_bad("/api") + lookup_ok("/api") + lookup_and_count_ok("/x"));
    handle(try_lookup_bad() + try_lookup_ok());
    use_route_ok(&g_routes[0]);
    use_route_bad(&g_routes[0]);
  }
  return NULL;
}

static void *writer(void *arg) {
  (void)arg;
  add_route_ok("/api", 8080);
  add_route_try_ok("/x", 8081);
  add_route_bad("/y", 8082);
  return NULL;
}

int main(void) {
  for (int i = 0; i < NROUTES; ++i)
    pthread_mutex_init(&g_routes[i].mu, NULL);
  pthread_t r1, r2, w;
  pthread_create(&r1, NULL, reader, NULL);
  pthread_create(&r2, NULL, reader, NULL);
  pthread_create(&w, NULL, writer, NULL);
  pthread_join(r1, NULL);
  pthread_join(r2, NULL);
  pthread_join(w, NULL);
  return (int)g_lookups;
}
