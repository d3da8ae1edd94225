// Filesystem time-of-check to time-of-use in C++: POSIX checks on
// std::string paths (path.c_str()), through the global namespace (::stat),
// in member functions and in a thread's lambda. Negative cases: fstat on
// the descriptor, O_CREAT|O_EXCL without a check, a check on one path and a
// use of another, and checks whose use is in another function.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

class Spool {
public:
  explicit Spool(std::string dir) : dir_(std::move(dir)) {}

  // Reads a job file after making sure it is a regular file.
  std::FILE *open_job(const std::string &name) {
    std::string path = dir_ + "/" + name;
    struct stat st;
    if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) // expect-note: "'path.c_str()' checked here"
      return std::fopen(path.c_str(), "r"); // expect: threadlint-check-then-act "time-of-check to time-of-use: 'path.c_str()' is checked with 'stat' on line 25 and then used by name with 'fopen'"
    return nullptr;
  }

  // Deletes a finished job unless it is a link.
  void drop_job(const std::string &path) {
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0 || S_ISLNK(st.st_mode)) // expect-note: "'path.c_str()' checked here"
      return;
    ::unlink(path.c_str()); // expect: threadlint-check-then-act "'path.c_str()' is checked with 'lstat' on line 33 and then used by name with 'unlink'"
  }

  // Opens the job, then inspects the descriptor.
  int open_job_fd_ok(const std::string &name) {
    std::string path = dir_ + "/" + name;
    int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW);
    if (fd < 0)
      return -1;
    struct stat st;
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      return -1;
    }
    return fd;
  }

  int create_job_ok(const std::string &name) {
    std::string path = dir_ + "/" + name;
    return ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  }

  // The spool directory is checked; the job file is created exclusively.
  int create_job_checked_dir_ok(const std::string &name) {
    if (::access(dir_.c_str(), W_OK) != 0)
      return -1;
    std::string path = dir_ + "/" + name;
    return ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  }

  bool exists_ok(const std::string &path) const {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
  }

  void remove_ok(const std::string &path) { ::unlink(path.c_str()); }

private:
  std::string dir_;
};

// A thread that saves reports into files the user may write.
void save_reports(const std::vector<std::string> &paths) {
  std::thread saver([&paths] {
    for (const std::string &p : paths) {
      if (::access(p.c_str(), W_OK) != 0) // expect-note: "'p.c_str()' checked here"
        continue;
      int fd = ::open(p.c_str(), O_WRONLY | O_TRUNC); // expect: threadlint-check-then-act "'p.c_str()' is checked with 'access' on line 80 and then used by name with 'open'"
      if (fd >= 0)
        ::close(fd);
    }
  });
  saver.join();
}

// std::filesystem checks are not followed (only access, stat, lstat and
// their variants).
void FN_write_if_missing(const std::filesystem::path &p) {
  if (!std::filesystem::exists(p)) {
    std::ofstream out(p);
    out << "created\n";
  }
}
