#include "journal.h"
#include <map>
#include <mutex>
#include <string>

class Store {
public:
  void put(const std::string &k, int v) {
    std::lock_guard<std::mutex> guard(mu_);
    data_[k] = v;
  }
  void save(int fd) {
    std::map<std::string, int> copy;
    {
      std::lock_guard<std::mutex> guard(mu_);
      copy = data_;
    }
    for (const auto &[k, v] : copy)
      journal_append(fd, k.c_str(), static_cast<unsigned>(k.size()));
  }

private:
  std::mutex mu_;
  std::map<std::string, int> data_;
};

void use_store(int fd) {
  Store s;
  s.put("a", 1);
  s.save(fd);
}
