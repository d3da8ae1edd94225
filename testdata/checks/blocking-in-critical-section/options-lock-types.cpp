// CONFIG: {CheckOptions: {LockTypes: "vendor::FastLock;os_lock_t;rt_mutex_t"}}
// LockTypes adds lock types the model cannot recognise by itself: a vendor
// lock whose methods are not called lock()/unlock(), and a C handle typedef.
// Their RAII guards (constructor takes the lock, user-provided destructor)
// then count as guards. RAII wrappers of other resources are not locks.
#include <cstdio>
#include <string>

#include <unistd.h>

namespace vendor {
// Opaque-ish third-party lock: Acquire()/Release(), no annotations.
class FastLock {
public:
  void Acquire();
  void Release();
};

class FastLockHolder {
public:
  explicit FastLockHolder(FastLock &l) : l_(l) { l_.Acquire(); }
  ~FastLockHolder() { l_.Release(); }
  FastLockHolder(const FastLockHolder &) = delete;

private:
  FastLock &l_;
};
} // namespace vendor

// A C library's lock: an opaque struct typedef, used through pointers.
extern "C" {
typedef struct rt_mutex_s rt_mutex_t;
void rt_mutex_lock(rt_mutex_t *m);
void rt_mutex_unlock(rt_mutex_t *m);
}

class RtGuard {
public:
  explicit RtGuard(rt_mutex_t *m) : m_(m) { rt_mutex_lock(m_); }
  ~RtGuard() { rt_mutex_unlock(m_); }

private:
  rt_mutex_t *m_;
};

rt_mutex_t *g_rt_mu;

void rt_guarded_bad(int fd) {
  RtGuard g(g_rt_mu);
  fsync(fd); // expect: threadlint-blocking-in-critical-section "'fsync' waits for I/O while holding 'g_rt_mu'"
}

void rt_guarded_ok(int fd) {
  {
    RtGuard g(g_rt_mu);
  }
  fsync(fd);
}

// Another C library's lock handle: the typedef itself is a pointer.
extern "C" {
typedef struct os_lock_s *os_lock_t;
void os_lock_acquire(os_lock_t l);
void os_lock_release(os_lock_t l);
}

class OsLockGuard {
public:
  explicit OsLockGuard(os_lock_t &l) : l_(l) { os_lock_acquire(l_); }
  ~OsLockGuard() { os_lock_release(l_); }

private:
  os_lock_t &l_;
};

class SymbolTable {
public:
  void intern_bad(const std::string &s) {
    vendor::FastLockHolder hold(lock_);
    ++count_;
    fprintf(stderr, "interned %s\n", s.c_str());
    fflush(stderr); // expect: threadlint-blocking-in-critical-section "'fflush' waits for I/O while holding 'SymbolTable::lock_'"
  }

  void intern_ok(const std::string &s) {
    {
      vendor::FastLockHolder hold(lock_);
      ++count_;
    }
    fprintf(stderr, "interned %s\n", s.c_str());
    fflush(stderr);
  }

  int count_ok() {
    vendor::FastLockHolder hold(lock_);
    return count_;
  }

private:
  vendor::FastLock lock_;
  int count_ = 0;
};

os_lock_t g_os_lock;

// FN: os_lock_t is listed in LockTypes, but it is a typedef of a pointer
// (struct os_lock_s *). When deciding whether OsLockGuard's constructor
// parameter (os_lock_t &) is a lock, the model strips the reference and then
// the pointer *through* the typedef, leaving 'struct os_lock_s', so the
// listed typedef name is never seen and OsLockGuard is not a guard.
void FN_os_guarded_bad() {
  OsLockGuard g(g_os_lock);
  usleep(100); // expect: threadlint-blocking-in-critical-section "'usleep' sleeps while holding 'g_os_lock'"
}

void os_guarded_ok() {
  { OsLockGuard g(g_os_lock); }
  usleep(100);
}

// RAII around a file, not a lock: its constructor takes a FILE*, which is
// not a lock type, so it holds nothing.
class FileCloser {
public:
  explicit FileCloser(FILE *&f) : f_(f) {}
  ~FileCloser() {
    if (f_)
      fclose(f_);
  }

private:
  FILE *&f_;
};

void file_closer_ok(const char *path) {
  FILE *f = fopen(path, "r");
  FileCloser closer(f);
  char buf[128];
  if (f)
    fgets(buf, sizeof buf, f);
}

// A struct that stores a lock by reference but has no destructor: not a
// guard even with the type configured.
struct LockRefHolder {
  vendor::FastLock &l;
};

vendor::FastLock g_fast;

void holder_without_dtor_ok() {
  LockRefHolder h{g_fast};
  (void)h;
  sleep(1);
}
