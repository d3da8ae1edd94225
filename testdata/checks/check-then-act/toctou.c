// Filesystem time-of-check to time-of-use in C: a path checked with
// access(), stat() or lstat() and then opened, unlinked, chmod-ed or
// renamed by name, in the branch of the check or after it in the same
// block. Negative cases: open() with O_CREAT|O_EXCL and no check, fstat()
// on the open descriptor, a check of one path and a use of another, a
// check and a use in different functions, and the lstat/open/fstat
// identity check that secure code uses.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

// A setuid helper that checks the real user's right to write the file.
int open_for_user(const char *path) {
  int fd = -1;
  if (access(path, W_OK) == 0) { // expect-note: "'path' checked here"
    fd = open(path, O_WRONLY | O_TRUNC); // expect: threadlint-check-then-act "time-of-check to time-of-use: 'path' is checked with 'access' on line 18 and then used by name with 'open'"
  }
  return fd;
}

// The check rejects, the use follows the if in the same block.
FILE *open_config(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) // expect-note: "'path' checked here"
    return NULL;
  return fopen(path, "r"); // expect: threadlint-check-then-act "time-of-check to time-of-use: 'path' is checked with 'stat' on line 27 and then used by name with 'fopen'"
}

// Removes a stale lock file unless it is a symlink.
void remove_stale_lock(const char *lock_path) {
  struct stat st;
  if (lstat(lock_path, &st) == 0 && !S_ISLNK(st.st_mode)) // expect-note: "'lock_path' checked here"
    unlink(lock_path); // expect: threadlint-check-then-act "'lock_path' is checked with 'lstat' on line 35 and then used by name with 'unlink'"
}

// Makes a log readable by the group if it belongs to us.
void share_log(const char *log_path) {
  struct stat st;
  if (stat(log_path, &st) == 0 && st.st_uid == getuid())
    chmod(log_path, 0640); // expect: threadlint-check-then-act "checked with 'stat' on line 42 and then used by name with 'chmod'"
}

// Rotates a log when it is large.
void rotate_log(const char *log_path, const char *old_path) {
  struct stat st;
  if (stat(log_path, &st) == 0 && st.st_size > 1 << 20)
    rename(log_path, old_path); // expect: threadlint-check-then-act "checked with 'stat' on line 49 and then used by name with 'rename'"
}

// ------------------------------------------------------------ negatives --

// Create-or-fail: the kernel checks and creates in one step.
int create_pid_file_ok(const char *path) {
  return open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
}

// Open first, then ask the descriptor.
long file_size_ok(const char *path) {
  int fd = open(path, O_RDONLY | O_NOFOLLOW);
  if (fd < 0)
    return -1;
  struct stat st;
  long size = fstat(fd, &st) == 0 ? (long)st.st_size : -1;
  close(fd);
  return size;
}

// The directory is checked, a file in it is created exclusively.
int create_in_dir_ok(const char *dir, const char *path) {
  if (access(dir, W_OK) != 0)
    return -1;
  return open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
}

// A check on its own, a use on its own.
int is_writable_ok(const char *path) {
  return access(path, W_OK) == 0;
}

int open_log_ok(const char *path) {
  return open(path, O_WRONLY | O_APPEND | O_CREAT, 0644);
}

// The pattern CERT POS35-C recommends: lstat, open without following
// links, then compare the open file with what was checked. A swap in
// between is detected, so the check is not a TOCTOU.
int open_regular_ok(const char *path) {
  struct stat before, after;
  if (lstat(path, &before) != 0 || !S_ISREG(before.st_mode))
    return -1;
  int fd = open(path, O_RDONLY | O_NOFOLLOW);
  if (fd < 0)
    return -1;
  if (fstat(fd, &after) != 0 || before.st_dev != after.st_dev ||
      before.st_ino != after.st_ino) {
    close(fd);
    return -1;
  }
  return fd;
}

// access() only explains a failure that open() already reported.
int open_or_explain_ok(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0 && access(path, F_OK) != 0)
    fprintf(stderr, "%s: no such file\n", path);
  return fd;
}

// The probe is redundant but harmless: O_EXCL fails if the file appeared
// (or a symlink was planted) in between.
int create_new_ok(const char *path) {
  if (access(path, F_OK) == 0) {
    errno = EEXIST;
    return -1;
  }
  return open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
}

// The check is in the caller's helper: only calls of access(), stat() and
// lstat() in the condition of the 'if' are followed.
int FN_open_if_writable(const char *path) {
  if (is_writable_ok(path))
    return open(path, O_WRONLY | O_TRUNC);
  return -1;
}
