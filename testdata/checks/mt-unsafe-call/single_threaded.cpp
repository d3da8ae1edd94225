// A translation unit that starts no thread: a command-line tool that reads
// its environment, parses arguments with strtok, prints local times and
// errors, and shuffles with rand. Every call is single-threaded as far as
// this file shows, so none is reported (clang-tidy's concurrency-mt-unsafe
// reports all of them).
#include <cerrno>
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <dirent.h>
#include <pwd.h>
#include <string>
#include <unistd.h>
#include <vector>

std::vector<std::string> split_list_ok(std::string list) {
  std::vector<std::string> out;
  for (char *item = std::strtok(list.data(), ":"); item;
       item = std::strtok(nullptr, ":"))
    out.emplace_back(item);
  return out;
}

std::vector<std::string> search_path_ok() {
  const char *path = std::getenv("PATH");
  return split_list_ok(path ? path : "/usr/bin:/bin");
}

void print_banner_ok() {
  std::setlocale(LC_ALL, "");
  std::time_t now = std::time(nullptr);
  std::printf("started %s", std::asctime(std::localtime(&now)));
  const passwd *pw = getpwuid(getuid());
  std::printf("user %s\n", pw ? pw->pw_name : "?");
}

int shuffle_ok(std::vector<int> &v) {
  std::srand(static_cast<unsigned>(std::time(nullptr)));
  for (std::size_t i = v.size(); i > 1; --i)
    std::swap(v[i - 1], v[static_cast<std::size_t>(std::rand()) % i]);
  return static_cast<int>(v.size());
}

int list_dir_ok(const char *dir) {
  DIR *d = opendir(dir);
  if (!d) {
    std::fprintf(stderr, "%s: %s\n", dir, std::strerror(errno));
    return -1;
  }
  int n = 0;
  while (readdir(d))
    ++n;
  closedir(d);
  return n;
}

int main_ok(int argc, char **argv) {
  if (argc > 1)
    setenv("TOOL_ARG", argv[1], 1);
  print_banner_ok();
  std::vector<int> v{1, 2, 3, 4};
  shuffle_ok(v);
  return list_dir_ok(argc > 2 ? argv[2] : ".") < 0 ? 1 : 0;
}
