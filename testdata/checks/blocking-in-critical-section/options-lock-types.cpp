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
    fsync(fileno(stderr)); // expect: threadlint-blocking-in-critical-section "'fsync' waits for I/O while holding 'SymbolTable::lock_'"
  }

  void intern_ok(const std::string &s) {
    {
      vendor::FastLockHolder hold(lock_);
      ++count_;
    }
    fprintf(stderr, "interned %s\n", s.c_str());
    fsync(fileno(stderr));
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

// os_lock_t, listed in LockTypes, is a typedef of a pointer; a guard taking
// it by reference is a guard.
void os_guarded_bad() {
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

// The configured lock used with std::lock_guard-style templates of the
// vendor: a guard template whose constructor takes the lock.
namespace vendor {
template <typename L> class Holder {
public:
  explicit Holder(L &l) : l_(l) { l_.Acquire(); }
  ~Holder() { l_.Release(); }

private:
  L &l_;
};
} // namespace vendor

vendor::FastLock g_names_lock;
std::string g_names;

void template_holder_bad(int fd) {
  vendor::Holder<vendor::FastLock> h(g_names_lock);
  write(fd, g_names.data(), g_names.size()); // expect: threadlint-blocking-in-critical-section "'write' waits for I/O while holding 'g_names_lock'"
}

void template_holder_ok(int fd) {
  std::string copy;
  {
    vendor::Holder<vendor::FastLock> h(g_names_lock);
    copy = g_names;
  }
  write(fd, copy.data(), copy.size());
}

// The same guard template over a type that is not a lock (a plain counter
// with Acquire()/Release() reference counting): not a guard.
struct RefCount {
  int n = 0;
  void Acquire() { ++n; }
  void Release() { --n; }
};

RefCount g_refs;

void refcount_holder_ok() {
  vendor::Holder<RefCount> h(g_refs);
  usleep(10);
}

// An unconfigured class with Acquire()/Release() and its own guard: silent.
class Semaphore {
public:
  void Acquire() { --tokens_; }
  void Release() { ++tokens_; }

private:
  int tokens_ = 4;
};

class SemaphoreHolder {
public:
  explicit SemaphoreHolder(Semaphore &s) : s_(s) { s_.Acquire(); }
  ~SemaphoreHolder() { s_.Release(); }

private:
  Semaphore &s_;
};

Semaphore g_tokens;

void semaphore_holder_ok() {
  SemaphoreHolder h(g_tokens);
  usleep(10);
}
